extension Matrix {
    /// The mean row of each group (`groups[row]` in `0..<count`); a group
    /// without rows gets a row of zeros. Accumulated in `Double`.
    public func groupMeans(_ groups: [Int32], count: Int) -> Matrix {
        precondition(groups.count == rows, "one group per row")
        var sums = [Double](repeating: 0, count: count * columns)
        var sizes = [Int](repeating: 0, count: count)
        values.withUnsafeBufferPointer { data in
            for row in 0..<rows {
                let group = Int(groups[row])
                sizes[group] += 1
                for column in 0..<columns { sums[group * columns + column] += Double(data[row * columns + column]) }
            }
        }
        return Matrix(rows: count, columns: columns,
                      values: sums.enumerated().map { Float($0.element / Double(max(1, sizes[$0.offset / columns]))) })
    }
}
