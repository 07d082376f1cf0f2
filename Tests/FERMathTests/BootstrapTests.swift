import FERCore
import Foundation
import Testing

@testable import FERMath

/// The percentile bootstrap: NumPy's percentiles, the width a proportion's
/// interval must have, groups drawn whole, and the same draws for the same seed.
@Suite struct BootstrapTests {
    @Test func percentilesInterpolateAsNumPyDoes() {
        // numpy.percentile(numpy.arange(1, 1001), [2.5, 97.5]) == [25.975, 975.025]
        let range = Bootstrap.percentiles(of: (1...1000).map(Double.init).reversed())
        #expect(abs(range.lowerBound - 25.975) < 1e-9 && abs(range.upperBound - 975.025) < 1e-9)
    }

    @Test func aProportionsIntervalHasTheNormalWidthAndHoldsIt() throws {
        // 3,000 of 10,000 right: the normal approximation's 95% interval is 0.3 +- 1.96 * sqrt(0.21 / 10000).
        let values = (0..<10_000).map { $0 % 10 < 3 ? 1.0 : 0.0 }
        let bootstrap = Bootstrap(count: values.count, seed: 7)
        let range = try #require(bootstrap.intervalsOfMeans([values])?[0])
        let expected = 2 * 1.96 * (0.21 / 10_000).squareRoot()
        #expect(range.contains(0.3))
        #expect(abs((range.upperBound - range.lowerBound) / expected - 1) < 0.15, "\(range)")
        #expect(bootstrap.intervalsOfMeans([values])?[0] == range, "the same seed draws the same")
        #expect(Bootstrap(count: values.count, seed: 8).intervalsOfMeans([values])?[0] != range)
        #expect(Bootstrap(count: 0, seed: 7).intervalsOfMeans([[]])?[0] == nil)
    }

    @Test func groupsAreDrawnWholeSoTheirIntervalIsWider() throws {
        // 100 groups of 20 rows, every row of a group alike: 20 times fewer independent draws than rows.
        let groups = (0..<2_000).map { Int32($0 / 20) }
        var random = SeededGenerator(seed: 3)
        let outcome = (0..<100).map { _ in Double(random.next() % 2) }
        let values = groups.map { outcome[Int($0)] }
        let rows = try #require(Bootstrap(count: values.count, seed: 1).intervalsOfMeans([values])?[0])
        let grouped = try #require(
            Bootstrap(count: values.count, groups: groups, seed: 1).intervalsOfMeans([values])?[0])
        let ratio = (grouped.upperBound - grouped.lowerBound) / (rows.upperBound - rows.lowerBound)
        // sqrt(20) = 4.5: the design effect of whole groups of identical rows.
        #expect(ratio > 3.5 && ratio < 5.5, "\(ratio)")
        // A statistic of a table of counts sees each draw's rows in it: means through either path agree.
        let general = try #require(
            Bootstrap(count: values.count, groups: groups, seed: 1).intervals(
                cells: 2, cellOf: values.map { Int($0) }, statistics: [{ Double($0[1]) / Double($0[0] + $0[1]) }]
            )?[0])
        #expect(abs(general.lowerBound - grouped.lowerBound) < 1e-12)
        #expect(abs(general.upperBound - grouped.upperBound) < 1e-12)
    }

    /// The draws, though made on all cores, are those of one seeded stream read in order: each draw takes one
    /// number per unit, modulo the unit count.
    @Test func theDrawsAreOneSeededStreamReadInOrder() throws {
        let count = 257
        let values = (0..<count).map { Double(($0 * 37) % 11) }
        var random = SeededGenerator(seed: 4)
        let means = (0..<Bootstrap.resamples).map { _ in
            (0..<count).reduce(0.0) { sum, _ in sum + values[Int(random.next() % UInt64(count))] } / Double(count)
        }
        let interval = try #require(Bootstrap(count: count, seed: 4).intervalsOfMeans([values])?[0])
        #expect(interval == Bootstrap.percentiles(of: means))
    }

    /// Intervals drawn together read the same draws as each drawn alone, in rows or in groups.
    @Test(arguments: [false, true])
    func statisticsDrawnTogetherMatchEachAlone(grouped: Bool) throws {
        var random = SeededGenerator(seed: 5)
        let count = 600
        let groups = grouped ? (0..<count).map { Int32($0 / 3) } : nil
        let first = (0..<count).map { _ in Double(random.next() % 2) }
        let second = (0..<count).map { _ in Double(random.next() % 3) }
        let bootstrap = Bootstrap(count: count, groups: groups, seed: 11)
        let together = try #require(bootstrap.intervalsOfMeans([first, second]))
        #expect(together == [first, second].compactMap { bootstrap.intervalsOfMeans([$0])?[0] })
        let cellOf = zip(first, second).map { Int($0) * 3 + Int($1) }
        let statistics: [@Sendable ([Int]) -> Double] = [
            { Double($0[3] + $0[4] + $0[5]) / Double($0.reduce(0, +)) }, { Double($0[0]) / Double($0.reduce(0, +)) },
        ]
        let tables = try #require(bootstrap.intervals(cells: 6, cellOf: cellOf, statistics: statistics))
        #expect(tables == statistics.compactMap { bootstrap.intervals(cells: 6, cellOf: cellOf, statistics: [$0])?[0] })
        #expect(tables[0] == together[0], "a share of cells is the mean of the rows' 0 and 1")
    }
}
