import FERCanvas
import FERTestSupport
import Testing

@testable import FERFigures

/// Each test checks what a figure shows at known positions, not only that a file appeared.
@Suite struct ChartTests {
    /// A baseline or chance line must not share a colour with a series (it did with the fourth).
    @Test func referenceLinesHaveAColourNoSeriesHas() {
        for colour in Theme.palette {
            let distance = max(
                abs(colour.red - Theme.reference.red), abs(colour.green - Theme.reference.green),
                abs(colour.blue - Theme.reference.blue))
            #expect(distance > 0.15, "reference line colour is close to \(colour.hexText)")
        }
    }

    @Test func barHeightsAreProportionalToCounts() throws {
        let figure = BarChartFigure(categories: ["a", "b", "c", "d"], values: [100, 400, 250, 0], title: "Counts")
        let image = try render(figure)
        let frame = figure.frame(on: Canvas(width: figure.width, height: figure.height))
        let baseline = frame.py(0)
        var heights: [Double] = []
        for index in 0..<4 {
            let x = frame.px(Double(index))
            // Walk up from the axis while the pixel has the bar colour.
            var y = baseline - 2
            while y > frame.top && image.matches(x, y, rgb(Theme.accent), tolerance: 8) { y -= 1 }
            heights.append(baseline - 1 - y)
        }
        let unit = (baseline - frame.py(100))
        for (height, value) in zip(heights, [100.0, 400, 250, 0]) {
            #expect(abs(height - value / 100 * unit) <= 2, "bar for \(value) is \(height) points high")
        }
    }

    @Test func groupedBarsSitSideBySideAndNegativeValuesHangBelowZero() throws {
        let figure = BarChartFigure(
            categories: ["one", "two"],
            series: [.init(name: "first", values: [0.4, -0.2]), .init(name: "second", values: [0.2, 0.3])],
            references: [ReferenceLine(value: 0.1, label: "chance")], decimals: 2,
            title: "t", xTitle: "", yTitle: "score")
        let image = try render(figure)
        let frame = figure.frame(on: Canvas(width: figure.width, height: figure.height))
        let slot = frame.width / 2, groupWidth = min(128, slot * 0.8)
        func barCentre(_ category: Int, _ series: Int) -> Double {
            frame.px(Double(category)) - groupWidth / 2 + (Double(series) + 0.5) * groupWidth / 2
        }
        // First series in the first colour left of the slot centre, second series right of it.
        #expect(image.matches(barCentre(0, 0), frame.py(0.3), rgb(Theme.category(0)), tolerance: 8))
        #expect(image.matches(barCentre(0, 1), frame.py(0.15), rgb(Theme.category(1)), tolerance: 8))
        // Above the shorter bar: background.
        #expect(!image.matches(barCentre(0, 1), frame.py(0.3), rgb(Theme.category(1)), tolerance: 8))
        // The negative value hangs below the zero line, not above it.
        #expect(image.matches(barCentre(1, 0), frame.py(-0.1), rgb(Theme.category(0)), tolerance: 8))
        #expect(!image.matches(barCentre(1, 0), frame.py(0.05), rgb(Theme.category(0)), tolerance: 8))
    }

    @Test func aPointHasItsClusterColourWhereItIsPlotted() throws {
        // A lone point of cluster 3 far from the others, drawn large so it covers whole pixels.
        let figure = ScatterFigure(
            xs: [1, 9, 9, 5], ys: [1, 1, 9, 5], groups: [0, 1, 2, 3],
            groupNames: ["0", "1", "2", "3"], title: "t", xTitle: "x", yTitle: "y",
            pointAlpha: 0.5, pointSize: 6)
        let image = try render(figure)
        let frame = figure.frame(on: Canvas(width: figure.width, height: figure.height))
        #expect(image.matches(frame.px(5), frame.py(5), overWhite(Theme.category(3), alpha: 0.5), tolerance: 4))
        #expect(image.matches(frame.px(9), frame.py(1), overWhite(Theme.category(1), alpha: 0.5), tolerance: 4))
        // Between points: background, not a mark.
        let empty = image.color(frame.px(7), frame.py(3))
        #expect(empty.red > 200 && empty.green > 200 && empty.blue > 200)
    }

    @Test func overlappingPointsReadDarker() throws {
        let xs = [Float](repeating: 1, count: 5) + [3]
        let ys = [Float](repeating: 1, count: 5) + [3]
        let figure = ScatterFigure(
            xs: xs, ys: ys, groups: [Int32](repeating: 0, count: 6), groupNames: ["0"],
            title: "t", xTitle: "x", yTitle: "y", pointAlpha: 0.3, pointSize: 6)
        let image = try render(figure)
        let frame = figure.frame(on: Canvas(width: figure.width, height: figure.height))
        #expect(image.color(frame.px(1), frame.py(1)).green < image.color(frame.px(3), frame.py(3)).green)
    }

    @Test func centresAreMarked() throws {
        let figure = ScatterFigure(
            xs: [0, 10], ys: [0, 10], groups: [0, 1], groupNames: ["0", "1"],
            centres: [(x: 5, y: 5)], title: "t", xTitle: "x", yTitle: "y")
        let image = try render(figure)
        let frame = figure.frame(on: Canvas(width: figure.width, height: figure.height))
        // The × arms pass 4 points from the centre along the diagonal, in ink.
        #expect(image.matches(frame.px(5) + 4, frame.py(5) + 4, rgb(Theme.ink), tolerance: 40))
    }

    @Test func heatmapCellsHaveTheirColourAndTheBestCellIsOutlined() throws {
        let values: [[Double]] = [[0.1, 0.5], [0.3, 0.9]]
        let figure = HeatmapFigure(
            values: values, rowNames: ["r0", "r1"], columnNames: ["c0", "c1"],
            highlight: (row: 1, column: 1), title: "t", rowTitle: "rows", columnTitle: "columns",
            colorTitle: "value")
        let image = try render(figure)
        let frame = figure.frame(on: Canvas(width: figure.width, height: figure.height))
        let cellWidth = frame.width / 2, cellHeight = frame.height / 2
        for row in 0..<2 {
            for column in 0..<2 {
                // Sample off the text, near a cell corner.
                let x = frame.left + Double(column) * cellWidth + 8, y = frame.top + Double(row) * cellHeight + 10
                let expected = rgb(Theme.colormap((values[row][column] - 0.1) / 0.8))
                if row == 1 && column == 1 { continue }
                #expect(image.matches(x, y, expected, tolerance: 3), "cell \(row), \(column)")
            }
        }
        #expect(
            image.matches(
                frame.left + cellWidth + 2.5, frame.top + cellHeight * 1.5, rgb(Theme.reference), tolerance: 12))
    }

    @Test func linePointsSitAtTheirValues() throws {
        let figure = LineChartFigure(
            series: [.init(name: "a", points: [(1, 0.2), (2, 0.8), (3, 0.5)])],
            references: [.init(value: 0.4, label: "baseline")],
            title: "t", xTitle: "x", yTitle: "y")
        let image = try render(figure)
        let frame = figure.frame(on: Canvas(width: figure.width, height: figure.height))
        for point in [(1.0, 0.2), (2.0, 0.8), (3.0, 0.5)] {
            #expect(image.matches(frame.px(point.0), frame.py(point.1), rgb(Theme.category(0)), tolerance: 6))
        }
    }

    @Test func silhouetteBandsAreAsTallAsTheirClusters() throws {
        // Cluster 0 has three times as many samples as cluster 1.
        let samples = [Double](repeating: 0.5, count: 300) + [Double](repeating: 0.5, count: 100)
        let clusters = [Int32](repeating: 0, count: 300) + [Int32](repeating: 1, count: 100)
        let figure = SilhouetteDiagramFigure(
            samples: samples, clusters: clusters, clusterCount: 2, mean: 0.5,
            baseline: 0.3, title: "t")
        let image = try render(figure)
        // Scan the column at silhouette 0.25 for the two bands' colours.
        let frame = PlotFrame(
            canvas: Canvas(width: figure.width, height: figure.height), size: (figure.width, figure.height),
            title: "t", xTitle: "Silhouette", yTitle: "Samples, sorted within each cluster",
            x: .continuous(NiceScale(-0.1, 1)), y: .categories([]))
        let x = frame.px(0.25)
        var first = 0, second = 0
        for y in Int(frame.top)..<Int(frame.top + frame.height) {
            if image.matches(x, Double(y), rgb(Theme.category(0)), tolerance: 10) { first += 1 }
            if image.matches(x, Double(y), rgb(Theme.category(1)), tolerance: 10) { second += 1 }
        }
        #expect(second > 0)
        #expect(abs(Double(first) / Double(second) - 3) < 0.15)
    }
}
