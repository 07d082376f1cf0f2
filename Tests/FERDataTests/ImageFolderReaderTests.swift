import FERCodecs
import FERTestSupport
import Foundation
import Testing

@testable import FERData

/// The committed trees under Fixtures were written by Pillow (Scripts/fixtures/make_image_trees.py).
private func fixture(_ name: String) throws -> String {
    let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    return root.appendingPathComponent(name).path
}

@Suite struct ImageFolderReaderTests {
    @Test func splitLayoutWithEmotionNames() throws {
        let dataset = try ImageFolderReader.read(root: try fixture("fer-split"))
        // Sorted paths: test/sad/PrivateTest_5.jpg, test/sad/PublicTest_4.png, train/angry/..., train/happy/Training_1.jpg, Training_3.png
        #expect(dataset.count == 5)
        #expect(dataset.labelNames == EmotionLabels.fer2013)
        #expect(dataset.labels == [4, 4, 0, 3, 3])
        #expect(
            (0..<5).map { dataset.usageName($0) } == ["PrivateTest", "PublicTest", "Training", "Training", "Training"])
        #expect(dataset.provenance.kind == .imageFolders)

        // The gradient PNG is read exactly; its JPEG twin closely.
        #expect(Array(dataset.image(4)) == CSVFixture.gradient())
        let jpegError = zip(dataset.image(3), CSVFixture.gradient()).map { abs(Int($0) - Int($1)) }
        #expect(Double(jpegError.reduce(0, +)) / Double(jpegError.count) < 4)

        // 96x96 red|blue RGB PNG resized to 48x48: Rec. 601 luma of red (76) and blue (29).
        let resized = Array(dataset.image(2))
        #expect(resized[10 * 48 + 5] == 76)
        #expect(resized[10 * 48 + 40] == 29)

        // Green|white RGB JPEG: the same luma rule as PNG (green 150), white stays white.
        let jpeg = Array(dataset.image(0))
        #expect(abs(Int(jpeg[20 * 48 + 5]) - 150) <= 3)
        #expect(jpeg[20 * 48 + 40] >= 252)

        // Gray+alpha PNG: the opaque left half is 40, the transparent right half white.
        let transparent = Array(dataset.image(1))
        #expect(transparent[5] == 40)
        #expect(transparent[40] == 255)
    }

    @Test func labelLayoutWithOtherNames() throws {
        let dataset = try ImageFolderReader.read(root: try fixture("labels-only"))
        #expect(dataset.labelNames == ["apple", "zebra"])
        #expect(dataset.labels == [0, 0, 1])
        #expect(dataset.usage == nil)
        // c.jpg is 32x32 and was resized up to 48x48.
        #expect(dataset.pixels.count == 3 * 48 * 48)
    }

    @Test func otherTargetSizes() throws {
        let dataset = try ImageFolderReader.read(
            root: try fixture("labels-only"), options: DatasetOptions(width: 24, height: 16))
        #expect(dataset.width == 24 && dataset.height == 16)
        #expect(dataset.pixels.count == 3 * 24 * 16)
    }

    @Test func loaderPicksTheFolderReader() throws {
        #expect(try DatasetLoader.load(path: try fixture("labels-only")).count == 3)
    }

    @Test func undecodableImageIsNamed() throws {
        let directory = try TemporaryDirectory()
        try directory.write(
            "happy/good.png", bytes: try PNGCodec.encode(GrayImage(width: 2, height: 2, pixels: [1, 2, 3, 4])))
        let bad = try directory.write("happy/bad.jpg", text: "hello")
        #expect(throws: DataError(file: bad, "is neither a PNG nor a JPEG image")) {
            try ImageFolderReader.read(root: directory.path)
        }
    }

    @Test func zeroByteAndTruncatedImages() throws {
        let directory = try TemporaryDirectory()
        let empty = try directory.write("sad/empty.png", bytes: [])
        #expect(throws: DataError(file: empty, "image file is empty")) {
            try ImageFolderReader.read(root: directory.path)
        }
        try FileManager.default.removeItem(atPath: empty)
        let png = try PNGCodec.encode(GrayImage(width: 48, height: 48, pixels: CSVFixture.gradient()))
        let cut = try directory.write("sad/cut.png", bytes: Array(png.prefix(80)))
        #expect(throws: DataError.self) { try ImageFolderReader.read(root: directory.path) }
        do { _ = try ImageFolderReader.read(root: directory.path) } catch {
            #expect("\(error)".hasPrefix("\(cut): PNG is"))
        }
    }

    @Test func foldersWithoutImages() throws {
        let directory = try TemporaryDirectory()
        #expect(
            throws: DataError(
                file: directory.path,
                "has no label folders (expected ROOT/<label>/*.png or ROOT/<split>/<label>/*.jpg)")
        ) {
            try ImageFolderReader.read(root: directory.path)
        }
        try directory.makeFolder("happy")
        try directory.write("happy/readme.txt", text: "x")
        #expect(throws: DataError(file: directory.path, "contains no .png or .jpg images")) {
            try ImageFolderReader.read(root: directory.path)
        }
    }

    @Test func imagesOutsideLabelFolders() throws {
        let directory = try TemporaryDirectory()
        let stray = try directory.write(
            "loose.png", bytes: try PNGCodec.encode(GrayImage(width: 1, height: 1, pixels: [0])))
        #expect(throws: DataError(file: stray, "images must sit in one folder per label (ROOT/<label>/image.png)")) {
            try ImageFolderReader.read(root: directory.path)
        }
    }

    /// A folder of datasets (one of label folders beside one of split folders) is not read as one: the error
    /// says what each holds and where to point instead, rather than passing the deeper images over.
    @Test func aFolderOfDatasetsSaysWhatItHolds() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: try fixture("labels-only"), toPath: directory.file("fruit"))
        try FileManager.default.copyItem(atPath: try fixture("fer-split"), toPath: directory.file("fer"))
        let error = #expect(throws: DataError.self) { try ImageFolderReader.read(root: directory.path) }
        let message = "\(error.map { "\($0)" } ?? "")"
        #expect(message.contains("holds more than one dataset"), "\(message)")
        #expect(message.contains("fer/ (split folders test, train, each with label folders)"), "\(message)")
        #expect(message.contains("fruit/ (label folders apple, zebra)"), "\(message)")
        #expect(message.contains("like \(directory.file("fer"))"), "\(message)")
        // Each of them alone reads.
        #expect(try ImageFolderReader.read(root: directory.file("fer")).count > 0)
        // A tree that is one level too deep everywhere is said to be that, not several datasets.
        let deeper = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: try fixture("fer-split"), toPath: deeper.file("faces"))
        let tooDeep = #expect(throws: DataError.self) {
            try ImageFolderReader.read(root: deeper.path)
        }
        #expect(
            "\(tooDeep.map { "\($0)" } ?? "")".contains("is nested deeper than FERLab reads: faces/test/ holds folders")
        )
    }

    @Test func notAFolder() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("x.txt", text: "x")
        #expect(throws: DataError(file: file, "is not a folder")) { try ImageFolderReader.read(root: file) }
    }
}

@Suite struct ImageResizerTests {
    @Test func sameSizeIsUnchanged() {
        let image = GrayImage(width: 48, height: 48, pixels: CSVFixture.gradient())
        #expect(ImageResizer.resize(image, width: 48, height: 48) == image)
    }

    @Test func downscalingAveragesBlocks() {
        // A 4x4 checkerboard of 2x2 blocks halves to the block values.
        let pixels: [UInt8] = [0, 0, 200, 200, 0, 0, 200, 200, 100, 100, 50, 50, 100, 100, 50, 50]
        let half = ImageResizer.resize(GrayImage(width: 4, height: 4, pixels: pixels), width: 2, height: 2)
        #expect(half.pixels == [0, 200, 100, 50])
    }

    /// One resampling reused for many images, its buffers kept between them, gives each image's own resize.
    @Test func aReusedResamplingGivesEachImagesResize() {
        let images = (0..<3).map { seed in
            GrayImage(
                width: 48, height: 40, pixels: (0..<(48 * 40)).map { UInt8(truncatingIfNeeded: $0 * (seed + 7) / 3) })
        }
        for (width, height) in [(16, 16), (48, 40), (60, 52), (7, 45)] {
            let resizing = ImageResizing(from: 48, 40, to: width, height)
            var output = [UInt8](repeating: 0, count: width * height), rows = [Float](repeating: 0, count: width * 40)
            for image in images {
                image.pixels.withUnsafeBufferPointer { pixels in
                    output.withUnsafeMutableBufferPointer { out in
                        rows.withUnsafeMutableBufferPointer { resizing.resample(pixels, into: out, rows: $0) }
                    }
                }
                let expected =
                    width == 48 && height == 40
                    ? image.pixels : ImageResizer.resize(image, width: width, height: height).pixels
                #expect(output == expected, "\(width) x \(height)")
            }
        }
    }

    @Test func constantImagesStayConstant() {
        let flat = GrayImage(width: 7, height: 5, pixels: [UInt8](repeating: 77, count: 35))
        #expect(ImageResizer.resize(flat, width: 48, height: 48).pixels.allSatisfy { $0 == 77 })
        #expect(ImageResizer.resize(flat, width: 3, height: 2).pixels.allSatisfy { $0 == 77 })
    }
}

@Suite struct ImageFolderHardeningTests {
    @Test func cmykJPEGsAreReadAsGray() throws {
        // Written by Pillow with an Adobe marker: white, full black ink, 50% black ink and full cyan.
        let image = Array(try ImageFolderReader.read(root: try fixture("cmyk")).image(0))
        func near(_ x: Int, _ y: Int, _ expected: Int) -> Bool { abs(Int(image[y * 48 + x]) - expected) <= 4 }
        #expect(near(4, 10, 255), "no ink is white")
        #expect(near(24, 10, 0), "full black ink is black")
        #expect(near(40, 10, 127), "half black ink is mid gray")
        #expect(near(40, 40, 179), "cyan is the luma of (0, 255, 255)")
    }

    @Test func whatCannotBeReadIsPassedOverAndSaid() throws {
        let folder = try TemporaryDirectory()
        let png = try PNGCodec.encode(GrayImage(width: 8, height: 8, pixels: CSVFixture.gradient(side: 8)))
        for name in ["happy/a.png", "happy/b.png", "sad/c.png"] { try folder.write("tree/\(name)", bytes: png) }
        let root = folder.file("tree")
        #expect(symlink(".", root + "/loop") == 0)
        #expect(symlink("missing.png", root + "/happy/dangling.png") == 0)
        #expect(mkfifo(root + "/sad/pipe.png", 0o644) == 0)
        let badName = Array((root + "/s").utf8) + [0xFF] + Array("ad".utf8)
        #expect(mkdir(badName.map { CChar(bitPattern: $0) } + [0], 0o755) == 0)

        let dataset = try ImageFolderReader.read(root: root)
        #expect(dataset.count == 3, "every image once: none through the loop, none from the unreadable entries")
        let skipped = dataset.provenance.skipped.joined(separator: "\n")
        #expect(skipped.contains("loop: the same folder as one already read"), "\(skipped)")
        #expect(skipped.contains("dangling.png: a symbolic link to nothing"), "\(skipped)")
        #expect(skipped.contains("pipe.png: neither a file nor a folder"), "\(skipped)")
        #expect(skipped.contains("s\\xffad: its name is not UTF-8"), "\(skipped)")
    }

    @Test func oversizedImagesAreRefusedFromTheirHeader() throws {
        let folder = try TemporaryDirectory()
        let small = try PNGCodec.encode(GrayImage(width: 8, height: 8, pixels: CSVFixture.gradient(side: 8)))
        try folder.write("big/happy/b.png", bytes: small)
        // A 600x600 first image would set the size of all; 8000x8000 is past the decoding limit.
        let large = try PNGCodec.encode(
            width: 600, height: 600, channels: 1, pixels: [UInt8](repeating: 0, count: 360_000), fast: true)
        try folder.write("big/happy/a.png", bytes: large)
        do {
            _ = try ImageFolderReader.read(root: folder.file("big"))
            Issue.record("a 600x600 first image set the size of all")
        } catch let error as DataError {
            #expect("\(error)".contains("is 600x600") && "\(error)".contains("dataset.width"), "\(error)")
        }
        let resized = try ImageFolderReader.read(root: folder.file("big"), options: DatasetOptions(width: 8, height: 8))
        #expect(resized.count == 2)

        let huge = try PNGCodec.encode(
            width: 8000, height: 8000, channels: 1, pixels: [UInt8](repeating: 0, count: 64_000_000),
            fast: true)
        try folder.write("huge/happy/a.png", bytes: huge)
        do {
            _ = try ImageFolderReader.read(root: folder.file("huge"), options: DatasetOptions(width: 48, height: 48))
            Issue.record("an 8000x8000 image was decoded")
        } catch let error as DataError {
            #expect("\(error)".contains("8000x8000 (64 megapixels)"), "\(error)")
        }
    }
}
