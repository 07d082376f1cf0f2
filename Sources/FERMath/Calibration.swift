#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Calibrated probabilities by temperature scaling (Guo et al. 2017): a
/// classifier's scores are divided by one temperature, fitted on rows set
/// aside for it so that the softmax's probabilities of their true labels are
/// as likely as they can be. Above 1 it flattens overconfident probabilities;
/// it never changes which label is most probable. Reliability (accuracy
/// against confidence, in ten bins of the top probability) and the expected
/// calibration error say how far probabilities are from what happens.
package enum Calibration {
    /// The temperatures searched (a range its own inverse: from 1/100 to 1/0.01).
    package static let temperatures: ClosedRange<Double> = 0.01...100

    /// Whether `temperature` is the largest searched (to within the search's precision): the likelihood still
    /// rose toward uniform probabilities there, so the scores say next to nothing of the labels.
    package static func isLargest(_ temperature: Double) -> Bool {
        temperature >= temperatures.upperBound / 1.001
    }

    /// The temperature that minimises the mean negative log-likelihood of `labels` under the softmax of
    /// `scores` (one row of class scores per row) divided by it, within `temperatures` (1 with no rows).
    package static func temperature(scores: [[Double]], labels: [Int32]) -> Double {
        guard !scores.isEmpty else { return 1 }
        // The likelihood is convex in the inverse temperature: golden-section search over its logarithm.
        func loss(_ logInverse: Double) -> Double {
            let inverse = exp(logInverse)
            return zip(scores, labels).reduce(0) { total, pair in
                let scaled = pair.0.map { $0 * inverse }
                let largest = scaled.max() ?? 0
                let sum = scaled.reduce(0) { $0 + exp($1 - largest) }
                return total + log(sum) + largest - scaled[Int(pair.1)]
            }
        }
        let ratio = (5.0.squareRoot() - 1) / 2
        // The inverse's range is the temperatures' own: they run from 1/100 to 1/0.01.
        var low = log(temperatures.lowerBound), high = log(temperatures.upperBound)
        var first = high - ratio * (high - low), second = low + ratio * (high - low)
        var firstLoss = loss(first), secondLoss = loss(second)
        for _ in 0..<80 {
            if firstLoss < secondLoss {
                high = second
                second = first
                secondLoss = firstLoss
                first = high - ratio * (high - low)
                firstLoss = loss(first)
            } else {
                low = first
                first = second
                firstLoss = secondLoss
                second = low + ratio * (high - low)
                secondLoss = loss(second)
            }
        }
        return 1 / exp((low + high) / 2)
    }

    /// The softmax of `scores` divided by `temperature`.
    package static func probabilities(_ scores: [Double], temperature: Double) -> [Double] {
        let scaled = scores.map { $0 / temperature }
        let largest = scaled.max() ?? 0
        let exponentials = scaled.map { exp($0 - largest) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }

    /// How probabilities compare with what happened.
    package struct Reliability: Sendable, Equatable, Codable {
        /// One bin of the top probability: `[index / 10, (index + 1) / 10)`, the last one closed.
        package struct Bin: Sendable, Equatable, Codable {
            /// Rows whose top probability falls in it.
            package var rows: Int
            /// Their mean top probability.
            package var confidence: Double
            /// The share of them whose most probable label is the true one.
            package var accuracy: Double
        }

        /// The ten bins (empty ones have no rows and zero confidence and accuracy).
        package var bins: [Bin]
        /// Expected calibration error: the bins' gaps between accuracy and confidence, weighted by their rows.
        package var expectedCalibrationError: Double
        /// The mean top probability of all rows.
        package var meanConfidence: Double
        /// The share of rows whose most probable label is the true one.
        package var accuracy: Double
    }

    /// The reliability of `probabilities` (one row per row of `truth`) against `truth`; the most probable label
    /// is the lowest on ties, as classifiers predict.
    package static func reliability(probabilities: [[Double]], truth: [Int32], bins count: Int = 10) -> Reliability {
        var rows = [Int](repeating: 0, count: count), confidence = [Double](repeating: 0, count: count)
        var right = [Int](repeating: 0, count: count)
        for (row, label) in zip(probabilities, truth) {
            var best = 0
            for index in row.indices where row[index] > row[best] { best = index }
            let bin = min(count - 1, Int(row[best] * Double(count)))
            rows[bin] += 1
            confidence[bin] += row[best]
            if best == Int(label) { right[bin] += 1 }
        }
        let total = max(1, truth.count)
        let binned = (0..<count).map { bin in
            rows[bin] == 0
                ? Reliability.Bin(rows: 0, confidence: 0, accuracy: 0)
                : Reliability.Bin(
                    rows: rows[bin], confidence: confidence[bin] / Double(rows[bin]),
                    accuracy: Double(right[bin]) / Double(rows[bin]))
        }
        return Reliability(
            bins: binned,
            expectedCalibrationError: binned.reduce(0) {
                $0 + Double($1.rows) / Double(total) * abs($1.accuracy - $1.confidence)
            },
            meanConfidence: confidence.reduce(0, +) / Double(total),
            accuracy: Double(right.reduce(0, +)) / Double(total))
    }
}
