import FERCore

/// How numbers read on the pages: fixed decimals, thousands separators,
/// percentages. No locale, so every run writes the same bytes.
enum Formatting {
    /// `35887` as `35,887`.
    static func count(_ value: Int) -> String { DecimalText.format(Double(value), decimals: 0) }

    /// A value with three decimals: `0.336`.
    static func decimal(_ value: Double, places: Int = 3) -> String { DecimalText.format(value, decimals: places) }

    /// A fraction as a percentage with one decimal: `0.1484` as `14.8%`.
    static func percent(_ value: Double) -> String { DecimalText.format(value * 100, decimals: 1) + "%" }

    /// A 95% interval of fractions as percentages, for sentences: `95% interval 29.9-39.2%` (`no interval`
    /// without one).
    static func percentInterval(_ range: ClosedRange<Double>?) -> String {
        range == nil ? "no interval" : "95% interval " + percentRange(range)
    }

    /// The same for tables, whose heading names the interval: `29.9-39.2%` (`–` without one).
    static func percentRange(_ range: ClosedRange<Double>?) -> String {
        guard let range else { return "–" }
        return "\(DecimalText.format(range.lowerBound * 100, decimals: 1))-\(percent(range.upperBound))"
    }

    /// A 95% interval of values with three decimals, for sentences: `95% interval 0.140-0.186`.
    static func decimalInterval(_ range: ClosedRange<Double>?) -> String {
        range == nil ? "no interval" : "95% interval " + decimalRange(range)
    }

    /// The same for tables: `0.140-0.186` (`–` without one).
    static func decimalRange(_ range: ClosedRange<Double>?) -> String {
        guard let range else { return "–" }
        return "\(decimal(range.lowerBound))-\(decimal(range.upperBound))"
    }

    /// A signed difference with three decimals: `+0.021`.
    static func signed(_ value: Double, places: Int = 3) -> String {
        (value >= 0 ? "+" : "") + DecimalText.format(value, decimals: places)
    }
}
