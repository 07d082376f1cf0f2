import FERCore
import Testing

@Suite struct ShuffledUnitsTests {
    @Test func withoutGroupsTakingIsAPrefixOfTheShuffleAndDealingIsRoundRobin() {
        var random = SeededGenerator(seed: 5), same = SeededGenerator(seed: 5)
        let units = ShuffledUnits(count: 50, groups: nil, random: &random)
        var shuffled = Array(0..<50)
        same.shuffle(&shuffled)
        #expect(units.take(positions: 12) == shuffled.prefix(12).sorted())
        // Never all, never none.
        #expect(units.take(positions: 50).count == 49 && units.take(positions: 0).count == 1)
        let parts = units.deal(into: 4)
        #expect(parts[1] == stride(from: 1, to: 50, by: 4).map { shuffled[$0] }.sorted())
    }

    @Test func groupsAreNeverDivided() {
        // 40 groups of 1 to 6 positions, interleaved.
        let groups = (0..<150).map { Int32(($0 * 7) % 40) }
        var random = SeededGenerator(seed: 9)
        let units = ShuffledUnits(count: groups.count, groups: groups, random: &random)
        #expect(units.units.count == 40)
        let taken = Set(units.take(positions: 30).map { groups[$0] })
        let left = Set(groups.indices.filter { !units.take(positions: 30).contains($0) }.map { groups[$0] })
        #expect(taken.isDisjoint(with: left) && !taken.isEmpty)
        let taken30 = units.take(positions: 30).count
        #expect(abs(taken30 - 30) <= 3, "whole groups of about 4 come within half a group of the target: \(taken30)")
        let parts = units.deal(into: 5).map { Set($0.map { groups[$0] }) }
        for (index, part) in parts.enumerated() {
            for other in parts[(index + 1)...] { #expect(part.isDisjoint(with: other)) }
        }
        #expect(parts.map(\.count).reduce(0, +) == 40)
    }
}
