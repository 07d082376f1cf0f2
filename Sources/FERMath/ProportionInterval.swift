/// Wilson's score interval for a proportion seen in a uniform sample: where the share of the whole likely
/// lies, given how many of `trials` sampled items had the property. Unlike the normal approximation it stays
/// inside [0, 1] and is not empty when none (or all) of the sample has the property.
package enum ProportionInterval {
    /// The 95% Wilson interval of `successes` out of `trials` (the whole range when there are no trials).
    package static func wilson(successes: Int, trials: Int) -> ClosedRange<Double> {
        guard trials > 0 else { return 0...1 }
        let z = 1.959963984540054, n = Double(trials), p = Double(successes) / n
        let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        let half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
        return max(0, centre - half)...min(1, centre + half)
    }
}
