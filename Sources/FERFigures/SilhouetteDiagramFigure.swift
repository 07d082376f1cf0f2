import FERCanvas
import FERCore

/// The classic silhouette plot: each cluster's per-sample silhouettes sorted
/// and drawn as a horizontal profile, clusters stacked, with the mean and a
/// structureless baseline marked.
package struct SilhouetteDiagramFigure: Figure {
    /// Per-sample silhouettes.
    package let samples: [Double]
    /// Cluster of each sample.
    package let clusters: [Int32]
    /// Number of clusters.
    package let clusterCount: Int
    /// The mean silhouette (marked with a line).
    package let mean: Double
    /// The structureless baseline's silhouette, if known (marked with a line).
    package let baseline: Double?
    /// The figure title.
    package let title: String
    /// Width in points.
    package let width: Int
    /// Height in points.
    package let height: Int

    /// A silhouette diagram of `samples` grouped by `clusters`.
    package init(
        samples: [Double], clusters: [Int32], clusterCount: Int, mean: Double, baseline: Double?,
        title: String, width: Int = 720, height: Int = 560
    ) {
        precondition(samples.count == clusters.count, "one cluster per sample")
        self.samples = samples
        self.clusters = clusters
        self.clusterCount = clusterCount
        self.mean = mean
        self.baseline = baseline
        self.title = title
        self.width = width
        self.height = height
    }

    /// Per cluster, its silhouettes in descending order.
    var sortedByCluster: [[Double]] {
        var groups = [[Double]](repeating: [], count: clusterCount)
        for (value, cluster) in zip(samples, clusters) { groups[Int(cluster)].append(value) }
        return groups.map { $0.sorted(by: >) }
    }

    package func draw(on canvas: Canvas) {
        let groups = sortedByCluster
        let low = min(-0.1, samples.min() ?? 0)
        let gap = Double(max(1, samples.count)) * 0.012
        let total = Double(samples.count) + gap * Double(max(0, clusterCount - 1))
        let frame = PlotFrame(
            canvas: canvas, size: (width, height), title: title, xTitle: "Silhouette",
            yTitle: "Samples, sorted within each cluster",
            x: .continuous(NiceScale(low, 1)), y: .categories([]))
        frame.drawAxes(on: canvas, size: (width, height), gridX: true, gridY: false)
        var offset = 0.0
        // The foot of the plot is kept clear of clusters for the markers' labels, so none covers a cluster.
        let unit = (frame.height - Self.labelSpace) / max(1, total)
        canvas.setFont(size: Theme.smallSize, weight: .bold)
        for (cluster, values) in groups.enumerated() where !values.isEmpty {
            let top = frame.top + offset * unit
            canvas.setColor(Theme.category(cluster))
            canvas.move(to: frame.px(0), top)
            for (index, value) in values.enumerated() {
                canvas.line(to: frame.px(value), top + Double(index) * unit)
                canvas.line(to: frame.px(value), top + Double(index + 1) * unit)
            }
            canvas.line(to: frame.px(0), top + Double(values.count) * unit)
            canvas.closePath()
            canvas.fill()
            canvas.setColor(Theme.ink)
            canvas.text(
                "\(cluster)", x: frame.left - 6, y: top + Double(values.count) * unit / 2 + 4, alignment: .right)
            offset += Double(values.count) + gap
        }
        drawMarker(
            on: canvas, frame: frame, at: mean, label: "mean \(DecimalText.format(mean, decimals: 3))",
            color: Theme.reference, dash: [6, 4], row: 0)
        if let baseline {
            drawMarker(
                on: canvas, frame: frame, at: baseline,
                label: "structureless baseline \(DecimalText.format(baseline, decimals: 3))",
                color: Theme.ink, dash: [2, 3], row: 1)
        }
    }

    /// Height at the foot of the plot left for the markers' two labels.
    static let labelSpace = 32.0

    private func drawMarker(
        on canvas: Canvas, frame: PlotFrame, at value: Double, label: String, color: Color,
        dash: [Double], row: Int
    ) {
        let x = frame.px(value)
        canvas.withState {
            canvas.setColor(color)
            canvas.setLineWidth(1.5)
            canvas.setDash(dash)
            canvas.move(to: x, frame.top)
            canvas.line(to: x, frame.top + frame.height)
            canvas.stroke()
        }
        canvas.setFont(size: Theme.smallSize, weight: .bold)
        let labelWidth = canvas.measure(label).width
        let rightSide = x + 6 + labelWidth < frame.left + frame.width
        let y = frame.top + frame.height - 8 - Double(row) * 14
        // On a patch of the background, so that no grid or marker line strikes through the label.
        canvas.setColor(.white)
        canvas.rectangle(rightSide ? x + 3 : x - labelWidth - 9, y - 10, labelWidth + 6, 13)
        canvas.fill()
        canvas.setColor(color)
        canvas.text(label, x: rightSide ? x + 6 : x - 6, y: y, alignment: rightSide ? .left : .right)
    }
}
