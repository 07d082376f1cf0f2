import FERCodecs
import FERTestSupport
import Foundation
import Testing

/// Data that once crashed, hung or exhausted memory, through the `ferlab`
/// binary: each must end in a clear error naming the data, or a good run.
@Suite struct UserDataTests {
    /// A CSV of `rows` images of `side` x `side`, label `row % labels`, pixels from `pixel(row, index)`.
    private func csv(
        _ folder: TemporaryDirectory, _ name: String, rows: Int, side: Int = 8, labels: Int = 7,
        pixel: (Int, Int) -> Int
    ) throws -> String {
        var text = "emotion,pixels\n"
        for row in 0..<rows {
            text +=
                "\(row % labels)," + (0..<(side * side)).map { String(pixel(row, $0) & 255) }.joined(separator: " ")
                + "\n"
        }
        return try folder.write(name, text: text)
    }

    private func expectError(
        _ outcome: CommandRunner.Outcome, naming path: String, saying problem: String,
        _ comment: Comment
    ) {
        #expect(outcome.status == 1, comment)
        #expect(
            outcome.errors.contains("ferlab: error: \(path)") && outcome.errors.contains(problem),
            "\(comment): \(outcome.errors)")
    }

    private func run(
        _ data: String, in folder: TemporaryDirectory, _ extra: [String] = []
    ) throws -> CommandRunner.Outcome {
        try CommandRunner.run(
            [
                "run", "--data", data, "--out", folder.file("site"), "--cache", folder.file("cache"),
                "--templates", ProjectFiles.path("Templates"), "--set", "report.pdf=false",
            ] + extra, in: folder.path)
    }

    @Test func aCompressedEndlessLineStopsEarly() throws {
        let folder = try TemporaryDirectory()
        // One 1 MB member of 'A' repeated: 3 GB once inflated, 3 MB on disk.
        let head = Array("emotion,pixels\n0,".utf8) + Array(CSVFixture.pixelField(CSVFixture.gradient()).utf8) + [10]
        let member = [UInt8](repeating: UInt8(ascii: "A"), count: 1 << 20).withUnsafeBytes { Gzip.compress($0) }
        var bytes = head.withUnsafeBytes { Gzip.compress($0) }
        for _ in 0..<3000 { bytes += member }
        let path = try folder.write("bomb.csv.gz", bytes: bytes)
        // Under a 1 GB cap: the error comes before the 3 GB are inflated.
        expectError(
            try CommandRunner.run(["inspect", path], memoryLimit: 1_000_000), naming: "\(path):3",
            saying: "is longer than", "bomb")
    }

    @Test func aCompressedFileTooLargeToInflateIsRefusedNotCrashedOn() throws {
        let folder = try TemporaryDirectory()
        // Valid rows in members of about 1 MB, 300 MB once inflated: more than a quarter of a 1 GB cap.
        let row = Array("0,\(CSVFixture.pixelField(CSVFixture.gradient()))\n".utf8)
        let rows = [[UInt8]](repeating: row, count: (1 << 20) / row.count).flatMap { $0 }
        let member = rows.withUnsafeBytes { Gzip.compress($0) }
        var bytes = Array("emotion,pixels\n".utf8).withUnsafeBytes { Gzip.compress($0) }
        for _ in 0..<300 { bytes += member }
        let path = try folder.write("large.csv.gz", bytes: bytes)
        expectError(
            try CommandRunner.run(["inspect", path], memoryLimit: 1_000_000), naming: path,
            saying: "inflates to more than 0.3 GB of text", "a gzip file too large to inflate")
    }

    /// Images that would not fit are refused before room is made for them: 40 tiny PNGs resized to 4096x4096
    /// are 671 MB of pixels, more than three quarters of a 400 MB cap.
    @Test func imagesTooLargeForMemoryAreRefusedNotCrashedOn() throws {
        let folder = try TemporaryDirectory()
        let png = try PNGCodec.encode(GrayImage(width: 8, height: 8, pixels: (0..<64).map { UInt8($0 * 3) }))
        for index in 0..<40 {
            _ = try folder.write("faces/\(index % 2 == 0 ? "happy" : "sad")/\(index).png", bytes: png)
        }
        expectError(
            try CommandRunner.run(
                ["inspect", folder.file("faces"), "--width", "4096", "--height", "4096"], memoryLimit: 400_000),
            naming: folder.file("faces"), saying: "its images (room for 40 of 4096x4096) would take 0.7 GB",
            "images too large for memory")
    }

    /// A file read whole that would not fit is refused before room is made for it: a gzip file of 8 GB (sparse,
    /// so it takes no disk) under a 1 GB cap.
    @Test func aFileTooLargeToReadWholeIsRefusedNotCrashedOn() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("huge.csv.gz", bytes: [0x1F, 0x8B])
        #expect(truncate(path, 8 << 30) == 0)
        expectError(
            try CommandRunner.run(["inspect", path], memoryLimit: 1_000_000), naming: path,
            saying: "is 8.6 GB, more than half of the 1.0 GB this process may use", "a file too large to read whole")
    }

    @Test func aFileCutShortWhileItIsReadNeverCrashes() throws {
        let folder = try TemporaryDirectory()
        let path = try csv(folder, "large.csv", rows: 4000, side: 48) { row, index in row &* 31 &+ index }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        for attempt in 0..<5 {
            try original.write(to: URL(fileURLWithPath: path))
            let process = try CommandRunner.launch(["inspect", path])
            usleep(useconds_t(attempt * 15_000))
            #expect(truncate(path, off_t(size / 3)) == 0)
            process.waitUntilExit()
            #expect(
                process.terminationReason == .exit, "attempt \(attempt): stopped by signal \(process.terminationStatus)"
            )
            #expect(process.terminationStatus <= 1, "attempt \(attempt)")
        }
    }

    @Test func inspectWithoutDataDescribesTheBuiltInFaces() throws {
        let unnamed = try CommandRunner.run(["inspect", "--json"])
        #expect(unnamed.status == 0 && unnamed.output.contains("\"rows\" : 5000"), "\(unnamed.output.prefix(400))")
        #expect(try CommandRunner.run(["inspect", "synthetic", "--json"]).output == unnamed.output)
    }

    @Test func labelNamesMustBeNamesAndDistinct() throws {
        let folder = try TemporaryDirectory()
        let path = try csv(folder, "data.csv", rows: 70) { row, index in row * 7 + index }
        let empty = try CommandRunner.run(["inspect", path, "--labels", ",,,,,,"])
        #expect(empty.status != 0 && empty.errors.contains("non-empty names"), "\(empty.errors)")
        let twice = try run(path, in: folder, ["--set", "dataset.labels=[a,a,b,c,d,e,f]"])
        #expect(twice.status == 1 && twice.errors.contains("dataset.labels: names \"a\" twice"), "\(twice.errors)")
    }

    @Test func dataThatCannotBeMeasuredIsRefused() throws {
        let folder = try TemporaryDirectory()
        let blank = try csv(folder, "blank.csv", rows: 140) { _, _ in 0 }
        expectError(try run(blank, in: folder), naming: blank, saying: "the images carry no information", "blank")
        let oneLabel = try csv(folder, "one-label.csv", rows: 140, labels: 1) { row, index in row * 13 + index * 7 }
        expectError(try run(oneLabel, in: folder), naming: oneLabel, saying: "images of one label only", "one label")
        let three = try csv(folder, "three.csv", rows: 200) { row, index in (row % 3) * 50 + index }
        expectError(
            try run(three, in: folder), naming: three, saying: "only 3 different images, fewer than the 7 clusters",
            "three images")
        #expect(!FileManager.default.fileExists(atPath: folder.file("site")), "a refused run published a site")
    }

    @Test func largeImagesRunWithinAMemoryCap() throws {
        let folder = try TemporaryDirectory()
        // 128x128 images: per-fold scatter matrices alone would take 10 GB.
        let path = try csv(folder, "large-images.csv", rows: 210, side: 128) { row, index in
            (index % 128) * (row % 7 + 1) + (row * 37 + index / 128 * 11) % 23
        }
        let config = try folder.write(
            "small.yaml",
            text: """
                name: small
                models: {restarts: 1}
                grid: {components: [2, 3], clusters: [3, 4], restarts: 1}
                features: {compare: []}
                images: {nearest: 2, random: 2}
                figures: {scale: 1, scree_components: 5, eigenfaces: 2}
                report: {pdf: false}

                """)
        let outcome = try CommandRunner.run(
            [
                "run", config, "--data", path, "--out", folder.file("site"),
                "--cache", folder.file("cache"), "--templates", ProjectFiles.path("Templates"),
            ],
            in: folder.path, memoryLimit: 1_500_000)
        #expect(outcome.status == 0, "\(outcome.errors.suffix(2000))")
        // The estimate made before the run (which refuses runs that cannot fit) is at least the peak it reached.
        let log = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: folder.file("site/run.json"))))
        let memory = try #require(log as? [String: Any])
        let estimate = try #require(memory["estimated_memory_bytes"] as? Int)
        let peak = try #require(memory["peak_memory_bytes"] as? Int)
        #expect(peak > 0 && peak <= estimate, "peak \(peak) bytes, estimated \(estimate)")
    }

    @Test func aRunOverAFolderWithAPipeAndALoopSaysWhatItPassedOver() throws {
        let folder = try TemporaryDirectory()
        for (index, label) in ["angry", "happy", "sad", "neutral"].enumerated() {
            for image in 0..<30 {
                let pixels = CSVFixture.gradient(shift: index * 40 + image * 3)
                try folder.write(
                    "faces/\(label)/\(image).png",
                    bytes: try PNGCodec.encode(GrayImage(width: 48, height: 48, pixels: pixels)))
            }
        }
        let root = folder.file("faces")
        #expect(mkfifo(root + "/sad/pipe.png", 0o644) == 0)
        #expect(symlink(".", root + "/loop") == 0)
        let outcome = try run(root, in: folder)
        #expect(outcome.status == 0, "\(outcome.errors.suffix(2000))")
        let page = try String(contentsOfFile: folder.file("site/exploration.md"), encoding: .utf8)
        #expect(page.contains("pipe.png: neither a file nor a folder"), "\(page)")
        #expect(page.contains("loop: the same folder as one already read"), "\(page)")
    }

    /// Also with a thread count for OpenBLAS set by the user: OpenBLAS's worker threads could spin forever
    /// allocating their buffers under an address-space cap, so FERLab starts it without them and the refusal exits.
    @Test(arguments: [[:], ["OPENBLAS_NUM_THREADS": "4"]])
    func aRunThatCannotFitIsRefusedWithTheEstimate(environment: [String: String]) throws {
        let folder = try TemporaryDirectory()
        // The default experiment (5,000 built-in faces, four feature settings) under a 400 MB cap.
        let outcome = try CommandRunner.run(
            [
                "run", "--out", folder.file("site"), "--cache", folder.file("cache"),
                "--templates", ProjectFiles.path("Templates"),
            ],
            in: folder.path, environment: environment, memoryLimit: 400_000)
        let text = outcome.errors
        #expect(outcome.status == 1, "\(text.suffix(2000))")
        #expect(
            text.contains("ferlab: error: synthetic: would need about") && text.contains("preprocessing.per_class"),
            "\(text.suffix(2000))")
        #expect(!text.contains("computing reduce"), "the refusal came after model work had started")
    }
}
