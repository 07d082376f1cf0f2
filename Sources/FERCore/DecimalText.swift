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
        var bytes: [UInt8] = []
        append(value, decimals: decimals, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the UTF-8 bytes of `format(value, decimals:)` to `bytes`, without making a string (tables of
    /// many numbers are written this way).
    package static func append(_ value: Double, decimals: Int, to bytes: inout [UInt8]) {
        guard value.isFinite else {
            bytes += (value.isNaN ? "–" : (value > 0 ? "∞" : "-∞")).utf8
            return
        }
        let scale = pow(10, Double(decimals))
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        if value < 0 && scaled > 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(of: whole, grouped: true, width: 1, to: &bytes)
        guard decimals > 0 else { return }
        bytes.append(UInt8(ascii: "."))
        let fraction = Int(scaled - Double(whole) * scale)
        if fraction >= 0 {
            appendDigits(of: fraction, grouped: false, width: decimals, to: &bytes)
        } else {
            // Only where rounding made the whole part one too large; written as a string would write it.
            let digits = String(fraction)
            bytes += repeatElement(UInt8(ascii: "0"), count: max(0, decimals - digits.utf8.count))
            bytes += digits.utf8
        }
    }

    /// The decimal digits of `number` (at least 0), after zeros up to `width` digits, with a thousands
    /// separator before every third digit from the right when `grouped`.
    private static func appendDigits(of number: Int, grouped: Bool, width: Int, to bytes: inout [UInt8]) {
        var divisor = 1, count = 1
        while divisor <= number / 10 {
            divisor &*= 10
            count &+= 1
        }
        if count < width { bytes += repeatElement(UInt8(ascii: "0"), count: width - count) }
        var remaining = number, index = 0
        while divisor > 0 {
            if grouped && index > 0 && (count - index) % 3 == 0 { bytes.append(UInt8(ascii: ",")) }
            let digit = remaining / divisor
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: digit))
            remaining &-= digit &* divisor
            divisor /= 10
            index &+= 1
        }
    }
}
