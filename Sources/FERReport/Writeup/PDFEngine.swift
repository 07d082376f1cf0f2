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
/// while FERLab computes, then reads the document from its standard input.
/// Cancelled, the engine is stopped and its folder removed.
final class PrintJob: Sendable {
    private let engine: String
    private let process: ChildProcess
    /// Where its PDF and its standard error go.
    let folder: String
    /// The write end of its standard input, until the document is written or the job cancelled.
    private let input: Mutex<FileHandle?>

    fileprivate init(engine: String) throws {
        self.engine = engine
        folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("ferlab-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let errors = Glibc.open(Self.path("errors.txt", in: folder), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { if errors >= 0 { close(errors) } }
        var environment = ProcessInfo.processInfo.environment
        environment["SOURCE_DATE_EPOCH"] = "0"
        let pipe = Pipe()
        do {
            process = try ChildProcess(
                executable: engine, arguments: ["--quiet", "-", Self.path("out.pdf", in: folder)],
                environment: environment, input: pipe.fileHandleForReading.fileDescriptor,
                error: errors >= 0 ? errors : nil)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw PDFEngine.Failure(message: "\(engine) could not be started: \(error)")
        }
        try? pipe.fileHandleForReading.close()
        input = Mutex(pipe.fileHandleForWriting)
    }

    deinit { cancel() }

    private static func path(_ name: String, in folder: String) -> String {
        (folder as NSString).appendingPathComponent(name)
    }

    /// The PDF of `html`, a document that needs no other file; the job's one use.
    func print(html: String) throws -> [UInt8] {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        guard
            let input = input.withLock({ handle in
                defer { handle = nil }; return handle
            })
        else {
            throw PDFEngine.Failure(message: "the print was cancelled")
        }
        _ = ChildProcess.feed(Array(html.utf8), to: input.fileDescriptor)
        try? input.close()
        let ending = process.wait()
        guard ending == .exited(0), let pdf = FileManager.default.contents(atPath: Self.path("out.pdf", in: folder))
        else {
            let said = (try? String(contentsOfFile: Self.path("errors.txt", in: folder), encoding: .utf8)) ?? ""
            let text = said.split(separator: "\n").last.map(String.init) ?? ""
            throw PDFEngine.Failure(message: "\(engine) \(ending): \(text)")
        }
        return Array(pdf)
    }

    /// Stops the engine unless it was given its document; its folder goes.
    func cancel() {
        guard
            let input = input.withLock({ handle in
                defer { handle = nil }; return handle
            })
        else { return }
        process.send(SIGTERM)
        try? input.close()
        _ = process.wait()
        try? FileManager.default.removeItem(atPath: folder)
    }
}
