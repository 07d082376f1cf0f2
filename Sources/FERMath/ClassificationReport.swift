/// How well predicted labels match true labels: accuracy, the confusion
/// matrix, and per-class precision and recall.
package struct ClassificationReport: Sendable, Equatable, Codable {
    /// Number of classes.
    package let classes: Int
    /// Fraction of rows predicted correctly.
    package let accuracy: Double
    /// `confusion[truth][prediction]` counts; predictions of `-1` (no label) are not in any column.
    package let confusion: [[Int]]
    /// Per class: correct predictions of it over all predictions of it (0 when never predicted).
    package let precision: [Double]
    /// Per class: correct predictions of it over its true rows (0 when it has none).
    package let recall: [Double]

    /// Compares `predicted` with `truth` over `classes` classes.
    package init(truth: [Int32], predicted: [Int32], classes: Int) {
        precondition(truth.count == predicted.count, "one prediction per row")
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        var correct = 0
        for (t, p) in zip(truth, predicted) {
            if p == t { correct += 1 }
            if p >= 0 && Int(p) < classes { confusion[Int(t)][Int(p)] += 1 }
        }
        self.classes = classes
        accuracy = truth.isEmpty ? 0 : Double(correct) / Double(truth.count)
        self.confusion = confusion
        precision = (0..<classes).map { c in
            let predictedAsC = (0..<classes).reduce(0) { $0 + confusion[$1][c] }
            return predictedAsC > 0 ? Double(confusion[c][c]) / Double(predictedAsC) : 0
        }
        let rowsOfClass = (0..<classes).map { c in truth.filter { Int($0) == c }.count }
        recall = (0..<classes).map { c in rowsOfClass[c] > 0 ? Double(confusion[c][c]) / Double(rowsOfClass[c]) : 0 }
    }
}

/// The accuracies a classifier gets without looking at the images, to read
/// any accuracy against.
package struct ChanceLevels: Sendable, Equatable, Codable {
    /// Guessing each class with equal probability: `1 / classes`.
    package let uniform: Double
    /// Guessing classes in proportion to their frequency: `Σ p²`.
    package let classFrequency: Double
    /// Always guessing the most common class: `max p`.
    package let majorityClass: Double

    /// Chance levels for rows with these true labels.
    package init(truth: [Int32], classes: Int) {
        var counts = [Int](repeating: 0, count: classes)
        for label in truth { counts[Int(label)] += 1 }
        let n = Double(max(1, truth.count))
        uniform = 1 / Double(max(1, classes))
        classFrequency = counts.reduce(0.0) { $0 + (Double($1) / n) * (Double($1) / n) }
        majorityClass = Double(counts.max() ?? 0) / n
    }
}
