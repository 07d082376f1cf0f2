import FERTestSupport
import Foundation
import Testing

@testable import FERData

/// Reading a whole file, in one piece or several at once.
@Suite struct DataFileTests {
    @Test func aFileReadInPiecesIsTheFileReadWhole() throws {
        let bytes = (0..<10_007).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 7) }
        let folder = try TemporaryDirectory()
        let file = try folder.write("data.bin", bytes: bytes)
        for piecewiseFrom in [1, 64, 10_007, 10_008] {
            #expect(try DataFile.read(path: file, displayPath: "data.bin", piecewiseFrom: piecewiseFrom) == bytes)
        }
        #expect(
            try DataFile.read(path: try folder.write("empty.bin", bytes: []), displayPath: "e", piecewiseFrom: 1) == [])
    }

    /// A sysfs file, its stated size and its real length, when it is shorter than it says.
    static let shortSysfsFile: (path: String, size: Int, length: Int)? = {
        let path = "/sys/kernel/mm/transparent_hugepage/enabled"
        guard let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int,
            let content = FileManager.default.contents(atPath: path), content.count < size
        else { return nil }
        return (path, size, content.count)
    }()

    /// A file that ends before the size the system gave for it is reported as changed, with the length it
    /// turned out to have, whichever piece met its end. Linux's sysfs files give their size as a page and hold
    /// less, as a file cut short while it is read does.
    @Test(.enabled(if: shortSysfsFile != nil, "needs a Linux sysfs file"))
    func aFileEndingEarlyIsReportedWithItsLength() throws {
        let (path, size, length) = try #require(Self.shortSysfsFile)
        for piecewiseFrom in [1, size + 1] {
            #expect(
                throws: DataError(file: "flags", "changed while it was read: it is now \(length) bytes, not \(size)")
            ) {
                try DataFile.read(path: path, displayPath: "flags", piecewiseFrom: piecewiseFrom)
            }
        }
    }
}
