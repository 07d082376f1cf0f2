#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers as FERLab writes them, on pages and in figures alike: a fixed
/// number of decimals and thousands separators, with no locale and no
/// exponent, so every run writes the same bytes.
package enum DecimalText {
    /// `value` with `decimals` digits after the point: `4953.25` with 1 as `4,953.3`.
    package static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "–" : (value > 0 ? "∞" : "-∞") }
        let scale = pow(10, Double(decimals))
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        var text = String(whole)
        if decimals > 0 {
            let fraction = Int(scaled - Double(whole) * scale)
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: max(0, decimals - digits.count)) + digits
        }
        return (value < 0 && scaled > 0 ? "-" : "") + grouped(text)
    }

    /// Thousands separators for the integer part: `4953` as `4,953`.
    private static func grouped(_ text: String) -> String {
        let parts = text.split(separator: ".", maxSplits: 1)
        let integer = String(parts[0])
        guard integer.count > 3 else { return text }
        var result = ""
        for (index, character) in integer.enumerated() {
            if index > 0 && (integer.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return parts.count > 1 ? result + "." + parts[1] : result
    }
}
