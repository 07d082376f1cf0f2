import FERTestSupport
import Foundation
import Testing

/// The write-up as a user gets it from `ferlab run` in a folder of their own: Markdown, HTML and a PDF printed by
/// WeasyPrint (Scripts/setup installs it and poppler-utils, whose pdftotext and pdftoppm read the PDF here).
@Suite struct WriteupTests {
    /// Runs a Debian tool and returns its standard output.
    private static func tool(_ name: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(name)")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(name) \(arguments.joined(separator: " ")) failed")
        return data
    }

    @discardableResult
    private static func run(
        _ arguments: [String], in folder: TemporaryDirectory, environment: [String: String] = [:]
    )
        throws -> CommandRunner.Outcome
    {
        let outcome = try CommandRunner.run(arguments, in: folder.path, environment: environment)
        #expect(outcome.status == 0, "ferlab \(arguments.joined(separator: " ")): \(outcome.errors)")
        return outcome
    }

    @Test func theWriteupIsMarkdownHTMLAndAReproduciblePDFHoldingTheRunsNumbers() throws {
        let folder = try TemporaryDirectory()
        try folder.write("tiny.yaml", text: TinyExperiment.config(report: "pdf: true"))
        try Self.run(["run", "tiny.yaml", "--out", "site", "--cache", "cache"], in: folder)
        let markdown = try String(contentsOfFile: folder.file("site/writeup.md"), encoding: .utf8)
        #expect(FileManager.default.fileExists(atPath: folder.file("site/writeup.html")))

        // Figures and tables are numbered in reading order, every cross-reference names one that exists, and the
        // references are the cited ones, numbered in citation order.
        for kind in ["Figure", "Table"] {
            let captions = markdown.matches(of: try Regex("\\*\(kind) (\\d+)\\.")).compactMap {
                Int($0.output[1].substring ?? "")
            }
            #expect(!captions.isEmpty && captions == Array(1...captions.count), "\(kind) captions \(captions)")
            for match in markdown.matches(of: try Regex("\(kind) (\\d+) ")) {
                #expect((Int(match.output[1].substring ?? "") ?? 0) <= captions.count)
            }
        }
        let cited = markdown.matches(of: /\[(\d+)\]/).compactMap { Int($0.1) }
        var firstCitations: [Int] = []
        for number in cited where !firstCitations.contains(number) { firstCitations.append(number) }
        #expect(firstCitations == Array(1...firstCitations.count))
        let listed = markdown.matches(of: #/\n(\d+)\. [A-Z][a-z]+, /#).compactMap { Int($0.1) }
        #expect(listed == firstCitations)

        // The PDF: A4 pages, none blank, holding the run's key numbers.
        let pdf = folder.file("site/writeup.pdf")
        let info = String(decoding: try Self.tool("pdfinfo", [pdf]), as: UTF8.self)
        let pages = Int(info.firstMatch(of: /Pages:\s+(\d+)/)?.1 ?? "") ?? 0
        #expect((6...40).contains(pages), "\(pages) pages")
        #expect(info.contains("595.276 x 841.89 pts (A4)"))
        let text = String(decoding: try Self.tool("pdftotext", ["-layout", pdf, "-"]), as: UTF8.self)
        let results = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: folder.file("site/results.json"))))
                as? [String: Any])
        let finalName = try #require(results["final_model"] as? String)
        let final = try #require((results["models"] as? [[String: Any]])?.first { $0["name"] as? String == finalName })
        let silhouette = try #require(final["silhouette"] as? Double)
        let accuracy = try #require(final["accuracy_hungarian"] as? Double)
        #expect(text.contains(String(format: "%.3f", silhouette)), "silhouette \(silhouette) is not in the PDF")
        #expect(text.contains(String(format: "%.1f%%", accuracy * 100)), "accuracy \(accuracy) is not in the PDF")
        #expect(text.contains("References") && text.contains("Rousseeuw"))
        let images = folder.file("pages")
        try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
        _ = try Self.tool("pdftoppm", ["-r", "20", "-gray", pdf, images + "/page"])
        let rendered = try FileManager.default.contentsOfDirectory(atPath: images).sorted()
        #expect(rendered.count == pages)
        for name in rendered {
            // A binary PGM: three header lines, then one byte per pixel.
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: images + "/" + name)))
            var newlines = 0, start = 0
            while newlines < 3, start < bytes.count {
                if bytes[start] == 10 { newlines += 1 }
                start += 1
            }
            let inked = bytes[start...].filter { $0 < 200 }.count
            #expect(Double(inked) / Double(max(1, bytes.count - start)) > 0.005, "\(name) is blank")
        }

        // The same config from scratch gives the same PDF bytes.
        try Self.run(["run", "tiny.yaml", "--out", "again", "--cache", "cache2"], in: folder)
        #expect(
            FileManager.default.contents(atPath: folder.file("again/writeup.pdf"))
                == FileManager.default.contents(atPath: pdf))
        // report.paper sets the paper.
        try Self.run(
            ["run", "tiny.yaml", "-q", "--out", "letter", "--cache", "cache", "--set", "report.paper=letter"],
            in: folder)
        let letter = String(decoding: try Self.tool("pdfinfo", [folder.file("letter/writeup.pdf")]), as: UTF8.self)
        #expect(letter.contains("612 x 792 pts (letter)"), "\(letter)")
    }

    @Test func withoutWeasyPrintTheSiteIsBuiltAndTheRunSaysOnceWhichPackageGivesPDFs() throws {
        let folder = try TemporaryDirectory()
        try folder.write("tiny.yaml", text: TinyExperiment.config(report: "pdf: true"))
        let outcome = try Self.run(
            ["run", "tiny.yaml", "--out", "site", "--cache", "cache"], in: folder,
            environment: ["PATH": folder.file("no-tools-here")])
        #expect(outcome.errors.components(separatedBy: "apt-get install weasyprint").count == 2, "\(outcome.errors)")
        #expect(FileManager.default.fileExists(atPath: folder.file("site/writeup.html")))
        #expect(!FileManager.default.fileExists(atPath: folder.file("site/writeup.pdf")))

        // Asked for no PDF, the run neither prints one nor gives the advice, WeasyPrint or not.
        for path in [folder.file("no-tools-here"), ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"] {
            let unprinted = try Self.run(
                ["run", "tiny.yaml", "--out", "site", "--cache", "cache", "--set", "report.pdf=false"], in: folder,
                environment: ["PATH": path])
            #expect(!unprinted.errors.contains("weasyprint"), "\(unprinted.errors)")
            #expect(FileManager.default.fileExists(atPath: folder.file("site/writeup.html")))
            #expect(!FileManager.default.fileExists(atPath: folder.file("site/writeup.pdf")))
        }
    }

    /// The user's copy of the templates: their prose survives reruns while the numbers follow the run, their own
    /// page joins the navigation, and their images are copied into the site; `report.templates` in a config is
    /// read relative to the config file.
    @Test func theUsersTemplatesKeepTheirProseTakeTheRunsNumbersAndAddTheirPages() throws {
        let folder = try TemporaryDirectory()
        try folder.write("work/tiny.yaml", text: TinyExperiment.config(report: "pdf: false, templates: mine"))
        try Self.run(["templates", "export", "work/mine"], in: folder)
        let writeup = folder.file("work/mine/writeup.md.mustache")
        var text = try String(contentsOfFile: writeup, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "## Background\n",
            with: "## Background\n\nIn our own words: the final model has {{final.clusters}} clusters.\n")
        try folder.write("work/mine/writeup.md.mustache", text: text)
        try folder.write(
            "work/mine/lab-notes.md.mustache",
            text: "---\ntitle: Lab notes\nafter: final-model\n---\n# Lab notes\n\nSilhouette {{final.silhouette}}.\n\n"
                + "![Our diagram](diagram.png)\n")
        try folder.write("work/mine/diagram.png", bytes: [0x89, 0x50, 0x4E, 0x47])

        for clusters in [4, 5] {
            try Self.run(
                ["run", "work/tiny.yaml", "--out", "site", "--cache", "cache", "--set", "models.clusters=\(clusters)"],
                in: folder)
            let markdown = try String(contentsOfFile: folder.file("site/writeup.md"), encoding: .utf8)
            #expect(markdown.contains("In our own words: the final model has \(clusters) clusters."))
        }
        let index = try String(contentsOfFile: folder.file("site/index.html"), encoding: .utf8)
        let finalModel = try #require(index.range(of: "href=\"final-model.html\""))
        let notes = try #require(index.range(of: "href=\"lab-notes.html\">Lab notes"))
        #expect(finalModel.upperBound < notes.lowerBound)
        #expect(try String(contentsOfFile: folder.file("site/lab-notes.md"), encoding: .utf8).hasPrefix("# Lab notes"))
        #expect(
            FileManager.default.contents(atPath: folder.file("site/diagram.png")) == Data([0x89, 0x50, 0x4E, 0x47]))

        // Exporting over the edited copy would replace the user's prose: refused, nothing touched.
        let again = try CommandRunner.run(["templates", "export", "work/mine"], in: folder.path)
        #expect(again.status == 1 && again.errors.contains("writeup.md.mustache"))
        #expect(try String(contentsOfFile: writeup, encoding: .utf8) == text)
    }
}
