import FERCore
import Foundation

/// NumPy's `.npy` format (versions 1 to 3): a magic string, a header that is
/// a Python dict literal (`{'descr': '<f4', 'fortran_order': False,
/// 'shape': (N, D), }`) and the values, row after row. FERLab reads 2-D
/// float32 or float64 arrays (a user's embeddings) and writes 3-D uint8
/// arrays (images handed to a user's program).
package enum NumPyFile {
    /// A 2-D float array as read: `rows` x `columns` values, row-major, as `Float`.
    package struct Table: Sendable, Equatable {
        package var rows: Int
        package var columns: Int
        package var values: [Float]
    }

    private static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The 2-D float32 or float64 array in the file at `path`; errors name `displayPath`.
    /// - Throws: `DataError` for a file that is not `.npy`, of another type or shape, or cut short.
    package static func readTable(path: String, displayPath: String) throws -> Table {
        let bytes = try DataFile.read(path: path, displayPath: displayPath)
        let (header, start) = try header(bytes, file: displayPath)
        let (descr, fortran, shape) = try parse(header, file: displayPath)
        guard shape.count == 2 else { throw notATable(shape, file: displayPath) }
        let (rows, columns) = (shape[0], shape[1])
        let size: Int
        switch descr {
        case "<f4", "=f4": size = 4
        case "<f8", "=f8": size = 8
        default:
            throw DataError(
                file: displayPath,
                "holds values of type \(descr); embeddings must be little-endian float32 (<f4) or float64 (<f8)")
        }
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, rows >= 1, columns >= 1, bytes.count - start == count * size else {
            throw DataError(
                file: displayPath,
                "says it holds \(rows) x \(columns) values of \(size) bytes, but has \(bytes.count - start) bytes of values"
            )
        }
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + start
            for index in 0..<count {
                values[index] =
                    size == 4
                    ? Float(
                        bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
                    )
                    : Float(
                        Double(
                            bitPattern: UInt64(
                                littleEndian: base.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))))
            }
        }
        if fortran {
            // Column after column on disk: transpose into rows.
            var transposed = [Float](repeating: 0, count: count)
            for row in 0..<rows {
                for column in 0..<columns { transposed[row * columns + column] = values[column * rows + row] }
            }
            values = transposed
        }
        return Table(rows: rows, columns: columns, values: values)
    }

    /// The shape of the 2-D table in the file at `path`, read from its header alone.
    /// - Throws: `DataError` for a file that is not `.npy` or not 2-D.
    package static func shape(path: String, displayPath: String) throws -> (rows: Int, columns: Int) {
        let bytes = try DataFile.readPrefix(path: path, displayPath: displayPath, count: 12 + 65_536)
        let (header, _) = try header(bytes, file: displayPath)
        let (_, _, shape) = try parse(header, file: displayPath)
        guard shape.count == 2 else { throw notATable(shape, file: displayPath) }
        return (shape[0], shape[1])
    }

    private static func notATable(_ shape: [Int], file: String) -> DataError {
        DataError(
            file: file,
            "holds an array of shape (\(shape.map(String.init).joined(separator: ", "))); embeddings are 2-D: one row per image"
        )
    }

    /// The header text and where the values start.
    private static func header(_ bytes: [UInt8], file: String) throws -> (String, Int) {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw DataError(file: file, "is not a NumPy .npy file (it does not start with \\x93NUMPY)")
        }
        let major = bytes[6]
        let (length, start): (Int, Int)
        switch major {
        case 1: (length, start) = (Int(bytes[8]) | Int(bytes[9]) << 8, 10)
        case 2, 3:
            guard bytes.count >= 12 else { throw DataError(file: file, "is cut short in its header") }
            (length, start) = ((8..<12).reduce(0) { $0 | Int(bytes[$1]) << (8 * ($1 - 8)) }, 12)
        default: throw DataError(file: file, "is a .npy file of version \(major), which FERLab does not read")
        }
        guard length <= 65_536, bytes.count >= start + length else {
            throw DataError(file: file, "is cut short in its header")
        }
        return (String(decoding: bytes[start..<(start + length)], as: UTF8.self), start + length)
    }

    /// The header's type, order and shape.
    private static func parse(_ header: String, file: String) throws -> (String, Bool, [Int]) {
        func value(_ key: String) -> Substring? {
            guard let range = header.range(of: "'\(key)':") else { return nil }
            return header[range.upperBound...].drop { $0 == " " }
        }
        guard let descrText = value("descr"), descrText.first == "'",
            let end = descrText.dropFirst().firstIndex(of: "'"),
            let orderText = value("fortran_order"), let shapeText = value("shape"), shapeText.first == "(",
            let close = shapeText.firstIndex(of: ")")
        else {
            throw DataError(
                file: file,
                "has a .npy header FERLab cannot read: \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let shape = shapeText[shapeText.index(after: shapeText.startIndex)..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let sizes = shape.compactMap { Int($0) }
        guard sizes.count == shape.count, sizes.allSatisfy({ $0 >= 0 }) else {
            throw DataError(file: file, "has a .npy shape FERLab cannot read: (\(shape.joined(separator: ", ")))")
        }
        return (
            String(descrText[descrText.index(after: descrText.startIndex)..<end]), orderText.hasPrefix("True"), sizes
        )
    }

    /// A `.npy` file of `count` uint8 images of `height` x `width`, in order: the bytes to write.
    package static func images(_ pixels: ArraySlice<UInt8>, count: Int, width: Int, height: Int) -> [UInt8] {
        var header = "{'descr': '|u1', 'fortran_order': False, 'shape': (\(count), \(height), \(width)), }"
        // The values start on a multiple of 64 bytes; the header ends with a line feed.
        let unpadded = magic.count + 4 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = header.utf8.count
        return magic + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8) + Array(pixels)
    }
}
