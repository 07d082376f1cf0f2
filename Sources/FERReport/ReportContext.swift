import FERExperiment
import FERMath

/// The values page templates can use, built from an experiment's results.
/// Numbers arrive formatted; lists arrive as lists of rows for tables.
/// Every key is documented in `Templates/README.md`.
struct ReportContext {
    let results: ExperimentResults
    let config: ExperimentConfig
    /// Per figure: file name (with extension), alt text and caption.
    let figures: [(name: String, file: String, title: String, caption: String, page: ReportPage)]

    /// The context for rendering pages whose links end in `fileExtension` (`md` or `html`).
    func values(fileExtension: String) -> [String: Any] {
        var context: [String: Any] = [
            "experiment": results.experiment,
            "links": Dictionary(uniqueKeysWithValues: SitePages.all.map { ($0.key, "\($0.file).\(fileExtension)") }),
            "dataset": dataset,
            "preprocessing": preprocessing,
            "models": results.models.map(model),
            "chance": chance,
            "per_label": results.perLabel.map { label in
                [
                    "label": label.label, "held_out": Formatting.count(label.heldOut),
                    "precision": Formatting.percent(label.precision), "recall": Formatting.percent(label.recall),
                ]
            },
            "figures": Dictionary(
                uniqueKeysWithValues: figures.enumerated().map { index, figure in
                    let escape = MarkdownContentType().escapeText
                    let markdown =
                        "![\(escape(figure.title))](figures/\(figure.file))\n\n*Figure \(index + 1). \(escape(figure.caption))*"
                    return (
                        figure.name.replacingOccurrences(of: "-", with: "_"),
                        [
                            "file": "figures/\(figure.file)", "title": figure.title, "caption": figure.caption,
                            "number": "\(index + 1)", "markdown": markdown,
                        ]
                    )
                }),
            "conclusions": conclusions,
            "comparison": results.comparison.map(model),
            "has_comparison": !results.comparison.isEmpty,
            "second_model": secondModel,
            "stability": stability,
        ]
        if let best = bestComparison {
            context["best_setting"] = model(best)
        }
        if let final = results.models.first(where: { $0.name == results.finalModel }) {
            context["final"] = model(final)
            context["clusters"] = final.clusterSizes.enumerated().map { cluster, size in
                ["cluster": "\(cluster)", "size": Formatting.count(size), "label": final.clusterLabels[cluster]]
            }
        }
        context["grid"] = grid
        return context
    }

    private var dataset: [String: Any] {
        let data = results.dataset
        let total = max(1, data.rows)
        return [
            "source": data.source, "kind": data.kind, "hash": data.dataHash,
            "name": data.kind == "synthetic" ? "FERLab's built-in synthetic faces" : data.source,
            "rows": Formatting.count(data.rows), "width": "\(data.width)", "height": "\(data.height)",
            "pixels": Formatting.count(data.width * data.height), "columns": data.columns.joined(separator: ", "),
            "label_count": "\(data.labels.count)",
            "labels": data.labels.enumerated().map { code, name in
                let count = data.classCounts[name] ?? 0
                return [
                    "code": "\(code)", "name": name, "count": Formatting.count(count),
                    "share": Formatting.percent(Double(count) / Double(total)),
                ]
            },
            "usage": data.usageCounts.sorted { $0.key < $1.key }.map {
                ["name": $0.key, "count": Formatting.count($0.value)]
            },
            "has_usage": !data.usageCounts.isEmpty,
            "missing": data.missingValues.sorted { $0.key < $1.key }.filter { $0.value > 0 }
                .map { ["column": $0.key, "count": Formatting.count($0.value)] },
            "has_missing": data.missingValues.values.contains { $0 > 0 },
            "passed_over": (data.passedOver ?? []).map { ["entry": $0] },
            "has_passed_over": data.passedOver != nil,
        ]
    }

    private var preprocessing: [String: Any] {
        let pre = results.preprocessing
        let scalings: [String: String] = [
            "minmax-per-image":
                "each image is scaled to [0, 1] over its own darkest and brightest pixel, as the notebooks did",
            "divide-by-255": "every pixel is divided by 255",
            "standardized":
                "each pixel position is scaled to zero mean and unit variance over the training images, and the held-out images with the same statistics",
        ]
        return [
            "per_class": pre.perClass.map(Formatting.count) ?? "all", "capped": pre.perClass != nil,
            "sampling": pre.sampling, "scaling": pre.scaling,
            "scaling_description": scalings[pre.scaling] ?? pre.scaling,
            "split": pre.split, "rows_used": Formatting.count(pre.rowsUsed),
            "train_rows": Formatting.count(pre.trainRows),
            "test_rows": Formatting.count(pre.testRows),
            "labels": results.dataset.labels.map {
                ["name": $0, "count": Formatting.count(pre.classCountsUsed[$0] ?? 0)]
            },
        ]
    }

    private func model(_ model: ExperimentResults.ModelResults) -> [String: Any] {
        let margin = model.silhouette - model.baselineSilhouette
        return [
            "name": model.name, "title": model.title, "features": model.features, "whiten": model.whiten,
            "features_description": Self.featureDescriptions[model.features] ?? model.features,
            "reducer": model.reducer == "pca" ? "PCA" : "TruncatedSVD",
            "components": "\(model.components)", "clusters": "\(model.clusters)",
            "silhouette": Formatting.decimal(model.silhouette),
            "baseline": Formatting.decimal(model.baselineSilhouette),
            "margin": Formatting.signed(margin), "above_baseline": margin > 0.05,
            "accuracy": Formatting.percent(model.accuracy),
            "accuracy_hungarian": Formatting.percent(model.accuracyHungarian),
            "accuracy_majority": Formatting.percent(model.accuracyMajority),
            "accuracy_train": Formatting.percent(model.accuracyTrain),
            "accuracy_hungarian_train": Formatting.percent(model.accuracyHungarianTrain),
            "map_method": model.mapMethod, "nmi": Formatting.decimal(model.nmi), "ari": Formatting.decimal(model.ari),
            "nmi_train": Formatting.decimal(model.nmiTrain), "ari_train": Formatting.decimal(model.ariTrain),
            "purity": Formatting.percent(model.purity),
            "explained": Formatting.percent(model.explainedVarianceRatio.reduce(0, +)),
            "is_final": model.name == results.finalModel,
            "silhouette_sampled": model.silhouetteSampleSize != nil,
            "silhouette_sample_size": model.silhouetteSampleSize.map(Formatting.count) ?? "",
            "silhouette_samples": "\(model.silhouetteSampleScores?.count ?? 0)",
            "silhouette_sample_range": model.silhouetteSampleScores.map { scores in
                "\(Formatting.decimal(scores.min() ?? 0)) to \(Formatting.decimal(scores.max() ?? 0))"
            } ?? "",
        ]
    }

    private var chance: [String: Any] {
        [
            "uniform": Formatting.percent(results.chance.uniform),
            "class_frequency": Formatting.percent(results.chance.classFrequency),
            "majority_class": Formatting.percent(results.chance.majorityClass),
        ]
    }

    /// What each kind of features is, in words.
    private static let featureDescriptions = [
        "pixels": "the scaled pixels of each image",
        "hog": "histograms of oriented gradients (HOG) of each image",
        "lbp": "histograms of local binary patterns (LBP) over a grid of cells of each image",
        "hog+lbp": "HOG and LBP histograms of each image, side by side",
    ]

    /// The compared setting with the best held-out Hungarian accuracy.
    private var bestComparison: ExperimentResults.ModelResults? {
        results.comparison.max { $0.accuracyHungarian < $1.accuracyHungarian }
    }

    private var secondModel: [String: Any] {
        let second = results.secondModel
        return [
            "from_clusters": Formatting.percent(second.fromClusters.accuracy),
            "from_labels": Formatting.percent(second.fromLabels.accuracy),
            "labelled_rows": Formatting.count(second.clusterLabelledRows),
            "training_rows": Formatting.count(second.trainingRows),
            "agreement": Formatting.percent(second.agreementWithClusters),
            "captured": Formatting.percent(second.capturedShare),
        ]
    }

    private var stability: [String: Any] {
        let summary = results.stability, runs = summary.runs
        let silhouettes = runs.folds.compactMap(\.heldOutSilhouette)
        return [
            "has_seeds": runs.seeds.count >= 2, "has_folds": !silhouettes.isEmpty,
            "seed_count": "\(runs.seeds.count)", "fold_count": "\(runs.folds.count)",
            "seeds": runs.seeds.map { run in
                [
                    "seed": "\(run.seed)", "accuracy": Formatting.percent(run.hungarianAccuracy),
                    "nmi": Formatting.decimal(run.nmi), "inertia": Formatting.count(Int(run.inertia.rounded())),
                ]
            },
            "folds": runs.folds.enumerated().map { index, fold in
                [
                    "fold": "\(index + 1)", "fitted": Formatting.count(fold.fittedRows),
                    "held_out": Formatting.count(fold.heldOutRows),
                    "silhouette": fold.heldOutSilhouette.map { Formatting.decimal($0) } ?? "-",
                ]
            },
            "mean_accuracy": Formatting.percent(summary.meanAccuracy), "spread": points(summary.accuracySpread),
            "mean_ari": Formatting.decimal(summary.meanPairwiseARI),
            "fold_mean": Formatting.decimal(summary.meanFoldSilhouette),
            "fold_deviation": Formatting.decimal(summary.foldSilhouetteDeviation),
        ]
    }

    private var grid: [String: Any] {
        guard let best = results.bestGrid else { return ["enabled": false] }
        let worst = results.grid.min { $0.silhouette < $1.silhouette }
        return [
            "enabled": true, "best_components": "\(best.components)", "best_clusters": "\(best.clusters)",
            "best_silhouette": Formatting.decimal(best.silhouette), "fits": "\(results.grid.count)",
            "worst_silhouette": worst.map { Formatting.decimal($0.silhouette) } ?? "-",
            "components": "\(config.grid.components.lowerBound)-\(config.grid.components.upperBound)",
            "clusters": "\(config.grid.clusters.lowerBound)-\(config.grid.clusters.upperBound)",
        ]
    }

    /// Plain-language findings, each derived from the numbers.
    private var conclusions: [String] {
        guard let final = results.models.first(where: { $0.name == results.finalModel }) else { return [] }
        var sentences: [String] = []
        let margin = final.silhouette - final.baselineSilhouette
        let reducer = final.reducer == "pca" ? "PCA" : "TruncatedSVD"
        if margin > 0.05 {
            sentences.append(
                "The final model's silhouette (\(Formatting.decimal(final.silhouette))) is clearly above what the same k-means reaches on structureless data of the same shape (\(Formatting.decimal(final.baselineSilhouette))): the clusters reflect real structure in the \(reducer) space."
            )
        } else {
            sentences.append(
                "The final model's silhouette (\(Formatting.decimal(final.silhouette))) is within \(Formatting.decimal(abs(margin))) of what the same k-means reaches on structureless data of the same shape (\(Formatting.decimal(final.baselineSilhouette))): a silhouette of this size is not evidence of clusters."
            )
        }
        let accuracy = final.accuracyHungarian
        let uniform = results.chance.uniform, majority = results.chance.majorityClass
        let standing: String
        if accuracy > max(uniform, majority) + 0.05 {
            standing = "clearly above both chance levels"
        } else if accuracy > max(uniform, majority) {
            standing = "only slightly above both chance levels"
        } else if accuracy > uniform {
            standing = "above uniform guessing but not above always answering the most common label"
        } else {
            standing = "not above chance"
        }
        sentences.append(
            "Read as labels with the best one-to-one map, the clusters label \(Formatting.percent(accuracy)) of the held-out images correctly, \(standing) (\(Formatting.percent(uniform)) for guessing uniformly, \(Formatting.percent(majority)) for always answering the most common label)."
        )
        let stability = results.stability
        if stability.runs.seeds.count >= 2 {
            let above = accuracy - uniform, spread = stability.accuracySpread
            let verdict =
                above > spread
                ? "more than the spread between k-means seeds (\(points(spread)) points over \(stability.runs.seeds.count) seeds), so the difference is not an accident of one seed"
                : "no more than the spread between k-means seeds (\(points(spread)) points over \(stability.runs.seeds.count) seeds), so it could be an accident of one seed"
            sentences.append(
                "That is \(points(above)) points \(above >= 0 ? "above" : "below") uniform guessing, \(verdict); the seeds' clusterings agree with each other with a mean adjusted Rand index of \(Formatting.decimal(stability.meanPairwiseARI))."
            )
        }
        let information = final.nmi < 0.05 ? "almost no" : (final.nmi < 0.2 ? "little" : "substantial")
        sentences.append(
            "Normalised mutual information \(Formatting.decimal(final.nmi)) and adjusted Rand index \(Formatting.decimal(final.ari)): the clusters carry \(information) information about the labels."
        )
        let second = results.secondModel
        sentences.append(
            "A classifier trained on the cluster labels reaches \(Formatting.percent(second.fromClusters.accuracy)) on the held-out images; trained on the true labels, the same classifier on the same features reaches \(Formatting.percent(second.fromLabels.accuracy)). The clusters capture \(Formatting.percent(second.capturedShare)) of what these features can tell about the labels above uniform guessing."
        )
        if let best = bestComparison {
            let pixels = results.comparison.filter { $0.features == "pixels" }.max {
                $0.accuracyHungarian < $1.accuracyHungarian
            }
            let against =
                pixels.map {
                    " (raw pixels at best: \(Formatting.percent($0.accuracyHungarian)), NMI \(Formatting.decimal($0.nmi)))"
                } ?? ""
            sentences.append(
                "Of the \(results.comparison.count) feature settings compared, \(best.title) clusters best: \(Formatting.percent(best.accuracyHungarian)) held-out accuracy with the Hungarian map and NMI \(Formatting.decimal(best.nmi))\(against)."
            )
        }
        if let best = results.bestGrid {
            sentences.append(
                "Over the grid, the best silhouette (\(Formatting.decimal(best.silhouette))) is reached with \(best.components) components and \(best.clusters) clusters; silhouettes fall as components are added, which is expected of a distance-based score in more dimensions and says nothing about emotions."
            )
        }
        return sentences
    }

    /// A difference of fractions in percentage points: `3.2`.
    private func points(_ value: Double) -> String {
        Formatting.decimal(abs(value) * 100, places: 1)
    }
}
