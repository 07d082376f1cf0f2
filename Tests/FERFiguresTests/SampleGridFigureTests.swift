import FERCodecs
import FERData
import FERFigures
import Testing

@Suite struct SampleGridFigureTests {
    /// Seven labels, three rows each, every image a flat gray unique to its row.
    private func dataset() -> Dataset {
        let labels: [Int32] = (0..<21).map { Int32($0 % 7) }
        let pixels = (0..<21).flatMap { row in [UInt8](repeating: UInt8(10 + row * 11), count: 48 * 48) }
        return Dataset(width: 48, height: 48, pixels: pixels, labels: labels, labelNames: EmotionLabels.fer2013,
                       usage: nil, usageNames: [], provenance: DatasetProvenance(kind: .csv, path: "t.csv", columns: []))
    }

    @Test func picksTheFirstRowsOfEachLabel() {
        let figure = SampleGridFigure(dataset: dataset(), perLabel: 2)
        #expect(figure.rowsByLabel[0] == [0, 7])
        #expect(figure.rowsByLabel[6] == [6, 13])
    }

    @Test func randomSelectionIsSeededAndStaysInItsLabel() {
        let first = SampleGridFigure(dataset: dataset(), perLabel: 2, selection: .random(seed: 4))
        let again = SampleGridFigure(dataset: dataset(), perLabel: 2, selection: .random(seed: 4))
        #expect(first.rowsByLabel == again.rowsByLabel)
        for (label, rows) in first.rowsByLabel.enumerated() { #expect(rows.allSatisfy { $0 % 7 == label }) }
    }

    @Test func tilesShowTheirSourceImages() throws {
        let data = dataset()
        let figure = SampleGridFigure(dataset: data, perLabel: 3)
        let png = try figure.render(.png(scale: 1))
        let image = try png.withUnsafeBytes { try PNGCodec.decodeGray($0) }
        #expect(image.width == figure.width && image.height == figure.height)
        // Find each tile by its unique gray level: every row's value appears as a solid block.
        for row in 0..<21 {
            let level = UInt8(10 + row * 11)
            let count = image.pixels.filter { $0 == level }.count
            #expect(count >= 60 * 60, "row \(row)'s tile is missing or damaged")
        }
    }

    @Test func renderingIsByteIdentical() throws {
        let figure = SampleGridFigure(dataset: dataset(), perLabel: 2)
        #expect(try figure.render(.png(scale: 1)) == figure.render(.png(scale: 1)))
        #expect(try figure.render(.png(scale: 2)).count > figure.render(.png(scale: 1)).count)
    }

    @Test func writesSVGToo() throws {
        let svg = String(decoding: try SampleGridFigure(dataset: dataset(), perLabel: 1).render(.svg), as: UTF8.self)
        #expect(svg.contains("<svg"))
        #expect(svg.contains("</svg>"))
    }
}
