extension Clustering {
    /// `labels` on the rows of `x` around `centres`, with the sum of squared distances of the rows to their
    /// centres as its inertia.
    init(_ x: Matrix, labels: [Int32], centres: Matrix, iterations: Int) {
        let d = x.columns
        var inertia = 0.0
        for row in 0..<x.rows {
            let c = Int(labels[row])
            for j in 0..<d {
                let difference = Double(x.values[row * d + j]) - Double(centres.values[c * d + j])
                inertia += difference * difference
            }
        }
        self.init(centroids: centres, labels: labels, inertia: inertia, iterations: iterations)
    }

    /// `labels` on the rows of `x`, with each cluster's mean as its centre.
    init(means x: Matrix, labels: [Int32], clusters: Int) {
        let d = x.columns
        var sums = [Double](repeating: 0, count: clusters * d)
        var counts = [Double](repeating: 0, count: clusters)
        for row in 0..<x.rows {
            let c = Int(labels[row])
            counts[c] += 1
            for j in 0..<d { sums[c * d + j] += Double(x.values[row * d + j]) }
        }
        let centres = (0..<(clusters * d)).map { Float(sums[$0] / max(1, counts[$0 / d])) }
        self.init(x, labels: labels, centres: Matrix(rows: clusters, columns: d, values: centres), iterations: 0)
    }
}
