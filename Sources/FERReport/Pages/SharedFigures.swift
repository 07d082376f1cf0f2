import FERCore
import FERData
import FERExperiment
import FERFigures
import FERMath

/// Figure layouts several pages draw: confusion matrices, mean faces,
/// mosaics of cluster members, chance lines.
enum SharedFigures {
    /// A confusion matrix coloured by the share of each true label's rows, with counts and shares printed.
    static func confusionHeatmap(_ report: ClassificationReport, names: [String], title: String) -> HeatmapFigure {
        let shares = report.confusion.map { row -> [Double] in
            let total = Double(max(1, row.reduce(0, +)))
            return row.map { Double($0) / total }
        }
        return HeatmapFigure(
            values: shares,
            cellText: zip(report.confusion, shares).map { counts, rowShares in
                zip(counts, rowShares).map {
                    "\(DecimalText.format(Double($0), decimals: 0))\n\(DecimalText.format($1 * 100, decimals: 0))%"
                }
            },
            rowNames: names, columnNames: names, title: title,
            rowTitle: "True label", columnTitle: "Predicted label", colorTitle: "Share of the true label",
            height: max(420, 160 + 52 * names.count))
    }

    /// One mean image (a row of `means`) as gray levels rounded into 0...255.
    static func grayLevels(_ means: Matrix, _ row: Int) -> [UInt8] {
        means.row(row).map { UInt8(max(0, min(255, $0.rounded()))) }
    }

    /// The mean gray level of each mean image (row).
    static func meanLevels(_ means: Matrix) -> [Double] {
        (0..<means.rows).map { row in means.row(row).reduce(0.0) { $0 + Double($1) } / Double(max(1, means.columns)) }
    }

    /// Mean images (rows of `means`) in true gray levels, captioned with `names`.
    static func meanFaces(_ means: Matrix, names: [String], width: Int, height: Int, title: String) -> ImageMosaicFigure
    {
        ImageMosaicFigure(
            groups: [
                .init(title: "", tiles: names.indices.map { .init(pixels: grayLevels(means, $0), caption: names[$0]) })
            ],
            imageWidth: width, imageHeight: height, layout: .rows(perLine: 8), title: title,
            tileWidth: Double(width) * 2)
    }

    /// One block of images per cluster; `members` are positions among the training rows.
    static func clusterMosaic(
        _ members: [[Int]], fit: Clustering, dataset: Dataset, split: SampleSplit, title: String
    ) -> ImageMosaicFigure {
        let train = split.train
        return ImageMosaicFigure(
            groups: members.enumerated().map { cluster, positions in
                .init(
                    title: "Cluster \(cluster) (\(DecimalText.format(Double(fit.sizes[cluster]), decimals: 0)) images)",
                    tiles: positions.map { .init(pixels: Array(dataset.image(train[$0]))) })
            }, imageWidth: dataset.width, imageHeight: dataset.height, layout: .rows(perLine: 15), title: title)
    }

    /// Held-out accuracies (fractions) as percentage bars, one per category, with the chance levels as lines.
    static func accuracyBars(
        _ categories: [String], _ accuracies: [Double], chance: ChanceLevels, title: String
    )
        -> BarChartFigure
    {
        BarChartFigure(
            categories: categories, series: [.init(name: "", values: accuracies.map { $0 * 100 })],
            references: chanceLines(chance), decimals: 1, suffix: "%", title: title, xTitle: "",
            yTitle: "Accuracy (%)")
    }

    /// Chance levels as percentage reference lines.
    static func chanceLines(_ chance: ChanceLevels) -> [ReferenceLine] {
        [
            ReferenceLine(value: chance.uniform * 100, label: "chance, uniform guess"),
            ReferenceLine(value: chance.majorityClass * 100, label: "chance, most common label"),
        ]
    }
}
