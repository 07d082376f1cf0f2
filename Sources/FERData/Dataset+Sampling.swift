import FERCore

extension Dataset {
    /// How rows are picked when a class has more than the cap.
    public enum SampleOrder: Equatable, Sendable {
        /// The first rows of each class, in file order (the notebooks' script).
        case first
        /// A seeded random choice within each class.
        case random(seed: UInt64)
    }

    /// Rows of at most `perClass` images of each label, returned in file
    /// order. Classes with fewer rows keep them all (FER2013's Disgust has 547).
    public func rows(cappedAt perClass: Int, order: SampleOrder = .first) -> [Int] {
        precondition(perClass > 0, "the per-class cap must be positive")
        var byLabel = [[Int]](repeating: [], count: labelNames.count)
        for row in 0..<count { byLabel[Int(labels[row])].append(row) }
        var chosen: [Int] = []
        for (label, rows) in byLabel.enumerated() {
            switch order {
            case .first:
                chosen += rows.prefix(perClass)
            case .random(let seed):
                var shuffled = rows
                var random = SeededGenerator(seed: seed, stream: UInt64(label))
                random.shuffle(&shuffled)
                chosen += shuffled.prefix(perClass)
            }
        }
        return chosen.sorted()
    }
}
