import Testing

@testable import FERMath

/// Wilson's interval against SciPy's (`binomtest(...).proportion_ci(method="wilson")`, printed by
/// Scripts/reference/wilson_interval.py).
@Suite struct ProportionIntervalTests {
    @Test(arguments: [
        (20, 100, 0.1333669333310325, 0.2888291655931589),
        (0, 50, 0.0, 0.07134759913335872),
        (50, 50, 0.9286524008666412, 1.0),
        (3, 7, 0.1582198552514697, 0.7495416354723428),
    ])
    func wilsonsIntervalIsSciPys(successes: Int, trials: Int, low: Double, high: Double) {
        let interval = ProportionInterval.wilson(successes: successes, trials: trials)
        #expect(abs(interval.lowerBound - low) < 1e-12 && abs(interval.upperBound - high) < 1e-12)
    }
}
