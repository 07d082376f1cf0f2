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
        var text = (value < 0 && scaled > 0 ? "-" : "") + grouped(whole)
        if decimals > 0 {
            let fraction = Int(scaled - Double(whole) * scale)
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: max(0, decimals - digits.count)) + digits
        }
        return text
    }

    /// `whole`'s digits with thousands separators: `4953` as `4,953`.
    private static func grouped(_ whole: Int) -> String {
        let digits = String(whole)
        guard whole >= 1000 else { return digits }
        var result: [UInt8] = []
        result.reserveCapacity(digits.utf8.count * 4 / 3 + 1)
        let count = digits.utf8.count
        for (index, digit) in digits.utf8.enumerated() {
            if index > 0 && (count - index) % 3 == 0 { result.append(UInt8(ascii: ",")) }
            result.append(digit)
        }
        return String(decoding: result, as: UTF8.self)
    }
}
