import FERCore
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

    @Test func csvFieldsAreQuotedOnlyWhenTheyMustBe() {
        #expect(CSVText.field("Angry") == "Angry")
        #expect(CSVText.field("1,234.5") == "\"1,234.5\"")
        #expect(CSVText.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVText.field("two\r\nlines") == "\"two\r\nlines\"")
    }
}
