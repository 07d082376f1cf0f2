/// Positions `0..<count` gathered into units, each position alone or every
/// position of one group (a subject's images), in a seeded random order:
/// what held-out sets, folds and set-aside rows are drawn from, so that a
/// group is never divided between them.
///
/// Without groups the units are the positions, shuffled exactly as
/// `SeededGenerator.shuffle` shuffles an array of them, so drawing whole
/// units then gives the same rows as drawing a prefix of the shuffled positions.
package struct ShuffledUnits: Sendable {
    /// The units in their drawn order, each its positions in increasing order.
    package let units: [[Int]]

    /// Units of the positions `0..<count`, grouped by `groups` (one code per position, any numbers) when given,
    /// shuffled with `random`. Before the shuffle, units are in order of their first position.
    package init(count: Int, groups: [Int32]?, random: inout SeededGenerator) {
        var units: [[Int]]
        if let groups {
            precondition(groups.count == count, "one group per position")
            var unitOf: [Int32: Int] = [:]
            units = []
            for (position, group) in groups.enumerated() {
                if let unit = unitOf[group] {
                    units[unit].append(position)
                } else {
                    unitOf[group] = units.count
                    units.append([position])
                }
            }
        } else {
            units = (0..<count).map { [$0] }
        }
        random.shuffle(&units)
        self.units = units
    }

    /// Whole units, taken in the drawn order, whose positions come closest to `target` without taking every
    /// unit and (when there are two or more) taking at least one: a unit is taken while the total is short of
    /// the target and taking it overshoots by no more than the shortfall. The positions, in increasing order.
    package func take(positions target: Int) -> [Int] {
        guard units.count >= 2 else { return [] }
        var taken: [Int] = [], takenUnits = 0
        for unit in units where takenUnits < units.count - 1 {
            let shortfall = target - taken.count
            guard shortfall > 0 || takenUnits == 0 else { break }
            if unit.count - shortfall <= max(shortfall, 0) || takenUnits == 0 && shortfall <= 0 {
                taken += unit
                takenUnits += 1
            }
        }
        if takenUnits == 0, let first = units.first { taken = first }
        return taken.sorted()
    }

    /// The units dealt into `parts` parts, each unit in the drawn order to the part with the fewest positions so
    /// far (the first such part on a tie); each part's positions in increasing order.
    package func deal(into parts: Int) -> [[Int]] {
        var dealt = [[Int]](repeating: [], count: parts)
        for unit in units {
            let smallest = dealt.indices.min { dealt[$0].count < dealt[$1].count } ?? 0
            dealt[smallest] += unit
        }
        return dealt.map { $0.sorted() }
    }
}
