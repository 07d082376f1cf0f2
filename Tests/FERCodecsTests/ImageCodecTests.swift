import FERCodecs
import FERCore
import FERTestSupport
import Testing

@Suite struct ImageCodecTests {
    private let gradient = GrayImage(width: 48, height: 48, pixels: CSVFixture.gradient())

    @Test func pngRoundTripIsExact() throws {
        let bytes = try PNGCodec.encode(gradient)
        #expect(bytes.withUnsafeBytes { PNGCodec.isPNG($0) })
        #expect(try bytes.withUnsafeBytes { try PNGCodec.decodeGray($0) } == gradient)
    }

    /// The sprite sheets' quick writer gives PNGs libpng reads back exactly, whatever the size and content, and
    /// no larger than a fifth above libpng's own on noisy faces-like pixels.
    @Test func theQuickGrayWriterRoundTripsThroughLibpng() throws {
        var random = SeededGenerator(seed: 3)
        let noisy = (0..<(97 * 61)).map { index in
            UInt8(clamping: 128 + (index % 97) - (index / 97) + Int(random.next() % 41) - 20)
        }
        for image in [
            gradient, GrayImage(width: 1, height: 1, pixels: [7]), GrayImage(width: 97, height: 61, pixels: noisy),
            GrayImage(width: 3, height: 200, pixels: (0..<600).map { UInt8($0 % 256) }),
        ] {
            let bytes = GrayPNGWriter.encode(width: image.width, height: image.height, pixels: image.pixels)
            #expect(bytes.withUnsafeBytes { PNGCodec.isPNG($0) })
            #expect(
                try bytes.withUnsafeBytes { try PNGCodec.decodeGray($0) } == image, "\(image.width)x\(image.height)")
        }
        let quick = GrayPNGWriter.encode(width: 97, height: 61, pixels: noisy)
        let standard = try PNGCodec.encode(GrayImage(width: 97, height: 61, pixels: noisy))
        #expect(Double(quick.count) < 1.2 * Double(standard.count), "\(quick.count) against \(standard.count)")
    }

    @Test func colourPNGBecomesLuminance() throws {
        // Rec. 601 luma: 0.299 R + 0.587 G + 0.114 B, rounded.
        let rgb: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]
        let bytes = try PNGCodec.encode(width: 4, height: 1, channels: 3, pixels: rgb)
        let gray = try bytes.withUnsafeBytes { try PNGCodec.decodeGray($0) }
        #expect(gray.pixels == [76, 150, 29, 18])
    }

    @Test func transparentPixelsBecomeWhite() throws {
        let rgba: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 255]
        let bytes = try PNGCodec.encode(width: 2, height: 1, channels: 4, pixels: rgba)
        #expect(try bytes.withUnsafeBytes { try PNGCodec.decodeGray($0) }.pixels == [255, 0])
    }

    @Test func jpegRoundTripIsClose() throws {
        let bytes = try JPEGCodec.encode(gradient, quality: 95)
        #expect(bytes.withUnsafeBytes { JPEGCodec.isJPEG($0) })
        let decoded = try bytes.withUnsafeBytes { try JPEGCodec.decodeGray($0) }
        #expect(decoded.width == 48 && decoded.height == 48)
        let error = zip(decoded.pixels, gradient.pixels).map { abs(Int($0) - Int($1)) }
        #expect(Double(error.reduce(0, +)) / Double(error.count) < 4)
    }

    @Test func garbageIsRejectedWithAMessage() throws {
        let junk = Array("this is not an image".utf8)
        #expect(throws: CodecError("not a PNG image")) { try junk.withUnsafeBytes { try PNGCodec.decodeGray($0) } }
        #expect(throws: CodecError("not a JPEG image")) { try junk.withUnsafeBytes { try JPEGCodec.decodeGray($0) } }
    }

    @Test func truncatedImagesAreRejected() throws {
        let png = Array(try PNGCodec.encode(gradient).prefix(60))
        #expect(throws: CodecError.self) { try png.withUnsafeBytes { try PNGCodec.decodeGray($0) } }
        let jpeg = Array(try JPEGCodec.encode(gradient).prefix(200))
        #expect(throws: CodecError.self) { try jpeg.withUnsafeBytes { try JPEGCodec.decodeGray($0) } }
    }
}
