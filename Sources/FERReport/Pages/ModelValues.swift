import FERExperiment
import FERFeatures
import FERMath

/// The template values of one model's results, as the first-model, final-model
/// and features pages show them.
enum ModelValues {
    /// How pages name a map method.
    static func mapName(_ method: ClusterMap.Method) -> String {
        switch method {
        case .hungarian: "Hungarian"
        case .majority: "majority"
        case .manual: "manual"
        }
    }

    static func of(_ model: ExperimentResults.ModelResults, finalModel: String) -> [String: Any] {
        let margin = model.silhouette - model.baselineSilhouette
        return [
            "name": model.name, "title": model.title, "features": model.features.rawValue, "whiten": model.whiten,
            "feature_kind": TemplateChoice(model.features),
            "reducer": model.reducer.title,
            "method": model.clusterMethod.title, "method_is": TemplateChoice(model.clusterMethod),
            "restarts": model.clusterer?.restarts.map { "\($0)" } ?? "",
            "covariance": model.clusterer?.covariance?.rawValue ?? "",
            "bic": model.bic.map { Formatting.decimal($0, places: 0) } ?? "",
            "components": "\(model.components)", "clusters": "\(model.clusters)",
            "silhouette": Formatting.decimal(model.silhouette),
            "baseline": Formatting.decimal(model.baselineSilhouette),
            "margin": Formatting.signed(margin), "above_baseline": margin > 0.05,
            "accuracy": Formatting.percent(model.accuracy),
            "accuracy_hungarian": Formatting.percent(model.accuracyHungarian),
            "accuracy_majority": Formatting.percent(model.accuracyMajority),
            "accuracy_interval": Formatting.percentInterval(model.accuracyInterval),
            "accuracy_hungarian_interval": Formatting.percentInterval(model.accuracyHungarianInterval),
            "accuracy_majority_interval": Formatting.percentInterval(model.accuracyMajorityInterval),
            "nmi_interval": Formatting.decimalInterval(model.nmiInterval),
            "accuracy_range": Formatting.percentRange(model.accuracyInterval),
            "accuracy_hungarian_range": Formatting.percentRange(model.accuracyHungarianInterval),
            "accuracy_majority_range": Formatting.percentRange(model.accuracyMajorityInterval),
            "nmi_range": Formatting.decimalRange(model.nmiInterval),
            "accuracy_train": Formatting.percent(model.accuracyTrain),
            "accuracy_hungarian_train": Formatting.percent(model.accuracyHungarianTrain),
            "map_method": model.mapMethod.rawValue, "map_name": mapName(model.mapMethod),
            "map_is": TemplateChoice(model.mapMethod), "nmi": Formatting.decimal(model.nmi),
            "ari": Formatting.decimal(model.ari),
            "nmi_train": Formatting.decimal(model.nmiTrain), "ari_train": Formatting.decimal(model.ariTrain),
            "purity": Formatting.percent(model.purity),
            "explained": Formatting.percent(model.explainedVarianceRatio.reduce(0, +)),
            "is_final": model.name == finalModel,
            "seed_accuracy": model.seedAccuracy.map {
                "\(Formatting.percent($0.mean)) (\(Formatting.percent($0.min))–\(Formatting.percent($0.max)))"
            } ?? "–",
            "silhouette_sampled": model.silhouetteSampleSize != nil,
            "silhouette_sample_size": model.silhouetteSampleSize.map(Formatting.count) ?? "",
            "silhouette_samples": "\(model.silhouetteSampleScores?.count ?? 0)",
            "silhouette_sample_range": model.silhouetteSampleScores.map { scores in
                "\(Formatting.decimal(scores.min() ?? 0)) to \(Formatting.decimal(scores.max() ?? 0))"
            } ?? "",
        ]
    }

    /// The compared setting with the best held-out Hungarian accuracy.
    static func bestComparison(_ results: ExperimentResults) -> ExperimentResults.ModelResults? {
        results.comparison.max { $0.accuracyHungarian < $1.accuracyHungarian }
    }

    /// A difference of fractions in percentage points: `3.2`.
    static func points(_ value: Double) -> String {
        Formatting.decimal(abs(value) * 100, places: 1)
    }
}
