import FERCodecs
import FERCore
import Foundation

/// Writes datasets in FER2013's CSV layout (`emotion,pixels,Usage`), the
/// format the notebooks' `face-emo.csv` subset used. A path ending in `.gz`
/// is gzip-compressed. The file is replaced atomically.
package enum CSVDatasetWriter {
    /// The CSV text of `rows` of `dataset` (all rows when `nil`), after the header line unless `header` is false
    /// (for the pieces after the first of a file written a piece at a time).
    package static func encode(_ dataset: Dataset, rows: [Int]? = nil, header: Bool = true) -> [UInt8] {
        let selected = rows ?? Array(0..<dataset.count)
        let digits: [[UInt8]] = (0...255).map { Array(String($0).utf8) }
        var text: [UInt8] = []
        text.reserveCapacity(selected.count * (dataset.pixelsPerImage * 4 + 24) + 32)
        let withUsage = dataset.usage != nil
        if header { text += Array((withUsage ? "emotion,pixels,Usage\n" : "emotion,pixels\n").utf8) }
        for row in selected {
            text += Array(String(dataset.labels[row]).utf8)
            text.append(UInt8(ascii: ","))
            let start = row * dataset.pixelsPerImage
            for index in 0..<dataset.pixelsPerImage {
                if index > 0 { text.append(UInt8(ascii: " ")) }
                text += digits[Int(dataset.pixels[start + index])]
            }
            if withUsage {
                text.append(UInt8(ascii: ","))
                text += quotedIfNeeded(dataset.usageName(row) ?? "")
            }
            text.append(UInt8(ascii: "\n"))
        }
        return text
    }

    /// The file of `rows` of `dataset` named `name`: gzip-compressed when the name ends in `.gz`.
    package static func file(_ dataset: Dataset, rows: [Int]? = nil, named name: String) -> [UInt8] {
        let text = encode(dataset, rows: rows)
        return name.hasSuffix(".gz") ? text.withUnsafeBytes { Gzip.compress($0) } : text
    }

    /// Writes `rows` of `dataset` (all rows when `nil`) to `path`.
    package static func write(_ dataset: Dataset, rows: [Int]? = nil, to path: String) throws {
        let bytes = file(dataset, rows: rows, named: path)
        try AtomicFile.write(bytes, to: path)
    }

    private static func quotedIfNeeded(_ field: String) -> [UInt8] {
        Array(CSVText.field(field).utf8)
    }
}
