import FERCore

extension Dataset {
    /// How rows are picked when a label has more than are wanted: the one
    /// seeded per-label choice behind the per-class cap, the stratified
    /// held-out split and the sample figures.
    package enum SampleOrder: Equatable, Sendable {
        /// The first rows of each label, in file order (the notebooks' script).
        case first
        /// A seeded random choice within each label.
        case random(seed: UInt64)

        /// `count` of `members` (rows of label `label`, in file order): the
        /// first ones, or the first after a shuffle seeded with the seed and
        /// the label as its stream, in the shuffled order.
        package func choose(_ count: Int, of members: [Int], label: Int) -> [Int] {
            switch self {
            case .first:
                return Array(members.prefix(count))
            case .random(let seed):
                var shuffled = members
                var random = SeededGenerator(seed: seed, stream: UInt64(label))
                random.shuffle(&shuffled)
                return Array(shuffled.prefix(count))
            }
        }
    }

    /// The rows of each label among `rows` (every row when `nil`), in the order given.
    package func rowsByLabel(_ rows: [Int]? = nil) -> [[Int]] {
        var byLabel = [[Int]](repeating: [], count: labelNames.count)
        for row in rows ?? Array(0..<count) { byLabel[Int(labels[row])].append(row) }
        return byLabel
    }

    /// At most `perLabel` rows of each label, chosen by `order`, each label's rows sorted.
    package func rows(perLabel: Int, order: SampleOrder) -> [[Int]] {
        rowsByLabel().enumerated().map { label, members in order.choose(perLabel, of: members, label: label).sorted() }
    }

    /// Rows of at most `perClass` images of each label, returned in file
    /// order. Classes with fewer rows keep them all (FER2013's Disgust has 547).
    package func rows(cappedAt perClass: Int, order: SampleOrder = .first) -> [Int] {
        precondition(perClass > 0, "the per-class cap must be positive")
        return rows(perLabel: perClass, order: order).flatMap { $0 }.sorted()
    }
}
