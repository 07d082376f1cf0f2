import FERData
import FERExperiment
import FERFigures

/// A classifier trained on the cluster labels, against the supervised ceiling.
enum SecondModelSection: ReportSection {
    static let page = SitePages.Page(key: "second_model", file: "second-model", title: "Second model")

    /// Which classifier a confusion matrix shows: the one trained on cluster labels, or on true labels.
    private struct Classifier: StageParameters {
        var onClusters: Bool
    }

    static func declareFigures(into figures: FigureList) {
        let experiment = figures.experiment, second = experiment.secondModel
        figures.add(
            "second-model-accuracy", "Held-out accuracy of the cluster map and both classifiers",
            settings: NoParameters(), inputs: second, experiment.finalModel.metrics, draw: accuracy)
        for onClusters in [true, false] {
            figures.add(
                onClusters ? "confusion-second-model" : "confusion-supervised",
                "Confusion matrix of the classifier trained on \(onClusters ? "cluster labels" : "true labels")",
                settings: Classifier(onClusters: onClusters), inputs: second, experiment.dataset, draw: confusion)
        }
    }

    private static func accuracy(_: NoParameters, result: SecondModelResult, metrics: ModelMetrics) -> FigureDrawing {
        FigureDrawing(
            figure: FigureShapes.accuracyBars(
                ["cluster map", "classifier on cluster labels", "classifier on true labels"],
                [metrics.test.accuracy, result.fromClusters.accuracy, result.fromLabels.accuracy],
                chance: result.chance, title: "Held-out accuracy"),
            caption:
                "Held-out accuracy of the final model's cluster map, of logistic regression trained on the cluster-mapped labels, and of the same classifier trained on the true labels (the supervised ceiling of these features); dashed lines are chance levels"
        )
    }

    private static func confusion(
        _ classifier: Classifier, result: SecondModelResult, dataset: Dataset
    )
        -> FigureDrawing
    {
        let trainedOn = classifier.onClusters ? "cluster labels" : "true labels"
        return FigureDrawing(
            figure: FigureShapes.confusionHeatmap(
                classifier.onClusters ? result.fromClusters : result.fromLabels, names: dataset.labelNames,
                title: "Classifier trained on \(trainedOn), held-out images"),
            caption:
                "Held-out images: true label against the prediction of logistic regression trained on \(classifier.onClusters ? "the cluster-mapped labels" : "the true labels")"
        )
    }

    static func values(_ run: SectionInput) -> [String: Any] {
        let second = run.results.secondModel
        return [
            "second_model": [
                "from_clusters": Formatting.percent(second.fromClusters.accuracy),
                "from_labels": Formatting.percent(second.fromLabels.accuracy),
                "labelled_rows": Formatting.count(second.clusterLabelledRows),
                "training_rows": Formatting.count(second.trainingRows),
                "agreement": Formatting.percent(second.agreementWithClusters),
                "captured": Formatting.percent(second.capturedShare),
            ]
        ]
    }
}
