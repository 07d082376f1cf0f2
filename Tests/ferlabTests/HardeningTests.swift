import FERCodecs
import FERCore
import FERTestSupport
import Foundation
import Testing

/// A check that a site is whole: the same files as a complete run of the same config, each with the
/// same bytes (all but the run log), so a torn mix of two runs' files cannot pass.
private func expectWhole(_ files: [String: Data], like reference: [String: Data], _ comment: String) {
    #expect(Set(files.keys) == Set(reference.keys), "\(comment): the site's files differ from a complete site's")
    #expect(FolderSnapshot.differences(files, reference) == [], "\(comment): files differ from a complete run's")
}

/// A refused run: exit status 1, a message with `prefix` that says `problem`, and the site as it was.
private func expectRefused(
    _ outcome: CommandRunner.Outcome, prefix: String, problem: String, site: String,
    unchanged before: [String: Data], _ name: String
) throws {
    #expect(outcome.status == 1, "\(name): exit \(outcome.status)")
    #expect(outcome.errors.contains(prefix), "\(name): \(outcome.errors)")
    #expect(outcome.errors.contains(problem), "\(name): \(outcome.errors)")
    #expect(try FolderSnapshot.files(in: site) == before, "\(name) changed the site")
}

/// Bad input, interrupted and concurrent runs, a full disk, and determinism,
/// through the `ferlab` executable as a user meets them.
@Suite(.serialized) struct HardeningTests {
    private func corpus(_ relative: String) throws -> String {
        try #require(Bundle.module.url(forResource: "Corpus", withExtension: nil)).appendingPathComponent(relative).path
    }

    /// Each malformed dataset and what its error must say besides its path.
    private static let datasets: [(file: String, place: String, problem: String)] = [
        ("byte-flip.csv", ":6:", "not an integer 0-255"),
        ("corrupt.csv.gz", "", "gzip"),
        ("duplicated-separator.csv", ":4:", "pixels is empty"),
        ("empty.csv", "", "empty"),
        ("extra-field.csv", ":12:", "fields"),
        ("header-only.csv", ":1:", "not followed by any data rows"),
        ("huge-number.csv", ":7:", "outside 0-255"),
        ("label-not-a-number.csv", ":3:", "not an integer label code"),
        ("missing-separator.csv", ":5:", "not an integer label code"),
        ("negative-number.csv", ":8:", "outside 0-255"),
        ("no-pixels-column.csv", ":1:", "pixels"),
        ("non-utf8.csv", ":10:", "not an integer label code"),
        ("not-a-csv.csv", ":1:", "no 'emotion' column (columns: '\\u{0}\\u{1}"),
        ("stray-quote.csv", ":9:", "quote"),
        ("truncated.csv", ":15:", "truncated"),
        ("unknown-label.csv", ":11:", "unknown emotion code 9"),
        ("wrong-pixel-count.csv", ":10:", "pixels has 60 values, expected 64"),
    ]

    @Test func malformedDatasetsAreRefusedWithTheirPlaceAndTheSiteKept() throws {
        let workspace = try TinyWorkspace()
        try workspace.publish()
        let before = try FolderSnapshot.files(in: workspace.site)
        for (file, place, problem) in Self.datasets {
            let path = try corpus("datasets/\(file)")
            let start = Date()
            let outcome = try workspace.run(["--data", path])
            #expect(Date().timeIntervalSince(start) < 10, "\(file) took too long")
            try expectRefused(
                outcome, prefix: "ferlab: error: \(path)\(place)", problem: problem,
                site: workspace.site, unchanged: before, file)
        }
    }

    /// Each malformed config and what its error must name.
    private static let configs: [(file: String, place: String, problem: String)] = [
        ("huge-number.yaml", ":3:", "models.clusters"),
        ("list-at-top.yaml", ":1:", "mapping"),
        ("missing-data.yaml", "", "no-such-file.csv"),
        ("negative.yaml", ":3:", "images.nearest"),
        ("non-utf8.yaml", "", "UTF-8"),
        ("out-of-range.yaml", ":3:", "split.test_fraction"),
        ("syntax-error.yaml", ":3:", "is not valid YAML"),
        ("tabs.yaml", ":3:", "is not valid YAML"),
        ("unknown-key.yaml", ":3:", "models.clusterz"),
        ("wrong-type.yaml", ":3:", "models.restarts"),
    ]

    @Test func malformedConfigsAreRefusedWithTheirLine() throws {
        let workspace = try TinyWorkspace()
        try workspace.publish()
        let before = try FolderSnapshot.files(in: workspace.site)
        for (file, place, problem) in Self.configs {
            let path = try corpus("configs/\(file)")
            let outcome = try CommandRunner.run(
                [
                    "run", path, "--out", workspace.site, "--cache", workspace.cache, "--templates",
                    ProjectFiles.path("Templates"),
                ],
                in: workspace.folder.path)
            // Without a place, the message is about something the config names (its data file, say).
            try expectRefused(
                outcome, prefix: place.isEmpty ? "ferlab: error: " : "ferlab: error: \(path)\(place)",
                problem: problem, site: workspace.site, unchanged: before, file)
        }
    }

    @Test func generatedMutationsOfAGoodFileNeverCrash() throws {
        let folder = try TemporaryDirectory()
        let valid = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try corpus("datasets/good.csv"))))
        #expect(try CommandRunner.run(["inspect", try corpus("datasets/good.csv")]).status == 0)
        var random = SeededGenerator(seed: 2024)
        let insertions: [UInt8] = Array(",\" \n\r\t-9".utf8) + [0, 0xFF, 0xC3]
        for index in 0..<60 {
            var bytes = valid
            for _ in 0...random.below(3) {
                let at = random.below(bytes.count)
                switch random.below(5) {
                case 0: bytes.removeSubrange(at...)
                case 1: bytes[at] ^= UInt8(1 << random.below(8))
                case 2: bytes.insert(insertions[random.below(insertions.count)], at: at)
                case 3: bytes.remove(at: at)
                default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 40)], at: at)
                }
                if bytes.isEmpty { break }
            }
            let path = try folder.write("mutation-\(index).csv", bytes: bytes)
            let start = Date()
            let outcome = try CommandRunner.run(["inspect", path])
            #expect(Date().timeIntervalSince(start) < 10, "mutation \(index) took too long")
            #expect(
                outcome.status == 0 || (outcome.status == 1 && outcome.errors.contains("ferlab: error: \(path)")),
                "mutation \(index): exit \(outcome.status): \(outcome.errors)")
        }
    }

    @Test func aTenMegabyteLineIsRefusedQuickly() throws {
        let folder = try TemporaryDirectory()
        let row = "0," + String(repeating: "255 ", count: 2_600_000) + "\n"
        let path = try folder.write("long.csv", text: "emotion,pixels\n" + row)
        let start = Date()
        let outcome = try CommandRunner.run(["inspect", path])
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(outcome.status == 1)
        #expect(outcome.errors.contains("ferlab: error: \(path):2: pixels has 2600000 values"), "\(outcome.errors)")
    }

    @Test func brokenImageFoldersNameTheFile() throws {
        let workspace = try TinyWorkspace()
        try workspace.publish()
        let before = try FolderSnapshot.files(in: workspace.site)
        let good = try PNGCodec.encode(GrayImage(width: 8, height: 8, pixels: [UInt8](repeating: 90, count: 64)))
        let cases: [(name: String, bytes: [UInt8]?, problem: String)] = [
            ("not-an-image.png", Array("just text".utf8), "not-an-image.png"),
            ("zero-bytes.png", [], "zero-bytes.png"),
            ("cut-short.png", Array(good.prefix(good.count / 2)), "cut-short.png"),
            ("empty", nil, "contains no .png or .jpg images"),
        ]
        for (name, bytes, problem) in cases {
            let root = workspace.folder.file("images-\(name)")
            try FileManager.default.createDirectory(atPath: root + "/happy", withIntermediateDirectories: true)
            if let bytes {
                _ = try workspace.folder.write("images-\(name)/happy/good.png", bytes: good)
                _ = try workspace.folder.write("images-\(name)/happy/\(name)", bytes: bytes)
            }
            try expectRefused(
                try workspace.run(["--data", root]), prefix: "ferlab: error: \(root)", problem: problem,
                site: workspace.site, unchanged: before, name)
        }
    }

    @Test func killedRunsNeverLeaveAHalfWrittenSite() throws {
        let workspace = try TinyWorkspace()
        let seconds = try workspace.publish()
        let complete = try FolderSnapshot.files(in: workspace.site)
        var random = SeededGenerator(seed: 77)
        for attempt in 0..<6 {
            // Forced runs redo every stage, so the kill lands anywhere from loading to publishing.
            let process = try CommandRunner.launch(workspace.arguments(["--force"]), in: workspace.folder.path)
            usleep(useconds_t(Double(random.below(1_000)) / 1_000 * seconds * 1e6))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            expectWhole(try FolderSnapshot.files(in: workspace.site), like: complete, "after kill \(attempt)")
        }
        // The next run completes, and what it reused from the cache was sound: it matches a fresh run.
        try workspace.publish()
        let fresh = try TinyWorkspace()
        try fresh.publish()
        let differences = FolderSnapshot.differences(
            try FolderSnapshot.files(in: workspace.site), try FolderSnapshot.files(in: fresh.site))
        #expect(differences == [], "the site after the kills differs from a fresh one in \(differences)")
    }

    @Test func twoRunsOnOneSiteTakeTurns() throws {
        let workspace = try TinyWorkspace()
        let runs = try (0..<2).map { index -> (process: Process, errors: Pipe) in
            let process = Process(), errors = Pipe()
            process.executableURL = CommandRunner.executable
            process.arguments = workspace.arguments(["--set", "models.clusters=\(3 + index)"])
            process.currentDirectoryURL = URL(fileURLWithPath: workspace.folder.path)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            return (process, errors)
        }
        let messages = runs.map { run in
            let text = String(decoding: run.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            run.process.waitUntilExit()
            return text
        }
        #expect(runs.allSatisfy { $0.process.terminationStatus == 0 }, "\(messages)")
        #expect(messages.contains { $0.contains("waiting") }, "neither run said it waited")
        // The lock they took turns on is not left beside the site.
        let beside = try FileManager.default.contentsOfDirectory(
            atPath: (workspace.site as NSString).deletingLastPathComponent)
        #expect(!beside.contains { $0.hasSuffix(".lock") }, "\(beside)")
        // Whichever published last, its site is whole and the same as a run of it alone.
        let site = try FolderSnapshot.files(in: workspace.site)
        let log = try #require(try JSONSerialization.jsonObject(with: site["run.json"] ?? Data()) as? [String: Any])
        let clusters = try #require((log["parameters"] as? [String: String])?["models.clusters"])
        let alone = try TinyWorkspace()
        try alone.publish(["--set", "models.clusters=\(clusters)"])
        #expect(FolderSnapshot.differences(site, try FolderSnapshot.files(in: alone.site)) == [])
    }

    @Test func aFullDiskStopsWithTheFileAndKeepsTheSite() throws {
        let workspace = try TinyWorkspace()
        try workspace.publish()
        let before = try FolderSnapshot.files(in: workspace.site)
        // Files may grow to 64 KiB at most: writing a bigger one fails as on a full disk.
        let script = "trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, CommandRunner.executable.path] + workspace.arguments(["--force"])
        process.currentDirectoryURL = URL(fileURLWithPath: workspace.folder.path)
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(text.contains("ferlab: error: ") && text.contains(": cannot write: File too large"), "\(text)")
        #expect(try FolderSnapshot.files(in: workspace.site) == before)
    }

    @Test func anOutputThatCannotBeAFolderIsAClearError() throws {
        let workspace = try TinyWorkspace()
        let blocker = try workspace.folder.write("blocker", text: "a file, not a folder\n")
        for option in ["--out", "--cache"] {
            let outcome = try CommandRunner.run(
                ["run", "tiny.yaml", option, blocker + "/inside", "--templates", ProjectFiles.path("Templates")],
                in: workspace.folder.path)
            #expect(outcome.status == 1, "\(option)")
            #expect(
                outcome.errors.contains("ferlab: error:") && outcome.errors.contains(blocker),
                "\(option): \(outcome.errors)")
        }
    }

    @Test func oneOrTwoThreadsGiveTheSameSite() throws {
        let one = try TinyWorkspace(), two = try TinyWorkspace()
        try one.publish(environment: ["FERLAB_THREADS": "1"])
        try two.publish(environment: ["FERLAB_THREADS": "2"])
        #expect(
            FolderSnapshot.differences(try FolderSnapshot.files(in: one.site), try FolderSnapshot.files(in: two.site))
                == [])
    }
}
