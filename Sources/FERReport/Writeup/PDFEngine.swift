import FERCore
import Foundation

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

    /// The PDF of `html`, a document that needs no other file.
    func print(html: String) throws -> [UInt8] {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("ferlab-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = (folder as NSString).appendingPathComponent("in.html")
        let output = (folder as NSString).appendingPathComponent("out.pdf")
        try AtomicFile.write(Array(html.utf8), to: input)
        guard let source = FileHandle(forReadingAtPath: input) else {
            throw Failure(message: "its input \(input) could not be read back")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["SOURCE_DATE_EPOCH"] = "0"
        let errors = Pipe()
        let process: ChildProcess
        do {
            process = try ChildProcess(
                executable: path, arguments: ["--quiet", "-", output], environment: environment,
                input: source.fileDescriptor, error: errors.fileHandleForWriting.fileDescriptor)
        } catch {
            throw Failure(message: "\(path) could not be started: \(error)")
        }
        try? source.close()
        try? errors.fileHandleForWriting.close()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        let ending = process.wait()
        guard ending == .exited(0), let pdf = FileManager.default.contents(atPath: output) else {
            let text = String(decoding: said, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw Failure(message: "\(path) \(ending): \(text)")
        }
        return Array(pdf)
    }
}
