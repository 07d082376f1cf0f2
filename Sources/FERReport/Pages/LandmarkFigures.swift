import FERData
import FERExperiment
import FERFeatures
import FERFigures
import FERMath
import FERStages

/// The figures that show the landmark model's points: faces with their
/// points drawn over them, the worst fits, and the mean aligned shape of
/// each cluster beside that of its label.
enum LandmarkFigures {
    /// The parts of a face outline, by dlib's point numbers, and whether each closes.
    private static let parts: [(points: ClosedRange<Int>, closed: Bool)] =
        [(FaceShape.jaw, false)] + FaceShape.brows.map { ($0, false) } + FaceShape.nose.map { ($0, false) } + [
            (FaceShape.leftEye, true), (FaceShape.rightEye, true), (FaceShape.outerLips, true),
            (FaceShape.innerLips, true),
        ]

    /// The outline of a face whose points, from dlib's point `first` on, are `points` (x, y pairs).
    static func outlines(_ points: [Double], first: Int = 0) -> [Outline] {
        let last = first + points.count / 2 - 1
        return parts.filter { $0.points.lowerBound >= first && $0.points.upperBound <= last }.map { part in
            Outline(
                points: part.points.flatMap { [points[2 * ($0 - first)], points[2 * ($0 - first) + 1]] },
                closed: part.closed)
        }
    }

    /// The outline of image `row`'s 68 landmarks.
    static func outlines(of row: Int, in landmarks: LandmarkSet) -> [Outline] {
        let base = row * LandmarkSet.perImage
        return outlines(landmarks.points[base..<(base + LandmarkSet.perImage)].map(Double.init))
    }

    /// The first `perLabel` images of each label with their landmarks drawn over them.
    static func samples(_ perLabel: Count, dataset: Dataset, landmarks: LandmarkSet) -> FigureDrawing {
        FigureDrawing(
            figure: ImageMosaicFigure.samples(
                of: dataset, perLabel: perLabel.count, title: "The landmark model's points on sample images",
                outlines: { outlines(of: $0, in: landmarks) }),
            texts: ["count": "\(perLabel.count)"])
    }

    /// The fits furthest from the mean shape, with their points.
    static func worst(
        _: NoParameters, quality: LandmarkQuality, dataset: Dataset, landmarks: LandmarkSet
    )
        -> FigureDrawing
    {
        let tiles = quality.worst.map { row in
            ImageMosaicFigure.Tile(
                pixels: Array(dataset.image(row)), caption: "row \(row)", outlines: outlines(of: row, in: landmarks))
        }
        return FigureDrawing(
            figure: ImageMosaicFigure(
                groups: [.init(title: "", tiles: tiles)], imageWidth: dataset.width, imageHeight: dataset.height,
                layout: .rows(perLine: 8), title: "The landmark fits furthest from the mean shape",
                tileWidth: Double(dataset.width) * (dataset.width <= 48 ? 2 : 1)),
            texts: ["count": "\(tiles.count)"])
    }

    /// The mean aligned inner-face shape of each cluster's training images, beside the mean shape of the
    /// training images of the label the cluster is mapped to (aligned onto the training images' mean shape).
    static func clusterShapes(
        _: NoParameters, landmarks: LandmarkSet, split: SampleSplit, clusters: ClusterFit, metrics: ModelMetrics,
        dataset: Dataset
    ) -> FigureDrawing {
        let inner = FaceShape.inner, length = inner.count * 2
        let shapes = split.train.flatMap { row in
            let base = row * LandmarkSet.perImage + 2 * inner.lowerBound
            return landmarks.points[base..<(base + length)]
        }
        let procrustes = Procrustes(fitting: shapes, count: split.train.count, points: inner.count)
        let fit = clusters.clustering
        var clusterSums = [[Double]](repeating: [Double](repeating: 0, count: length), count: fit.clusterCount)
        var labelSums = [[Double]](repeating: [Double](repeating: 0, count: length), count: dataset.labelNames.count)
        var clusterCounts = [Int](repeating: 0, count: fit.clusterCount)
        var labelCounts = [Int](repeating: 0, count: dataset.labelNames.count)
        for (position, row) in split.train.enumerated() {
            let aligned = procrustes.align(shapes, shape: position)
            let cluster = Int(fit.labels[position]), label = Int(dataset.labels[row])
            for index in 0..<length {
                clusterSums[cluster][index] += aligned[index]
                labelSums[label][index] += aligned[index]
            }
            clusterCounts[cluster] += 1
            labelCounts[label] += 1
        }
        func mean(_ sum: [Double], _ count: Int) -> [Outline] {
            count == 0 ? [] : outlines(sum.map { $0 / Double(count) }, first: inner.lowerBound)
        }
        let panels = (0..<fit.clusterCount).map { cluster in
            let label = metrics.map.labelOf[cluster]
            return ShapeOutlineFigure.Panel(
                title: "Cluster \(cluster)\(label.map { " → \(dataset.labelNames[$0])" } ?? "")",
                shapes: [
                    mean(clusterSums[cluster], clusterCounts[cluster]),
                    label.map { mean(labelSums[$0], labelCounts[$0]) } ?? [],
                ])
        }
        return FigureDrawing(
            figure: ShapeOutlineFigure(
                panels: panels, series: ["cluster's mean shape", "mean shape of its label"],
                title: "Mean landmark shape of each cluster and of its label"))
    }
}
