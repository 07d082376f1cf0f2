import FERCore
import Foundation
import Synchronization

/// WeasyPrint, the HTML-to-PDF engine the write-up is printed with, found on
/// the `PATH` at run time. It reads one self-contained HTML document on its
/// standard input (figures as `data:` URLs, so no file path reaches the PDF)
/// and runs with `SOURCE_DATE_EPOCH` fixed (so the embedded font subsets carry
/// no time stamp): the same HTML gives the same PDF bytes. The HTML sets the
/// paper and the page numbers.
struct PDFEngine: Sendable {
    /// The executable.
    let path: String
    /// The Python the executable runs in (its `#!` line's program and argument), when it is a Python script:
    /// the write-up is then printed by `PrintDriver` in it, with WeasyPrint's command line.
    let python: [String]?

    /// What to tell a user when there is no engine.
    static let missingAdvice =
        "writeup.pdf not made: WeasyPrint is not installed (Debian: apt-get install weasyprint); "
        + "writeup.md and writeup.html are in the site"

    /// The engine on `PATH`, if any.
    static func find(environment: [String: String] = ProcessInfo.processInfo.environment) -> PDFEngine? {
        for folder in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(folder)/weasyprint"
            if FileManager.default.isExecutableFile(atPath: path) { return PDFEngine(path: path) }
        }
        return nil
    }

    /// The program and argument of the `#!` line of the script at `path`, when they name a Python
    /// (`/usr/bin/python3`, `/usr/bin/env python3`) that can be run.
    static func python(running path: String) -> [String]? {
        guard let head = RegularFile.head(path, limit: 512), head.starts(with: Array("#!".utf8)),
            let end = head.firstIndex(of: UInt8(ascii: "\n"))
        else { return nil }
        let words = String(decoding: head[2..<end], as: UTF8.self).split(whereSeparator: \.isWhitespace).map(
            String.init)
        guard (1...2).contains(words.count),
            words.contains(where: { ($0 as NSString).lastPathComponent.hasPrefix("python") }),
            FileManager.default.isExecutableFile(atPath: words[0])
        else { return nil }
        return words
    }

    /// A failed print, with what the engine said.
    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { "writeup.pdf not made: \(message)" }
    }

    /// The engine started and loading, waiting for the document on its standard input.
    func start() throws -> PrintJob {
        try PrintJob(engine: self)
    }
}

extension PDFEngine {
    /// The engine at `path`, run by its Python when it is a Python script.
    init(path: String) {
        self.init(path: path, python: Self.python(running: path))
    }
}

/// One print by the engine, started before its document exists: WeasyPrint
/// loads (Python and its libraries, a third of a short document's print)
/// while FERLab computes, then reads the document from its standard input
/// and writes the PDF on its standard output; no file is written. Cancelled,
/// the engine is stopped.
final class PrintJob: Sendable {
    private let engine: String
    /// Whether `PrintDriver` prints (else WeasyPrint's command line, which takes no parts).
    private let driven: Bool
    private let process: ChildProcess
    /// The write end of its standard input, until the document is written or the job cancelled.
    private let input: Mutex<FileHandle?>
    /// The read ends of its standard output and error.
    private let output: FileHandle, errors: FileHandle

    fileprivate init(engine: PDFEngine) throws {
        self.engine = engine.path
        driven = engine.python != nil
        var environment = ProcessInfo.processInfo.environment
        environment["SOURCE_DATE_EPOCH"] = "0"
        let (executable, arguments) =
            engine.python.map { ($0[0], Array($0.dropFirst()) + ["-c", PrintDriver.source, engine.path]) }
            ?? (engine.path, ["--quiet", "-", "-"])
        let input = Pipe(), output = Pipe(), errors = Pipe()
        do {
            process = try ChildProcess(
                executable: executable, arguments: arguments, environment: environment,
                input: input.fileHandleForReading.fileDescriptor, output: output.fileHandleForWriting.fileDescriptor,
                error: errors.fileHandleForWriting.fileDescriptor)
        } catch {
            throw PDFEngine.Failure(message: "\(engine.path) could not be started: \(error)")
        }
        for end in [input.fileHandleForReading, output.fileHandleForWriting, errors.fileHandleForWriting] {
            try? end.close()
        }
        self.input = Mutex(input.fileHandleForWriting)
        self.output = output.fileHandleForReading
        self.errors = errors.fileHandleForReading
    }

    deinit { cancel() }

    /// Takes the write end of the engine's standard input, once.
    private func takeInput() -> FileHandle? {
        input.withLock { handle in
            defer { handle = nil }
            return handle
        }
    }

    /// The PDF of `html`, a document that needs no other file, and the parts of it the next print can reuse
    /// (`parts` are those of the last); the job's one use.
    func print(html: String, parts: PrintParts = PrintParts()) throws -> (pdf: [UInt8], parts: PrintParts) {
        guard let input = takeInput() else { throw PDFEngine.Failure(message: "the print was cancelled") }
        // Its standard output and error are read on other threads while the document is written, so that no pipe
        // fills while another is waited on.
        let printed = Self.readToEnd(output), said = Self.readToEnd(errors)
        _ = ChildProcess.feed(
            driven ? PrintDriver.request(html: html, parts: parts) : Array(html.utf8), to: input.fileDescriptor)
        try? input.close()
        let ending = process.wait()
        let output = Array(printed())
        guard ending == .exited(0), !output.isEmpty else {
            let text = String(decoding: said(), as: UTF8.self)
            let last = text.split(separator: "\n").last.map(String.init) ?? ""
            throw PDFEngine.Failure(message: "\(engine) \(ending): \(last)")
        }
        return driven ? try PrintDriver.reply(output) : (output, PrintParts())
    }

    /// What `handle` gives until its end, read on a thread of its own: waits for it when called.
    private static func readToEnd(_ handle: FileHandle) -> @Sendable () -> Data {
        let reading = OwnThread { handle.readDataToEndOfFile() }
        return { reading.wait() }
    }

    /// Stops the engine unless it was given its document.
    func cancel() {
        guard let input = takeInput() else { return }
        process.send(SIGTERM)
        try? input.close()
        _ = process.wait()
    }
}
