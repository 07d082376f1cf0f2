import FERCore
import Foundation

/// A user's embeddings of a dataset's images (computed elsewhere, by a large
/// pretrained model say): one row of `columns` numbers per image, in the
/// dataset's order.
package struct Embeddings: Sendable, Equatable {
    /// Numbers per image.
    package var columns: Int
    /// Row after row, one per dataset row.
    package var values: [Float]

    /// `values`, `columns` to a row.
    package init(columns: Int, values: [Float]) {
        self.columns = columns
        self.values = values
    }

    /// The embeddings of `rows`, in that order.
    package func subset(_ rows: [Int]) -> [Float] {
        var picked = [Float]()
        picked.reserveCapacity(rows.count * columns)
        for row in rows { picked += values[(row * columns)..<((row + 1) * columns)] }
        return picked
    }
}

/// Embeddings in a file: a NumPy `.npy` table (`N x D`, float32 or float64,
/// rows in the dataset's order), or a CSV whose key column names each row's
/// image as `images.csv` does (`row` for a CSV dataset, `file` for an image
/// folder) followed by numeric columns, matched to the dataset by key.
package enum EmbeddingFile {
    /// Whether `path` is read as a NumPy table (else as CSV).
    static func isNumPy(_ path: String) -> Bool { path.lowercased().hasSuffix(".npy") }

    /// The embeddings of the file at `path` for a dataset whose rows `keys` names (by `keyColumn` in a CSV);
    /// errors name `displayPath`.
    /// - Throws: `DataError` for a missing, extra or repeated key, a number that is not finite, or a shape
    ///   that does not fit the dataset, naming the first offending key.
    package static func read(
        path: String, displayPath: String, keys: [String], keyColumn: String
    ) throws
        -> Embeddings
    {
        if isNumPy(path) {
            let table = try NumPyFile.readTable(path: path, displayPath: displayPath)
            guard table.rows == keys.count else {
                throw DataError(
                    file: displayPath,
                    "has \(table.rows) rows, but the dataset has \(keys.count) images; a .npy file holds one row per image, in the dataset's order (a CSV with a \(keyColumn) column is matched by key)"
                )
            }
            if let bad = table.values.firstIndex(where: { !$0.isFinite }) {
                throw DataError(
                    file: displayPath,
                    "row \(bad / table.columns) (\(keyColumn) \(keys[bad / table.columns])) holds \(table.values[bad]), not a finite number"
                )
            }
            return Embeddings(columns: table.columns, values: table.values)
        }
        return try readCSV(path: path, displayPath: displayPath, keys: keys, keyColumn: keyColumn)
    }

    private static func readCSV(
        path: String, displayPath: String, keys: [String], keyColumn: String
    ) throws
        -> Embeddings
    {
        let bytes = try DataFile.read(path: path, displayPath: displayPath)
        return try bytes.withUnsafeBytes { raw in
            let records = try CSVRecordScanner.records(in: raw, from: 0, firstLine: 1, file: displayPath)
            guard let headerRecord = records.first else { throw DataError(file: displayPath, "is empty") }
            let header = try CSVFieldSplitter.fields(of: headerRecord, in: raw, file: displayPath).map {
                $0.trimmingSpaces()
            }
            guard let keyAt = header.firstIndex(of: keyColumn) else {
                throw DataError(
                    file: displayPath, line: headerRecord.line,
                    "has no \(keyColumn) column naming each image as images.csv does (columns: \(header.joined(separator: ", ")))"
                )
            }
            let columns = header.count - 1
            guard columns >= 1 else {
                throw DataError(
                    file: displayPath, line: headerRecord.line, "has no columns of numbers beside \(keyColumn)")
            }
            let position = Dictionary(keys.enumerated().map { ($0.element, $0.offset) }) { first, _ in first }
            var values = [Float](repeating: 0, count: keys.count * columns)
            var seen = [Bool](repeating: false, count: keys.count)
            for record in records.dropFirst() {
                let fields = try CSVFieldSplitter.fields(of: record, in: raw, file: displayPath)
                let key = fields.count > keyAt ? fields[keyAt].trimmingSpaces() : ""
                guard fields.count == header.count else {
                    throw DataError(
                        file: displayPath, line: record.line,
                        "has \(fields.count) fields, not \(header.count) as the header (\(keyColumn) \(key))")
                }
                guard let row = position[key] else {
                    throw DataError(
                        file: displayPath, line: record.line,
                        "\(keyColumn) \(key) is not an image of the dataset")
                }
                guard !seen[row] else {
                    throw DataError(file: displayPath, line: record.line, "\(keyColumn) \(key) appears a second time")
                }
                seen[row] = true
                var column = 0
                for (index, field) in fields.enumerated() where index != keyAt {
                    guard let number = Float(field.trimmingSpaces()), number.isFinite else {
                        throw DataError(
                            file: displayPath, line: record.line,
                            "\(keyColumn) \(key): \(header[index]) is \"\(field)\", not a finite number")
                    }
                    values[row * columns + column] = number
                    column += 1
                }
            }
            if let missing = seen.firstIndex(of: false) {
                throw DataError(
                    file: displayPath,
                    "has no row for \(keyColumn) \(keys[missing]) (\(seen.filter { !$0 }.count) of the dataset's \(keys.count) images have none)"
                )
            }
            return Embeddings(columns: columns, values: values)
        }
    }

    /// The numbers per image the file at `path` holds, read from its header alone.
    /// - Throws: `DataError` when the header cannot be read.
    package static func columns(path: String, displayPath: String) throws -> Int {
        if isNumPy(path) { return try NumPyFile.shape(path: path, displayPath: displayPath).columns }
        let bytes = try DataFile.readPrefix(path: path, displayPath: displayPath, count: 1 << 20)
        let firstLine = bytes.prefix { $0 != UInt8(ascii: "\n") }
        return max(
            0,
            String(decoding: firstLine, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false).count - 1
        )
    }
}
