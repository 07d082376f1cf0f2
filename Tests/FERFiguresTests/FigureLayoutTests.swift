import FERCanvas
import FERCore
import Testing

@testable import FERFigures

/// No label of a figure collides with what the figure draws, checked on the
/// figure's own layout (every fill, stroke and text its canvas records):
/// texts lie inside the figure and do not overlap one another (as turned
/// rectangles, for slanted and upright labels); no line crosses a text and no
/// fill covers part of one, unless a patch of the background was laid between
/// them; nothing is drawn over a text afterwards.
@Suite struct FigureLayoutTests {
    /// Every collision in `figure`, described.
    static func collisions(in figure: some Figure) -> [String] {
        let canvas = Canvas(width: figure.width, height: figure.height)
        canvas.recordsLayout = true
        figure.draw(on: canvas)
        let marks = canvas.drawn
        var found: [String] = []
        func isPatch(_ mark: DrawnMark) -> Bool { mark.kind == .fill(.white) }
        for (t, text) in marks.enumerated() {
            guard case .text(let words) = text.kind, !words.isEmpty else { continue }
            let inside = text.outline.allSatisfy { corner in
                corner.x >= -0.5 && corner.y >= -0.5 && corner.x <= Double(figure.width) + 0.5
                    && corner.y <= Double(figure.height) + 0.5
            }
            if !inside { found.append("\"\(words)\" runs off the figure") }
            for (m, mark) in marks.enumerated() where m != t {
                let hits: Bool
                switch mark.kind {
                case .text(let other):
                    guard m > t, !other.isEmpty else { continue }
                    hits = text.outlineOverlaps(mark, margin: 0.5)
                case .stroke:
                    hits = mark.segments.contains { text.box.isCrossed(by: $0, margin: 0.5) }
                case .fill(let color) where isPatch(mark):
                    // A patch of the background laid over a text afterwards hides part of it.
                    guard m > t, color.alpha > 0 else { continue }
                    hits = text.box.overlaps(mark.box, margin: 1)
                case .fill(let color):
                    // A fill holding the whole text is its background; a part covered is a collision.
                    guard color.alpha > 0 else { continue }
                    hits = text.box.overlaps(mark.box, margin: 0.5) && !(m < t && mark.box.contains(text.box))
                }
                guard hits else { continue }
                let patched = m < t && marks[(m + 1)..<t].contains { isPatch($0) && $0.box.contains(text.box) }
                if !patched || m > t {
                    found.append("\"\(words)\" collides with \(mark.kind) drawn \(m > t ? "after" : "before") it")
                }
            }
        }
        return found
    }

    @Test func aCrowdedBarChartsValuesStayClearOfTheReferenceLinesAndEachOther() {
        // Values right at the chance lines and bars of nearly equal height, side by side.
        let figure = BarChartFigure(
            categories: ["Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral"],
            series: [.init(name: "", values: [14.3, 22.0, 21.5, 14.0, 30.2, 22.4, 13.9])],
            references: [
                ReferenceLine(value: 14.3, label: "chance, uniform guess"),
                ReferenceLine(value: 22.0, label: "chance, most common label"),
            ],
            decimals: 1, suffix: "%", title: "Held-out accuracy", xTitle: "", yTitle: "Accuracy (%)")
        #expect(Self.collisions(in: figure) == [])
    }

    @Test func barsReachingTheTopOfTheScaleKeepTheirValuesOutOfTheTitle() {
        // 4,000 is a round top of the scale: the values above the longest bars must not reach the title.
        let figure = BarChartFigure(
            categories: ["Angry", "Disgust", "Fear", "Happy", "Sad", "Surprise", "Neutral"],
            values: [4000, 547, 4000, 4000, 4000, 4000, 4000], title: "Images per label in the subset",
            xTitle: "Label")
        #expect(Self.collisions(in: figure) == [])
        let negative = BarChartFigure(
            categories: ["a", "b"], series: [.init(name: "", values: [-0.2, 0.4])], decimals: 2,
            title: "Signed values", xTitle: "", yTitle: "Value")
        #expect(Self.collisions(in: negative) == [])
    }

    @Test func theSilhouetteDiagramsMeanAndBaselineLabelsStayClearOfTheClusters() {
        var random = SeededGenerator(seed: 2)
        let clusters = (0..<700).map { Int32($0 % 7) }
        let samples = clusters.map { Double($0) * 0.05 + random.uniform(-0.2...0.5) }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let figure = SilhouetteDiagramFigure(
            samples: samples, clusters: clusters, clusterCount: 7, mean: mean, baseline: mean - 0.01,
            title: "Silhouette of each training image, by cluster")
        #expect(Self.collisions(in: figure) == [])
    }

    @Test func aLineChartsLegendAndLabelsStayClearOfItsLines() {
        func line(_ components: Int) -> LineChartFigure.Series {
            let points: [(x: Double, y: Double)] = (5...15).map { clusters in
                let x = Double(clusters)
                return (x, 0.5 - x * 0.02 + Double(components) * 0.01)
            }
            return LineChartFigure.Series(name: "\(components) components", points: points)
        }
        let figure = LineChartFigure(
            series: (2...5).map(line),
            references: [.init(value: 0.3, label: "structureless, k = 7")], title: "Silhouette over the grid",
            xTitle: "Clusters", yTitle: "Silhouette")
        #expect(Self.collisions(in: figure) == [])
    }

    @Test func aHeatmapsCellValuesAndLegendStayClearOfEachOther() {
        let values: [[Double]] = (2...5).map { components in
            (5...15).map { clusters -> Double in 0.4 - 0.01 * Double(clusters) + 0.02 * Double(components) }
        }
        let figure = HeatmapFigure(
            values: values, cellText: values.map { $0.map { DecimalText.format($0, decimals: 3) } },
            rowNames: (2...5).map { "\($0)" }, columnNames: (5...15).map { "\($0)" }, highlight: (1, 3),
            title: "Mean silhouette over the grid", rowTitle: "Components", columnTitle: "Clusters",
            colorTitle: "Silhouette")
        #expect(Self.collisions(in: figure) == [])
    }

    /// A comparison's chart against a parameter whose values are long (paths), with lines named by several
    /// parameters each: the legend goes below and leaves the plot most of the width; the names are slanted and
    /// shortened, and the plot moves right so that the first stays on the figure.
    @Test func longCategoryNamesAndALongLegendFitTheFigure() throws {
        let categories = [
            "/home/someone/datasets/fer2013/a-copy-kept-for-the-second-paper/fer2013.csv.gz",
            "/home/someone/datasets/ck-plus/cohn-kanade-images",
            "synthetic", "/mnt/archive/affectnet/validation", "/tmp/x",
        ]
        let series = (0..<6).map { index in
            LineChartFigure.Series(
                name: "features.compare [pixels, PCA 2, HOG, PCA 50, whitened, LBP, PCA 50], grid.enabled "
                    + "\(index % 2 == 0), models.components \(index + 2)",
                points: categories.indices.map { (x: Double($0), y: 14 + Double(($0 * 7 + index * 3) % 11)) },
                ranges: categories.indices.map { _ in (low: 12, high: 19) })
        }
        let figure = LineChartFigure(
            series: series, references: [ReferenceLine(value: 14.3, label: "chance, uniform guess")],
            title: "Held-out accuracy, Hungarian against dataset.path", xTitle: "dataset.path",
            yTitle: "Held-out accuracy, Hungarian (%)", legendTitle: "Runs", height: 560, categories: categories)
        #expect(Self.collisions(in: figure) == [])
        let frame = figure.frame(on: Canvas(width: figure.width, height: figure.height))
        #expect(frame.belowLegend != nil && frame.width > 0.7 * Double(figure.width), "\(frame.width)")
        #expect(frame.xLabelAngle == PlotFrame.slant && frame.xLabels.allSatisfy { $0 != nil })
        #expect(frame.xLabels.contains { $0?.hasSuffix("…") == true })
    }

    /// Too many categories for slanted names: they stand upright, every so many named, none overlapping.
    @Test func crowdedCategoriesStandUprightAndSkipNamesRatherThanOverlap() throws {
        let categories = (1...90).map { "setting \($0)" }
        let figure = LineChartFigure(
            series: [.init(name: "", points: categories.indices.map { (x: Double($0), y: Double($0 % 7)) })],
            title: "Ninety settings", xTitle: "Setting", yTitle: "Value", categories: categories)
        #expect(Self.collisions(in: figure) == [])
        let frame = figure.frame(on: Canvas(width: figure.width, height: figure.height))
        #expect(frame.xLabelAngle == Double.pi / 2)
        #expect(frame.xLabels.contains { $0 == nil } && frame.xLabels.first != nil)
    }

    @Test func theCheckFindsTurnedLabelsThatOverlapAndPassesThoseThatDoNot() {
        struct Turned: Figure {
            let spacing: Double
            let width = 300, height = 200
            func draw(on canvas: Canvas) {
                canvas.setFont(size: 12)
                for index in 0..<2 {
                    canvas.withState {
                        canvas.translate(150 + Double(index) * spacing, 100)
                        canvas.rotate(-0.6)
                        canvas.text("a slanted label", x: 0, y: 0, alignment: .right)
                    }
                }
            }
        }
        // Their boxes overlap either way; their slanted lines of type only when close.
        #expect(Self.collisions(in: Turned(spacing: 8)).count == 1)
        #expect(Self.collisions(in: Turned(spacing: 30)) == [])
    }

    @Test func theCheckFindsALabelStruckThroughByALine() {
        // A figure that writes a label, then strikes it through: the check must see it.
        struct StruckThrough: Figure {
            let width = 200, height = 100
            func draw(on canvas: Canvas) {
                canvas.setFont(size: 12)
                canvas.text("struck", x: 50, y: 50)
                canvas.move(to: 40, 46)
                canvas.line(to: 160, 46)
                canvas.stroke()
            }
        }
        #expect(Self.collisions(in: StruckThrough()).count == 1)
    }
}
