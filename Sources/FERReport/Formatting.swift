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

    /// A signed difference with three decimals: `+0.021`.
    static func signed(_ value: Double, places: Int = 3) -> String {
        (value >= 0 ? "+" : "") + DecimalText.format(value, decimals: places)
    }
}
