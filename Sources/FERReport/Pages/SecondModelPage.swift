import FERData
import FERExperiment
import FERFigures
import FERMath
import FERStages

/// A classifier trained on the cluster labels, against the supervised ceiling.
enum SecondModelPage: ReportPage {
    static let page = SitePages.Page(key: "second_model", file: "second-model", title: "Second model")

    /// Which classifier a confusion matrix shows: the one trained on cluster labels, or on true labels.
    private struct Classifier: StageParameters {
        var onClusters: Bool
    }

    static func declareFigures(into figures: FigureList) {
        let experiment = figures.experiment, second = experiment.secondModel
        figures.add(
            "second-model-accuracy",
            settings: NoParameters(), inputs: second, experiment.finalModel.metrics, draw: accuracy)
        figures.add("reliability", settings: NoParameters(), inputs: second, draw: reliability)
        for onClusters in [true, false] {
            figures.add(
                onClusters ? "confusion-second-model" : "confusion-supervised",
                settings: Classifier(onClusters: onClusters), inputs: second, experiment.dataset, draw: confusion)
        }
    }

    private static func accuracy(_: NoParameters, result: SecondModelResult, metrics: ModelMetrics) -> FigureDrawing {
        FigureDrawing(
            figure: SharedFigures.accuracyBars(
                ["cluster map", "classifier on cluster labels", "classifier on true labels"],
                [metrics.test.accuracy, result.fromClusters.accuracy, result.fromLabels.accuracy],
                chance: result.chance, title: "Held-out accuracy"),
        )
    }

    /// Accuracy against confidence in each bin of the top probability, before and after the temperature.
    private static func reliability(_: NoParameters, result: SecondModelResult) -> FigureDrawing {
        func series(_ name: String, _ reliability: Calibration.Reliability) -> LineChartFigure.Series {
            let filled = reliability.bins.filter { $0.rows > 0 }
            let points: [(x: Double, y: Double)] = filled.map { bin in (x: bin.confidence * 100, y: bin.accuracy * 100)
            }
            return LineChartFigure.Series(name: name, points: points)
        }
        return FigureDrawing(
            figure: LineChartFigure(
                series: [
                    series("as fitted", result.reliabilityBefore),
                    series(
                        "calibrated (temperature \(Formatting.decimal(result.temperature, places: 2)))",
                        result.reliabilityAfter),
                    LineChartFigure.Series(name: "perfectly calibrated", points: [(x: 0, y: 0), (x: 100, y: 100)]),
                ],
                title: "Reliability of the classifier trained on cluster labels, held-out images",
                xTitle: "Mean top probability in the bin (%)", yTitle: "Accuracy in the bin (%)",
                legendTitle: "Probabilities", fromZero: true),
            texts: [
                "ece_before": Formatting.percent(result.reliabilityBefore.expectedCalibrationError),
                "ece_after": Formatting.percent(result.reliabilityAfter.expectedCalibrationError),
            ])
    }

    private static func confusion(
        _ classifier: Classifier, result: SecondModelResult, dataset: Dataset
    )
        -> FigureDrawing
    {
        let trainedOn = classifier.onClusters ? "cluster labels" : "true labels"
        return FigureDrawing(
            figure: SharedFigures.confusionHeatmap(
                classifier.onClusters ? result.fromClusters : result.fromLabels, names: dataset.labelNames,
                title: "Classifier trained on \(trainedOn), held-out images"),
        )
    }

    static func results(_ run: SectionInput) -> [String: any Encodable & Sendable] {
        ["second_model": run.results.secondModel]
    }

    /// Whether two intervals share a value (true when either is missing: nothing tells them apart).
    static func overlap(_ first: ClosedRange<Double>?, _ second: ClosedRange<Double>?) -> Bool {
        guard let first, let second else { return true }
        return first.overlaps(second)
    }

    static func values(_ run: SectionInput) -> [String: Any] {
        let second = run.results.secondModel
        return [
            "second_model": [
                "from_clusters": Formatting.percent(second.fromClusters.accuracy),
                "from_labels": Formatting.percent(second.fromLabels.accuracy),
                "from_clusters_interval": Formatting.percentInterval(second.fromClustersInterval),
                "from_labels_interval": Formatting.percentInterval(second.fromLabelsInterval),
                "from_clusters_range": Formatting.percentRange(second.fromClustersInterval),
                "from_labels_range": Formatting.percentRange(second.fromLabelsInterval),
                // Whether the two classifiers' intervals overlap: their difference may then be chance.
                "intervals_overlap": Self.overlap(second.fromClustersInterval, second.fromLabelsInterval),
                "labelled_rows": Formatting.count(second.clusterLabelledRows),
                "training_rows": Formatting.count(second.trainingRows),
                "agreement": Formatting.percent(second.agreementWithClusters),
                "captured": Formatting.percent(second.capturedShare),
                "temperature": Formatting.decimal(second.temperature, places: 2),
                "temperature_is_largest": Calibration.isLargest(second.temperature),
                "calibration_rows": Formatting.count(second.calibrationRows),
                "ece_before": Formatting.percent(second.reliabilityBefore.expectedCalibrationError),
                "ece_after": Formatting.percent(second.reliabilityAfter.expectedCalibrationError),
                "confidence_before": Formatting.percent(second.reliabilityBefore.meanConfidence),
                "confidence_after": Formatting.percent(second.reliabilityAfter.meanConfidence),
            ]
        ]
    }
}
