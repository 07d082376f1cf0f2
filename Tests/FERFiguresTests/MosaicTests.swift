import FERCore
import FERData
import FERTestSupport
import Testing

@testable import FERCanvas
@testable import FERFigures

@Suite struct MosaicTests {
    /// Seven labels, three rows each, every image a gradient unique to its row.
    private func dataset() -> Dataset {
        let labels: [Int32] = (0..<21).map { Int32($0 % 7) }
        let pixels = (0..<21).flatMap { row in CSVFixture.gradient(side: 48, shift: row * 9) }
        return Dataset(
            width: 48, height: 48, pixels: pixels, labels: labels, labelNames: EmotionLabels.fer2013,
            usage: nil, usageNames: [], provenance: DatasetProvenance(kind: .csv, path: "t.csv", columns: []))
    }

    @Test func tilesAreTheirSourceImagesPixelForPixel() throws {
        let data = dataset()
        let groups = (0..<3).map { group in
            ImageMosaicFigure.Group(
                title: "Cluster \(group)",
                tiles: [group, group + 7].map {
                    .init(pixels: Array(data.image($0)), caption: "row \($0)")
                })
        }
        let figure = ImageMosaicFigure(
            groups: groups, imageWidth: 48, imageHeight: 48, layout: .rows(perLine: 5),
            title: "Nearest", tileWidth: 48)
        let image = try render(figure)
        for group in 0..<3 {
            for (slot, row) in [group, group + 7].enumerated() {
                let origin = figure.tileOrigin(group: group, tile: slot)
                let source = Array(data.image(row))
                var mismatches = 0
                for y in 0..<48 {
                    for x in 0..<48 {
                        let value = Int(source[y * 48 + x])
                        if !image.matches(
                            origin.x + Double(x), origin.y + Double(y), (value, value, value), tolerance: 0)
                        {
                            mismatches += 1
                        }
                    }
                }
                #expect(mismatches == 0, "tile of row \(row) differs in \(mismatches) pixels")
            }
        }
    }

    @Test func samplesPickTheFirstRowsOfEachLabel() {
        let rows = dataset().rows(perLabel: 2, order: .first)
        #expect(rows[0] == [0, 7])
        #expect(rows[6] == [6, 13])
    }

    @Test func randomSamplesAreSeededAndStayInTheirLabel() {
        let first = dataset().rows(perLabel: 2, order: .random(seed: 4))
        #expect(first == dataset().rows(perLabel: 2, order: .random(seed: 4)))
        for (label, rows) in first.enumerated() { #expect(rows.allSatisfy { $0 % 7 == label }) }
    }

    @Test func normalisedTilesSpanTheGrayRange() {
        let tile = ImageMosaicFigure.Tile(normalizing: [-2, 0, 2, 1])
        #expect(tile.pixels == [0, 128, 255, 191])
    }

    @Test func emptyGroupsSayNoImages() throws {
        let figure = ImageMosaicFigure(
            groups: [.init(title: "Disgust", tiles: [])], imageWidth: 4, imageHeight: 4,
            layout: .columns, title: "")
        #expect(try render(figure).width == figure.width)
    }
}

@Suite struct OutputTests {
    private let figure = BarChartFigure(categories: ["Angry", "Happy"], values: [3, 9], title: "Counts")

    @Test func renderingIsByteIdentical() throws {
        #expect(try figure.render(.png(scale: 2)) == figure.render(.png(scale: 2)))
        #expect(try figure.render(.svg) == figure.render(.svg))
    }

    @Test func scaleMultipliesThePixelSize() throws {
        let one = try RenderedImage(png: figure.render(.png(scale: 1)))
        let two = try RenderedImage(png: figure.render(.png(scale: 2)))
        #expect(one.width == figure.width && one.height == figure.height)
        #expect(two.width == 2 * figure.width && two.height == 2 * figure.height)
    }

    @Test func sizeIsSettable() throws {
        let wide = BarChartFigure(categories: ["a"], values: [1], title: "t", width: 1000, height: 300)
        #expect(try RenderedImage(png: wide.render(.png(scale: 1))).width == 1000)
    }

    @Test func svgIsADocumentWithTheText() throws {
        let svg = String(decoding: try figure.render(.svg), as: UTF8.self)
        #expect(svg.hasPrefix("<?xml"))
        #expect(svg.contains("<svg"))
        #expect(svg.hasSuffix("</svg>\n"))
    }
}

@Suite struct NiceScaleTests {
    @Test func roundRangesAndSteps() {
        let scale = NiceScale(0, 8989)
        #expect(scale.lower == 0 && scale.upper == 10_000 && scale.step == 2000)
        #expect(scale.ticks.map { scale.label($0) } == ["0", "2,000", "4,000", "6,000", "8,000", "10,000"])
        let small = NiceScale(0.159, 0.334)
        #expect(small.ticks.first! <= 0.159 && small.ticks.last! >= 0.334)
        #expect(small.label(0.15) == "0.15")
        let negative = NiceScale(-27.3, 19.4)
        #expect(negative.lower == -30 && negative.upper == 20)
    }

    @Test func degenerateRangesAreWidened() {
        let scale = NiceScale(5, 5)
        #expect(scale.lower < 5 && scale.upper > 5)
        #expect(NiceScale(.nan, .infinity).ticks.count >= 2)
    }

    @Test func formatting() {
        #expect(DecimalText.format(0.33614, decimals: 3) == "0.336")
        #expect(DecimalText.format(-0.0004, decimals: 3) == "0.000")
        #expect(DecimalText.format(24547, decimals: 0) == "24,547")
        #expect(DecimalText.format(-1.5, decimals: 1) == "-1.5")
    }

    @Test func colormapEndsAndTextContrast() {
        #expect(rgb(Theme.colormap(0)) == (0x44, 0x01, 0x54))
        #expect(rgb(Theme.colormap(1)) == (0xFD, 0xE7, 0x25))
        #expect(Theme.textColor(on: Theme.colormap(0)) == .white)
        #expect(Theme.textColor(on: Theme.colormap(1)) == Theme.ink)
    }
}

@Suite struct SVGDeterminismTests {
    @Test func surfaceIDsAreRenumberedByFirstAppearance() {
        let input = Array(
            ##"<g id="surface12"><use xlink:href="#image40"/><image id="image40"/></g><g id="surface3">"##.utf8)
        let output = String(decoding: Canvas.renumberingSurfaceIDs(input), as: UTF8.self)
        #expect(output == ##"<g id="surface1"><use xlink:href="#image1"/><image id="image1"/></g><g id="surface2">"##)
    }

    @Test func mosaicsWithEmbeddedImagesAreStableAcrossRenders() throws {
        let figure = ImageMosaicFigure(
            groups: [.init(title: "a", tiles: [.init(pixels: [1, 2, 3, 4])])],
            imageWidth: 2, imageHeight: 2, layout: .columns, title: "t")
        _ = try BarChartFigure(categories: ["x"], values: [1], title: "other").render(.svg)
        #expect(try figure.render(.svg) == figure.render(.svg))
    }
}

@Suite struct SVGImageTests {
    @Test func embeddedImagesAreMarkedPixelated() throws {
        let figure = ImageMosaicFigure(
            groups: [.init(title: "a", tiles: [.init(pixels: [1, 2, 3, 4])])],
            imageWidth: 2, imageHeight: 2, layout: .columns, title: "t")
        let svg = String(decoding: try figure.render(.svg), as: UTF8.self)
        #expect(svg.contains("<image style=\"image-rendering:pixelated\" "))
        #expect(!svg.contains("<image x="))
    }
}
