extension Matrix {
    /// Every column `c` mapped to `(x − shift[c]) · scale[c]`.
    public func scalingColumns(shift: [Float]? = nil, scale: [Float]) -> Matrix {
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
