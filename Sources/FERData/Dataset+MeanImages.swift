extension Dataset {
    /// The mean image of each group of `rows` (`groups[i]` is the group of
    /// `rows[i]`, in `0..<count`), in gray levels; a group without rows is black.
    package func meanImages(rows: [Int], groups: [Int32], count: Int) -> [[Double]] {
        precondition(rows.count == groups.count, "one group per row")
        let n = pixelsPerImage
        var sums = [UInt64](repeating: 0, count: count * n)
        var sizes = [Int](repeating: 0, count: count)
        pixels.withUnsafeBufferPointer { source in
            sums.withUnsafeMutableBufferPointer { total in
                for (row, group) in zip(rows, groups) {
                    let image = source.baseAddress! + row * n, target = total.baseAddress! + Int(group) * n
                    sizes[Int(group)] += 1
                    for index in 0..<n { target[index] &+= UInt64(image[index]) }
                }
            }
        }
        return (0..<count).map { group in
            let size = Double(max(1, sizes[group]))
            return (0..<n).map { Double(sums[group * n + $0]) / size }
        }
    }
}
