import FERCore
import Foundation
import Testing

/// Numbers as the pages and tables write them.
@Suite struct DecimalTextTests {
    @Test func decimalsRoundAndThousandsAreGrouped() {
        #expect(DecimalText.format(4953.25, decimals: 1) == "4,953.3")
        #expect(DecimalText.format(-1_234_567.891, decimals: 2) == "-1,234,567.89")
        #expect(DecimalText.format(999.9996, decimals: 3) == "1,000.000")
        #expect(DecimalText.format(1000, decimals: 0) == "1,000")
        #expect(DecimalText.format(999, decimals: 0) == "999")
        #expect(DecimalText.format(0.05, decimals: 6) == "0.050000")
        #expect(DecimalText.format(-0.0004, decimals: 3) == "0.000")
        #expect(DecimalText.format(-12.5, decimals: 0) == "-13")
        #expect(DecimalText.format(.nan, decimals: 2) == "–")
    }

    /// The digits are written without strings; they are those of the plain string arithmetic, for numbers of every
    /// size and sign, at every number of decimals, appended after what the buffer held.
    @Test func writtenDigitsMatchTheStringArithmetic() {
        func expected(_ value: Double, _ decimals: Int) -> String {
            let scale = pow(10, Double(decimals)), scaled = (abs(value) * scale).rounded()
            let whole = Int(scaled / scale)
            var wholeDigits = String(whole)
            for position in stride(from: wholeDigits.count - 3, to: 0, by: -3) {
                wholeDigits.insert(",", at: wholeDigits.index(wholeDigits.startIndex, offsetBy: position))
            }
            var text = (value < 0 && scaled > 0 ? "-" : "") + wholeDigits
            if decimals > 0 {
                let digits = String(Int(scaled - Double(whole) * scale))
                text += "." + String(repeating: "0", count: max(0, decimals - digits.count)) + digits
            }
            return text
        }
        var random = SeededGenerator(seed: 12)
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 999.5, 1e15, -123_456_789.987654, 0.000_000_5, 1e-12]
        for magnitude in -8...12 {
            for _ in 0..<40 { values.append((random.uniform() * 2 - 1) * pow(10, Double(magnitude))) }
        }
        for value in values {
            for decimals in 0...6 {
                #expect(DecimalText.format(value, decimals: decimals) == expected(value, decimals), "\(value)")
                var bytes = Array("x,".utf8)
                DecimalText.append(value, decimals: decimals, to: &bytes)
                #expect(bytes == Array(("x," + expected(value, decimals)).utf8))
            }
        }
    }

    @Test func csvFieldsAreQuotedOnlyWhenTheyMustBe() {
        #expect(CSVText.field("Angry") == "Angry")
        #expect(CSVText.field("1,234.5") == "\"1,234.5\"")
        #expect(CSVText.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVText.field("two\r\nlines") == "\"two\r\nlines\"")
    }
}
