import FERCore

extension Clustering {
    /// For each cluster, up to `count` of its member rows, nearest to its
    /// centre first (ties by row). Distances are measured in the space the
    /// clustering was fitted in (`x` must be those rows), between each centre
    /// and its own members only.
    package func nearestMembers(of x: Matrix, count: Int) -> [[Int]] {
        precondition(x.rows == labels.count && x.columns == centroids.columns, "x must be the fitted rows")
        var members = [[(distance: Double, row: Int)]](repeating: [], count: clusterCount)
        for row in 0..<x.rows {
            let c = Int(labels[row])
            var squared = 0.0
            for feature in 0..<x.columns {
                let difference = Double(x[row, feature]) - Double(centroids[c, feature])
                squared += difference * difference
            }
            members[c].append((squared, row))
        }
        return members.map { list in
            list.sorted { $0.distance < $1.distance || ($0.distance == $1.distance && $0.row < $1.row) }
                .prefix(count).map(\.row)
        }
    }

    /// For each cluster, up to `count` member rows drawn at random with `seed`, in row order.
    package func randomMembers(count: Int, seed: UInt64) -> [[Int]] {
        var members = [[Int]](repeating: [], count: clusterCount)
        for (row, label) in labels.enumerated() { members[Int(label)].append(row) }
        return members.enumerated().map { cluster, rows in
            var random = SeededGenerator(seed: seed, stream: UInt64(cluster))
            var shuffled = rows
            random.shuffle(&shuffled)
            return Array(shuffled.prefix(count)).sorted()
        }
    }
}
