import FERCore
import Testing

@testable import FERMath

/// The logistic objective summed in chunks on every core (above `chunkedRows` rows) is the row-by-row sum,
/// up to the order of additions.
@Suite struct LogisticObjectiveTests {
    @Test func chunkedSumsMatchTheRowByRowSum() {
        var random = SeededGenerator(seed: 12)
        let (rows, features, classes) = (40_000, 3, 4)
        let data = (0..<(rows * features)).map { _ in random.normal() }
        let labels = (0..<rows).map { _ in Int32(random.below(classes)) }
        let parameters = (0..<(classes * (features + 1))).map { _ in random.normal() * 0.3 }
        var objective = LogisticRegression.Objective(
            data: data, rows: rows, features: features, labels: labels, classes: classes, c: 1)
        let (value, gradient) = objective.valueAndGradient(parameters)
        objective.chunkedRows = 1_000
        let (chunkedValue, chunkedGradient) = objective.valueAndGradient(parameters)
        #expect(chunkedValue != value || chunkedGradient != gradient, "chunks add in another order")
        #expect(abs(chunkedValue - value) <= 1e-10 * abs(value))
        for (chunked, whole) in zip(chunkedGradient, gradient) {
            #expect(abs(chunked - whole) <= 1e-9 * max(1, abs(whole)))
        }
    }
}
