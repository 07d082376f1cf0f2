import FERCore
import Testing

@Suite struct SeededGeneratorTests {
    @Test func sameSeedGivesSameSequence() {
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        let a = (0..<100).map { _ in first.next() }
        let b = (0..<100).map { _ in second.next() }
        #expect(a == b)
    }

    @Test func sequenceIsFixedAcrossReleases() {
        // xoshiro256** seeded by SplitMix64, as published by Blackman and Vigna;
        // values from an independent Python transcription. A change here changes
        // every report, so it must be deliberate.
        var random = SeededGenerator(seed: 2013)
        #expect(
            [random.next(), random.next(), random.next()]
                == [0x3B16_7FF1_1EC4_4C82, 0x470D_2F66_11DA_7FF4, 0x456F_8A74_BB10_7353])
    }

    @Test func streamsDiffer() {
        var a = SeededGenerator(seed: 7, stream: 1)
        var b = SeededGenerator(seed: 7, stream: 2)
        #expect(a.next() != b.next())
    }

    @Test func belowStaysInRangeAndCoversIt() {
        var random = SeededGenerator(seed: 1)
        var seen = Set<Int>()
        for _ in 0..<2000 {
            let value = random.below(7)
            #expect((0..<7).contains(value))
            seen.insert(value)
        }
        #expect(seen.count == 7)
    }

    @Test func uniformAndNormalHaveTheRightMoments() {
        var random = SeededGenerator(seed: 3)
        let n = 100_000
        let uniforms = (0..<n).map { _ in random.uniform() }
        #expect(uniforms.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(uniforms.reduce(0, +) / Double(n) - 0.5) < 0.01)
        let normals = (0..<n).map { _ in random.normal() }
        let mean = normals.reduce(0, +) / Double(n)
        let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1) < 0.03)
    }

    @Test func shuffleIsAPermutation() {
        var random = SeededGenerator(seed: 9)
        var values = Array(0..<50)
        random.shuffle(&values)
        #expect(values != Array(0..<50))
        #expect(values.sorted() == Array(0..<50))
    }
}
