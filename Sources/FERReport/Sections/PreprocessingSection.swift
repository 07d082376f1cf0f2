import FERData
import FERExperiment
import FERFigures
import FERMath

/// Milestone 2, first half: the subset, scaling and split.
enum PreprocessingSection: ReportSection {
    static let page = SitePages.Page(key: "preprocessing", file: "preprocessing", title: "Preprocessing")

    /// What the subset's caption says of the sampling.
    private struct Subset: StageParameters {
        var perClass: Int?
        var sampling: ExperimentConfig.PreprocessingSection.Sampling
    }

    static func declareFigures(into figures: FigureList) {
        let experiment = figures.experiment, preprocessing = experiment.config.preprocessing
        figures.add(
            "class-balance-subset", "Images per label in the subset",
            settings: Subset(perClass: preprocessing.perClass, sampling: preprocessing.sampling),
            inputs: experiment.dataset, experiment.sample, draw: subsetBalance)
        figures.add(
            "mean-faces-label", "Mean face of each label", settings: NoParameters(),
            inputs: experiment.labelMeans, experiment.dataset, draw: labelMeans)
    }

    private static func subsetBalance(_ subset: Subset, dataset: Dataset, split: SampleSplit) -> FigureDrawing {
        var counts = [Int](repeating: 0, count: dataset.labelNames.count)
        for row in split.rows { counts[Int(dataset.labels[row])] += 1 }
        let cap = subset.perClass.map { "at most \($0) per label, \(subset.sampling.rawValue) rows" } ?? "all rows"
        return FigureDrawing(
            figure: BarChartFigure(
                categories: dataset.labelNames, values: counts, title: "Images per label in the subset",
                xTitle: "Label"),
            caption: "Images per label after sampling (\(cap))")
    }

    private static func labelMeans(_: NoParameters, means: Matrix, dataset: Dataset) -> FigureDrawing {
        FigureDrawing(
            figure: FigureShapes.meanFaces(
                means, names: dataset.labelNames, width: dataset.width, height: dataset.height,
                title: "Mean face of each label"),
            caption: "The mean of the training images of each label, in true gray levels (not stretched)")
    }

    static func values(_ run: SectionInput) -> [String: Any] {
        let pre = run.results.preprocessing
        let scalings: [String: String] = [
            "minmax-per-image":
                "each image is scaled to [0, 1] over its own darkest and brightest pixel, as the notebooks did",
            "divide-by-255": "every pixel is divided by 255",
            "standardized":
                "each pixel position is scaled to zero mean and unit variance over the training images, and the held-out images with the same statistics",
        ]
        return [
            "preprocessing": [
                "per_class": pre.perClass.map(Formatting.count) ?? "all", "capped": pre.perClass != nil,
                "sampling": pre.sampling, "scaling": pre.scaling,
                "scaling_description": scalings[pre.scaling] ?? pre.scaling,
                "split": pre.split, "rows_used": Formatting.count(pre.rowsUsed),
                "train_rows": Formatting.count(pre.trainRows),
                "test_rows": Formatting.count(pre.testRows),
                "labels": run.results.dataset.labels.map {
                    ["name": $0, "count": Formatting.count(pre.classCountsUsed[$0] ?? 0)]
                },
            ] as [String: Any]
        ]
    }
}
