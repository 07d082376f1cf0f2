import FERCodecs
import FERTestSupport
import Testing

@Suite struct ImageCodecTests {
    private let gradient = GrayImage(width: 48, height: 48, pixels: CSVFixture.gradient())

    @Test func pngRoundTripIsExact() throws {
        let bytes = try PNGCodec.encode(gradient)
        #expect(bytes.withUnsafeBytes { PNGCodec.isPNG($0) })
        #expect(try bytes.withUnsafeBytes { try PNGCodec.decodeGray($0) } == gradient)
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
