import FERCore
import Foundation
import Testing

@testable import FERMath

/// Temperature scaling recovers how overconfident scores are, and the
/// reliability measures follow their definitions.
@Suite struct CalibrationTests {
    @Test func theTemperatureOfScoresFourTimesTooSharpIsAboutFour() {
        // Labels drawn from softmax(logits); the classifier reports 4 x logits.
        var random = SeededGenerator(seed: 11)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        var scores: [[Double]] = [], labels: [Int32] = []
        for _ in 0..<6_000 {
            let logits = (0..<4).map { _ in 2 * uniform() - 1 }
            let probabilities = Calibration.probabilities(logits, temperature: 1)
            var draw = uniform(), label = 0
            while label < 3 && draw >= probabilities[label] {
                draw -= probabilities[label]
                label += 1
            }
            scores.append(logits.map { $0 * 4 })
            labels.append(Int32(label))
        }
        let temperature = Calibration.temperature(scores: scores, labels: labels)
        #expect(abs(temperature - 4) < 0.6, "\(temperature)")
        // Dividing by it lowers the expected calibration error.
        let before = Calibration.reliability(
            probabilities: scores.map { Calibration.probabilities($0, temperature: 1) }, truth: labels)
        let after = Calibration.reliability(
            probabilities: scores.map { Calibration.probabilities($0, temperature: temperature) }, truth: labels)
        #expect(after.expectedCalibrationError < before.expectedCalibrationError / 3)
        #expect(after.accuracy == before.accuracy, "the most probable label never changes")
        #expect(Calibration.temperature(scores: [], labels: []) == 1)
        #expect(!Calibration.isLargest(temperature))
    }

    /// Scores that say nothing of the labels are best made uniform: the search ends at its largest temperature,
    /// which the second model's page then says.
    @Test func scoresUnrelatedToTheLabelsTakeTheLargestTemperature() {
        // Every row of scores comes once with each of the four labels: the scores carry no information at all.
        var random = SeededGenerator(seed: 12)
        let rows = (0..<500).map { _ in (0..<4).map { _ in Double(random.below(1_000)) / 100 } }
        let scores = rows.flatMap { Array(repeating: $0, count: 4) }
        let labels = rows.indices.flatMap { _ in (0..<4).map { Int32($0) } }
        let temperature = Calibration.temperature(scores: scores, labels: labels)
        #expect(Calibration.isLargest(temperature), "\(temperature)")
        #expect(abs(temperature - Calibration.temperatures.upperBound) < 0.01)
    }

    @Test func reliabilityFollowsItsDefinition() {
        // Ten rows at 0.9 of which six are right, and ten at 0.35 (two-way ties broken low) of which five are.
        let sure = Array(repeating: [0.9, 0.1], count: 10), unsure = Array(repeating: [0.35, 0.35, 0.3], count: 10)
        let first = Calibration.reliability(
            probabilities: sure, truth: (0..<10).map { $0 < 6 ? 0 : 1 })
        #expect(first.bins[9].rows == 10 && abs(first.bins[9].confidence - 0.9) < 1e-12)
        #expect(abs(first.bins[9].accuracy - 0.6) < 1e-12)
        #expect(abs(first.expectedCalibrationError - 0.3) < 1e-12)
        let second = Calibration.reliability(probabilities: unsure, truth: (0..<10).map { $0 < 5 ? 0 : 1 })
        #expect(second.bins[3].rows == 10 && abs(second.bins[3].accuracy - 0.5) < 1e-12)
        #expect(abs(second.expectedCalibrationError - 0.15) < 1e-12)
        #expect(abs(second.meanConfidence - 0.35) < 1e-12 && abs(second.accuracy - 0.5) < 1e-12)
    }
}
