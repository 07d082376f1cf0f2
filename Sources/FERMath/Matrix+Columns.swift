extension Matrix {
    /// Every column `c` mapped to `(x − shift[c]) · scale[c]`.
    public func scalingColumns(shift: [Float]? = nil, scale: [Float]) -> Matrix {
        precondition(scale.count == columns && (shift?.count ?? columns) == columns, "one shift and scale per column")
        let shift = shift ?? [Float](repeating: 0, count: columns)
        var result = self
        result.values.withUnsafeMutableBufferPointer { data in
            for row in 0..<rows {
                let base = row * columns
                for column in 0..<columns { data[base + column] = (data[base + column] - shift[column]) * scale[column] }
            }
        }
        return result
    }
}

extension Matrix {
    /// This matrix's columns followed by `other`'s, row by row.
    public func concatenatingColumns(_ other: Matrix) -> Matrix {
        precondition(rows == other.rows, "both matrices need the same rows")
        var values = [Float]()
        values.reserveCapacity(rows * (columns + other.columns))
        for row in 0..<rows {
            values += self.row(row)
            values += other.row(row)
        }
        return Matrix(rows: rows, columns: columns + other.columns, values: values)
    }
}
