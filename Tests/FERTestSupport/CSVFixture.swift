/// Builds FER-layout CSV text for tests.
package enum CSVFixture {
    /// The fixture images' pixel formula: `(5x + 3y + shift) % 256` over a `side` x `side` image.
    package static func gradient(side: Int = 48, shift: Int = 0) -> [UInt8] {
        (0..<side).flatMap { y in (0..<side).map { x in UInt8((5 * x + 3 * y + shift) % 256) } }
    }

    /// The pixels field for `values`, space-separated.
    package static func pixelField(_ values: [UInt8]) -> String {
        values.map(String.init).joined(separator: " ")
    }

    /// A CSV with header `emotion,pixels,Usage` and one row per (emotion, shift, usage),
    /// each row's image the gradient shifted by `shift`.
    package static func csv(
        _ rows: [(emotion: Int, shift: Int, usage: String)], side: Int = 48,
        lineEnd: String = "\n"
    ) -> String {
        var text = "emotion,pixels,Usage" + lineEnd
        for row in rows {
            text += "\(row.emotion),\(pixelField(gradient(side: side, shift: row.shift))),\(row.usage)" + lineEnd
        }
        return text
    }
}
