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

    /// A failed print, with what the engine said.
    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { "writeup.pdf not made: \(message)" }
    }

    /// The engine started and loading, waiting for the document on its standard input.
    func start() throws -> PrintJob {
        try PrintJob(engine: path)
    }
}

/// One print by the engine, started before its document exists: WeasyPrint
/// loads (Python and its libraries, a third of a short document's print)
/// while FERLab computes, then reads the document from its standard input
/// and writes the PDF on its standard output; no file is written. Cancelled,
/// the engine is stopped.
final class PrintJob: Sendable {
    private let engine: String
    private let process: ChildProcess
    /// The write end of its standard input, until the document is written or the job cancelled.
    private let input: Mutex<FileHandle?>
    /// The read ends of its standard output and error.
    private let output: FileHandle, errors: FileHandle

    fileprivate init(engine: String) throws {
        self.engine = engine
        var environment = ProcessInfo.processInfo.environment
        environment["SOURCE_DATE_EPOCH"] = "0"
        let input = Pipe(), output = Pipe(), errors = Pipe()
        do {
            process = try ChildProcess(
                executable: engine, arguments: ["--quiet", "-", "-"], environment: environment,
                input: input.fileHandleForReading.fileDescriptor, output: output.fileHandleForWriting.fileDescriptor,
                error: errors.fileHandleForWriting.fileDescriptor)
        } catch {
            throw PDFEngine.Failure(message: "\(engine) could not be started: \(error)")
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

    /// The PDF of `html`, a document that needs no other file; the job's one use.
    func print(html: String) throws -> [UInt8] {
        guard let input = takeInput() else { throw PDFEngine.Failure(message: "the print was cancelled") }
        // Its standard output and error are read on other threads while the document is written, so that no pipe
        // fills while another is waited on.
        let printed = Self.readToEnd(output), said = Self.readToEnd(errors)
        _ = ChildProcess.feed(Array(html.utf8), to: input.fileDescriptor)
        try? input.close()
        let ending = process.wait()
        let pdf = printed()
        guard ending == .exited(0), !pdf.isEmpty else {
            let text = String(decoding: said(), as: UTF8.self)
            let last = text.split(separator: "\n").last.map(String.init) ?? ""
            throw PDFEngine.Failure(message: "\(engine) \(ending): \(last)")
        }
        return Array(pdf)
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
