import FERCodecs
import FERStages
import FERTestSupport
import Foundation
import Testing

@testable import FERReport

/// The write-up printed by `PrintDriver` in WeasyPrint's own Python: the same
/// PDF bytes as WeasyPrint's command line, whether or not parts of the last
/// print are reused. These print with the real engine (Scripts/setup installs it).
@Suite struct PrintDriverTests {
    /// A document of text and figures, as the write-up is printed: a gray and a colour PNG as `data:` URLs.
    private static func document(shade: UInt8) throws -> String {
        let gray = GrayPNGWriter.encode(
            width: 96, height: 64, pixels: (0..<(96 * 64)).map { UInt8(truncatingIfNeeded: $0 * 7 / 5) })
        let colour = try PNGCodec.encode(
            width: 80, height: 48, channels: 3,
            pixels: (0..<(80 * 48 * 3)).map { $0 % 3 == 0 ? shade : UInt8(truncatingIfNeeded: $0 / 11) })
        func image(_ bytes: [UInt8]) -> String {
            "<img src=\"data:image/png;base64,\(Data(bytes).base64EncodedString())\" width=\"240\">"
        }
        return """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>Print</title></head><body>
            <h1>Clusters of faces</h1><p>Silhouette 0.334 — “accuracy” 17.8%.</p>
            <figure>\(image(gray))<figcaption>Figure 1. Gray.</figcaption></figure>
            <figure>\(image(colour))<figcaption>Figure 2. Colour.</figcaption></figure>
            </body></html>
            """
    }

    /// The PDF of `html` printed by `engine`, with `parts`.
    private static func print(
        _ html: String, engine: PDFEngine, parts: PrintParts = PrintParts()
    ) throws -> (pdf: [UInt8], parts: PrintParts) {
        try engine.start().print(html: html, parts: parts)
    }

    @Test func theDriverPrintsWhatWeasyPrintsCommandLinePrintsReusingPartsOrNot() throws {
        let found = try #require(PDFEngine.find(), "WeasyPrint is not installed")
        let driver = try #require(found.python.map { PDFEngine(path: found.path, python: $0) })
        let commandLine = PDFEngine(path: found.path, python: nil)
        let first = try Self.document(shade: 40), second = try Self.document(shade: 200)

        let printed = try Self.print(first, engine: driver)
        let expected = try Self.print(first, engine: commandLine)
        #expect(expected.parts.entries.isEmpty)
        #expect(printed.pdf == expected.pdf)
        #expect(printed.pdf.starts(with: Array("%PDF-".utf8)))
        // Both images and at least one font subset.
        let kinds = printed.parts.entries.keys.map { $0.prefix { $0 != "-" } }
        #expect(kinds.filter { $0 == "image" }.count == 2 && kinds.contains("font"), "\(kinds)")

        // The second document shares its gray image and its fonts with the first: those parts are reused, the
        // colour image is made again, and the PDF is still the command line's.
        let reprinted = try Self.print(second, engine: driver, parts: printed.parts)
        #expect(reprinted.pdf == (try Self.print(second, engine: commandLine)).pdf)
        let kept = Set(reprinted.parts.entries.keys).intersection(printed.parts.entries.keys)
        #expect(kept.count == printed.parts.entries.count - 1)
        #expect(reprinted.parts.entries.count == printed.parts.entries.count)
    }

    /// A WeasyPrint the driver was not checked against (here a stand-in package, version 99, beside a shell
    /// script standing in for its command line) prints by that command line, and what it says on failing
    /// reaches the user.
    @Test func aWeasyPrintTheDriverWasNotCheckedAgainstPrintsByItsCommandLine() throws {
        let folder = try TemporaryDirectory()
        try folder.write("python/weasyprint/__init__.py", text: "__version__ = '99.0'\n")
        try folder.write(
            "python/weasyprint/__main__.py", text: "def main(argv=None, stdout=None, stdin=None):\n    pass\n")
        let python = try #require(
            ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) })
        func engine(_ body: String, named name: String) throws -> PDFEngine {
            let script = try folder.write(name, text: "#!/bin/sh\n" + body)
            chmod(script, 0o755)
            try Self.waitUntilRunnable(script)
            return PDFEngine(path: script, python: ["/usr/bin/env", "PYTHONPATH=\(folder.file("python"))", python])
        }
        let html = "<p>a page</p>\n"
        let copying = try engine("cat\n", named: "copies")
        let printed = try copying.start().print(html: html, parts: PrintParts(entries: ["image-1": [1]]))
        #expect(printed.pdf == Array(html.utf8))
        #expect(printed.parts.entries.isEmpty)
        let failing = try engine("cat > /dev/null\necho 'no fonts found' >&2\nexit 3\n", named: "fails")
        let failure = #expect(throws: PDFEngine.Failure.self) { try failing.start().print(html: html) }
        #expect(
            failure?.description.hasSuffix("stopped with status 3: no fonts found") == true,
            "\(String(describing: failure))")
    }

    /// Waits until the script just written at `path` can be run: it is refused for a moment ("Text file busy")
    /// while a program another test starts at the same time still holds the writer's descriptor.
    private static func waitUntilRunnable(_ path: String) throws {
        for attempt in 0..<50 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
                process.waitUntilExit()
                return
            } catch  where attempt < 49 {
                usleep(20_000)
            }
        }
    }

    @Test func theEnginesPythonIsReadFromItsScriptsFirstLine() throws {
        let folder = try TemporaryDirectory()
        let python = try #require(
            ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) })
        let cases: [(String, [String]?)] = [
            ("#!\(python)\nimport sys\n", [python]),
            ("#!/usr/bin/env python3\nimport sys\n", ["/usr/bin/env", "python3"]),
            ("#!/bin/sh\ncat\n", nil),
            ("#!/no/such/python3\n", nil),
            ("#!\(python)", nil),  // no end to the line
            ("\u{7F}ELF binary", nil),
        ]
        for (index, (text, expected)) in cases.enumerated() {
            let script = try folder.write("engine\(index)", text: text)
            #expect(PDFEngine.python(running: script) == expected, "\(text)")
        }
    }

    @Test func aReplyThatIsNotFramedAsTheDriverFramesItIsAFailure() throws {
        let good = Array("FERLAB-PRINTED 1\n4\n%PDF1\n3 2\nkeyab".utf8)
        let reply = try PrintDriver.reply(good)
        #expect(reply.pdf == Array("%PDF".utf8) && reply.parts.entries == ["key": Array("ab".utf8)])
        for bad in [
            "", "%PDF-1.7 ...", "FERLAB-PRINTED 1\n9\n%PDF", "FERLAB-PRINTED 1\n4\n%PDF1\n3 9\nkeyab",
            "FERLAB-PRINTED 1\n4\n%PDF0\nmore", "FERLAB-PRINTED 1\n-4\n",
        ] {
            #expect(throws: PDFEngine.Failure.self, "\(bad)") { try PrintDriver.reply(Array(bad.utf8)) }
        }
    }

    @Test func partsAreRememberedInTheCacheAndADamagedEntryIsNone() throws {
        let folder = try TemporaryDirectory()
        let cache = CacheStore(directory: folder.path)
        let key = PrintParts.key(experiment: "seed-v2", engine: "/usr/bin/weasyprint")
        #expect(PrintParts.remembered(in: cache, key: key) == PrintParts())
        let parts = PrintParts(entries: ["image-1": [1, 2, 3], "font-2": Array(repeating: 9, count: 1000)])
        try parts.remember(in: cache, key: key)
        #expect(PrintParts.remembered(in: cache, key: key) == parts)
        let path = cache.path(stage: PrintParts.stage, key: key)
        var bytes = try #require(FileManager.default.contents(atPath: path))
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(PrintParts.remembered(in: cache, key: key) == PrintParts())
    }
}
