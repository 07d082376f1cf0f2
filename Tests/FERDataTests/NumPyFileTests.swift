import FERTestSupport
import Foundation
import Testing

@testable import FERData

/// The `.npy` reader and writer against files NumPy wrote
/// (Scripts/reference/make_npy_fixtures.py), and what it refuses.
@Suite struct NumPyFileTests {
    private static func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: "Fixtures/npy/\(name)", withExtension: nil)).path
    }

    private static let expected: [Float] = [0.5, -1.25, 3.0, 4.75, 1e-3, 2e5]

    @Test func float32AndFortranOrderedFloat64TablesAreRead() throws {
        let single = try NumPyFile.readTable(path: try Self.fixture("table-f4.npy"), displayPath: "a.npy")
        #expect(single == NumPyFile.Table(rows: 3, columns: 2, values: Self.expected))
        let double = try NumPyFile.readTable(path: try Self.fixture("table-f8-fortran.npy"), displayPath: "b.npy")
        #expect(double == NumPyFile.Table(rows: 3, columns: 2, values: Self.expected))
    }

    @Test func imagesAreWrittenAsNumPyWritesThem() throws {
        let numpy = try Data(contentsOf: URL(fileURLWithPath: try Self.fixture("images-u1.npy")))
        let pixels = (0..<24).map(UInt8.init)
        #expect(NumPyFile.images(pixels[...], count: 2, width: 4, height: 3) == [UInt8](numpy))
    }

    @Test func otherTypesShapesAndDamagedFilesAreRefusedWithTheFile() throws {
        func problem(_ bytes: [UInt8]) throws -> String {
            let folder = try TemporaryDirectory()
            let path = folder.file("e.npy")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try NumPyFile.readTable(path: path, displayPath: "e.npy")
                return "read"
            } catch {
                return "\(error)"
            }
        }
        let integers = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try Self.fixture("table-i8.npy"))))
        #expect(
            try problem(integers)
                == "e.npy: holds values of type <i8; embeddings must be little-endian float32 (<f4) or float64 (<f8)")
        let images = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try Self.fixture("images-u1.npy"))))
        #expect(
            try problem(images) == "e.npy: holds an array of shape (2, 3, 4); embeddings are 2-D: one row per image")
        let single = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try Self.fixture("table-f4.npy"))))
        #expect(
            try problem(Array(single.dropLast(4)))
                == "e.npy: says it holds 3 x 2 values of 4 bytes, but has 20 bytes of values")
        #expect(
            try problem(Array("emotion,pixels\n".utf8))
                == "e.npy: is not a NumPy .npy file (it does not start with \\x93NUMPY)")
        #expect(try problem(Array(single.prefix(40))) == "e.npy: is cut short in its header")
    }
}
