import FERCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An axis range widened to round numbers, with evenly spaced "nice" ticks
/// (steps of 1, 2, 2.5 or 5 times a power of ten; Heckbert 1990).
package struct NiceScale: Equatable, Sendable {
    /// Lower end of the axis.
    package let lower: Double
    /// Upper end of the axis.
    package let upper: Double
    /// Distance between ticks.
    package let step: Double

    /// A scale covering `low...high` with about `ticks` ticks. A zero-width
    /// range is widened around its value.
    package init(_ low: Double, _ high: Double, ticks: Int = 6) {
        var low = low.isFinite ? low : 0, high = high.isFinite ? high : 1
        if low > high { swap(&low, &high) }
        if high - low < 1e-12 {
            let pad = abs(low) > 1e-12 ? abs(low) * 0.1 : 1
            low -= pad
            high += pad
        }
        let step = Self.nice((high - low) / Double(max(1, ticks - 1)), round: true)
        self.step = step
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
    }

    /// The tick values from `lower` to `upper`.
    package var ticks: [Double] {
        let count = Int(((upper - lower) / step).rounded()) + 1
        return (0..<count).map { lower + Double($0) * step }
    }

    /// `value` as tick text with just enough decimals for the step.
    package func label(_ value: Double) -> String {
        let decimals = max(0, -Int(log10(step).rounded(.down)) + (Self.needsExtraDecimal(step) ? 1 : 0))
        return DecimalText.format(abs(value) < step * 1e-9 ? 0 : value, decimals: decimals)
    }

    private static func needsExtraDecimal(_ step: Double) -> Bool {
        let mantissa = step / pow(10, log10(step).rounded(.down))
        return abs(mantissa - 2.5) < 1e-9
    }

    private static func nice(_ value: Double, round: Bool) -> Double {
        let exponent = log10(value).rounded(.down)
        let fraction = value / pow(10, exponent)
        let niceFraction: Double
        if round {
            niceFraction =
                fraction < 1.5 ? 1 : (fraction < 2.25 ? 2 : (fraction < 3.5 ? 2.5 : (fraction < 7.5 ? 5 : 10)))
        } else {
            niceFraction = fraction <= 1 ? 1 : (fraction <= 2 ? 2 : (fraction <= 5 ? 5 : 10))
        }
        return niceFraction * pow(10, exponent)
    }
}
