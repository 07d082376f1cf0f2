import FERData
import FERMath
import FERSynth
import Testing

@testable import FERExperiment

/// The near-copy check: every held-out image against every training image, or, above the sample size, a
/// seeded sample of the held-out images, each still against every training image.
@Suite struct NearCopiesTests {
    @Test func aSampledCheckIsTheExactCheckOfTheImagesItSamples() throws {
        let dataset = SyntheticFaces.generate(count: 300, seed: 8)
        // Every fifth held-out image is a training image again: a near-copy by construction.
        let train = Array(0..<200), test = (200..<300).map { $0 % 5 == 0 ? $0 - 200 : $0 }
        let split = SampleSplit(rows: Array(0..<300), train: train, test: test, byUsage: false)
        let exact = NearCopies.check(NearCopies.Settings(), dataset: dataset, split: split)
        #expect(exact.checked == Array(0..<100) && exact.heldOut == 100 && !exact.sampled)
        #expect(exact.shareInterval == nil && exact.count >= 20)

        let sampled = NearCopies.check(NearCopies.Settings(sample: 40), dataset: dataset, split: split)
        #expect(sampled.sampled && sampled.heldOut == 100 && sampled.checked.count == 40)
        #expect(sampled.checked == sampled.checked.sorted() && Set(sampled.checked).count == 40)
        for (entry, position) in sampled.checked.enumerated() {
            #expect(sampled.nearest[entry] == exact.nearest[position])
            #expect(sampled.correlation[entry] == exact.correlation[position])
        }
        let interval = try #require(sampled.shareInterval)
        let share = Double(sampled.count) / 40
        #expect(interval.contains(share) && interval.lowerBound > 0 && interval.upperBound < 1)
        // The same split samples the same images.
        #expect(NearCopies.check(NearCopies.Settings(sample: 40), dataset: dataset, split: split) == sampled)
    }
}
