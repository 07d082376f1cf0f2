import FERData
import FERExperiment
import FERFigures
import FERMath
import FERStages

/// Milestone 2, first half: the subset, scaling and split.
enum PreprocessingPage: ReportPage {
    static let page = SitePages.Page(key: "preprocessing", file: "preprocessing", title: "Preprocessing")

    /// What the subset's caption says of the sampling.
    private struct Subset: StageParameters {
        var perClass: Int?
        var sampling: ExperimentConfig.PreprocessingSection.Sampling
    }

    static func declareFigures(into figures: FigureList) {
        let experiment = figures.experiment, preprocessing = experiment.config.preprocessing
        figures.add(
            "class-balance-subset",
            settings: Subset(perClass: preprocessing.perClass, sampling: preprocessing.sampling),
            inputs: experiment.dataset, experiment.sample, draw: subsetBalance)
        figures.add(
            "near-copies", settings: Count(count: Experiment.closestPairsShown),
            inputs: experiment.nearCopies, experiment.dataset, experiment.sample, draw: closestPairs)
        if experiment.usesLandmarks {
            figures.add(
                "landmark-worst", settings: NoParameters(),
                inputs: experiment.landmarkQuality, experiment.dataset, experiment.landmarks,
                draw: LandmarkFigures.worst)
        }
        figures.add(
            "mean-faces-label", settings: NoParameters(),
            inputs: experiment.labelMeans, experiment.dataset, draw: labelMeans)
    }

    private static func subsetBalance(_ subset: Subset, dataset: Dataset, split: SampleSplit) -> FigureDrawing {
        var counts = [Int](repeating: 0, count: dataset.labelNames.count)
        for row in split.rows { counts[Int(dataset.labels[row])] += 1 }
        return FigureDrawing(
            figure: BarChartFigure(
                categories: dataset.labelNames, values: counts, title: "Images per label in the subset",
                xTitle: "Label"),
            texts: ["per_class": subset.perClass.map { "\($0)" } ?? "", "sampling": subset.sampling.rawValue],
            flags: ["capped": subset.perClass != nil])
    }

    /// The closest held-out and training pairs, one column each, closest first.
    private static func closestPairs(
        _ shown: Count, check: NearCopies, dataset: Dataset, split: SampleSplit
    ) -> FigureDrawing {
        let (entries, spread) = check.shown(shown.count)
        let pairs = entries.map { entry in
            ImageMosaicFigure.Group(
                title: Formatting.decimal(Double(check.correlation[entry]), places: 3),
                tiles: [
                    .init(pixels: Array(dataset.image(check.heldOutRow(entry, of: split))), caption: "held out"),
                    .init(pixels: Array(dataset.image(check.nearest[entry])), caption: "training"),
                ])
        }
        return FigureDrawing(
            figure: ImageMosaicFigure(
                groups: pairs, imageWidth: dataset.width, imageHeight: dataset.height, layout: .columns,
                title: spread
                    ? "Closest held-out and training pairs, and pairs at the threshold"
                    : "The \(pairs.count) held-out images closest to a training image"),
            texts: [
                "count": "\(pairs.count)", "side": "\(check.side)",
                "threshold": Formatting.decimal(check.threshold, places: 2),
                "closest": "\(pairs.count - pairs.count / 2)", "at_threshold": "\(pairs.count / 2)",
            ],
            flags: ["spread": spread])
    }

    private static func labelMeans(_: NoParameters, means: Matrix, dataset: Dataset) -> FigureDrawing {
        FigureDrawing(
            figure: SharedFigures.meanFaces(
                means, names: dataset.labelNames, width: dataset.width, height: dataset.height,
                title: "Mean face of each label"))
    }

    static func results(_ run: SectionInput) -> [String: any Encodable & Sendable] {
        var parts: [String: any Encodable & Sendable] = ["preprocessing": run.results.preprocessing]
        if let landmarks = run.results.landmarks { parts["landmarks"] = landmarks }
        return parts
    }

    /// A share of held-out images above which near-copies are worth a warning.
    static let smallNearCopyShare = 0.01

    private static func nearCopyValues(_ check: ExperimentResults.NearCopyResults?, grouped: Bool) -> [String: Any] {
        guard let check else { return ["checked": false] }
        let small = check.share < smallNearCopyShare
        return [
            "checked": true, "count": Formatting.count(check.count), "held_out": Formatting.count(check.heldOut),
            "sampled": check.checked != nil, "sample": Formatting.count(check.checked ?? check.heldOut),
            "share": Formatting.percent(check.share), "interval": Formatting.percentInterval(check.shareInterval),
            "side": "\(check.side)",
            "threshold": Formatting.decimal(check.threshold, places: 2), "none": check.count == 0,
            "small": small, "suggest_groups": !small && !grouped, "despite_groups": !small && grouped,
        ]
    }

    private static func groupValues(_ groups: ExperimentResults.GroupResults) -> [String: Any] {
        let sizes = groups.imagesPerGroup
        return [
            "grouped": true, "source": groups.source, "count": Formatting.count(groups.groups),
            "fewest": Formatting.count(sizes[0]), "median": Formatting.count(sizes[1]),
            "most": Formatting.count(sizes[2]), "train": Formatting.count(groups.trainGroups),
            "test": Formatting.count(groups.testGroups), "shared": Formatting.count(groups.sharedGroups),
            "none_shared": groups.sharedGroups == 0, "moved": Formatting.count(groups.movedToKeepGroups),
            "any_moved": groups.movedToKeepGroups > 0,
        ]
    }

    static func values(_ run: SectionInput) -> [String: Any] {
        let pre = run.results.preprocessing
        let landmarks: [String: Any] =
            run.results.landmarks.map {
                [
                    "used": true, "images": Formatting.count($0.images), "degenerate": Formatting.count($0.degenerate),
                    "degenerate_share": Formatting.percent(Double($0.degenerate) / Double(max(1, $0.images))),
                    "detected": $0.face == "detect", "missed": Formatting.count($0.missed),
                    "missed_share": Formatting.percent(Double($0.missed) / Double(max(1, $0.images))),
                ]
            } ?? ["used": false]
        // Above `Reduction.fitSample` training images, each reducer is fitted on a seeded sample of them.
        let reducerSample: [String: Any] =
            Reduction.samples(trainRows: pre.trainRows)
            ? ["sampled": true, "size": Formatting.count(Reduction.fitSample)] : ["sampled": false]
        // Above `KMeans.defaultStartSample` training images, k-means restarts on a seeded sample of them.
        let kmeansSample: [String: Any] =
            KMeans.restartsOnSample(rows: pre.trainRows)
            ? ["sampled": true, "size": Formatting.count(KMeans.defaultStartSample)] : ["sampled": false]
        return [
            "landmarks": landmarks,
            "near_copies": nearCopyValues(pre.nearCopies, grouped: pre.groups != nil),
            "groups": pre.groups.map(groupValues) ?? ["grouped": false],
            "preprocessing": [
                "per_class": pre.perClass.map(Formatting.count) ?? "all", "capped": pre.perClass != nil,
                "sampling": pre.sampling, "scaling": pre.scaling.rawValue, "scaled": TemplateChoice(pre.scaling),
                "lighting": pre.lighting.rawValue, "lit": TemplateChoice(pre.lighting),
                "split": pre.split, "rows_used": Formatting.count(pre.rowsUsed),
                "train_rows": Formatting.count(pre.trainRows),
                "test_rows": Formatting.count(pre.testRows),
                "reducer_sample": reducerSample,
                "kmeans_sample": kmeansSample,
                "labels": run.results.dataset.labels.map {
                    ["name": $0, "count": Formatting.count(pre.classCountsUsed[$0] ?? 0)]
                },
            ] as [String: Any],
        ]
    }
}
