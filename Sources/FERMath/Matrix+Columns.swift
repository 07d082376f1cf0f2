extension Matrix {
    /// Every column `c` mapped to `(x − shift[c]) · scale[c]`.
    package func scalingColumns(shift: [Float]? = nil, scale: [Float]) -> Matrix {
        precondition(scale.count == columns && (shift?.count ?? columns) == columns, "one shift and scale per column")
        let shift = shift ?? [Float](repeating: 0, count: columns)
        var result = self
        result.values.withUnsafeMutableBufferPointer { data in
            for row in 0..<rows {
                let base = row * columns
                for column in 0..<columns {
                    data[base + column] = (data[base + column] - shift[column]) * scale[column]
                }
            }
        }
        return result
    }
}

extension Matrix {
    /// `parts` side by side: each row is the rows of the parts, in order. Every part has `rows` rows.
    package init(concatenatingColumns parts: [Matrix], rows: Int) {
        precondition(parts.allSatisfy { $0.rows == rows }, "every part has the same rows")
        let columns = parts.map(\.columns).reduce(0, +)
        var values = [Float](repeating: 0, count: rows * columns)
        var offset = 0
        for part in parts {
            for row in 0..<rows {
                values[(row * columns + offset)..<(row * columns + offset + part.columns)] = part.row(row)
            }
            offset += part.columns
        }
        self.init(rows: rows, columns: columns, values: values)
    }
}
