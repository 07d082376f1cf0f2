import FERData
import FERFeatures
import FERMath

extension ExperimentConfig {
    /// Refuses settings this data cannot support (more clusters than rows, more components than pixels, a
    /// manual map of the wrong length, more folds than groups, and the like), and data no clustering can be
    /// measured on. The keys' own checks (type, range, values) are made as the config is read
    /// (`ConfigSchema`); these need the data and the split. Returns the run's estimated peak memory in bytes.
    @discardableResult
    func check(against dataset: DatasetSummary, split: SampleSplit, file: String) throws -> Int {
        try Self.checkMeasurable(dataset)
        let fit = DataFit(config: self, dataset: dataset, split: split, file: file)
        guard !split.test.isEmpty else {
            throw fit.refuse("split", "leaves no rows held out; use more data or a larger test_fraction")
        }
        try fit.checkClusters()
        try fit.checkClusterers()
        try fit.checkComponents()
        let memory = try fit.checkMemory()
        try fit.checkFolds()
        if grid.enabled && grid.clusters.upperBound >= fit.fitted {
            throw fit.refuse(
                "grid.clusters", "goes up to \(grid.clusters.upperBound), but only \(fit.fitted) rows are fitted")
        }
        if clusterMap.method == .manual && clusterMap.manual.count != fit.clusters {
            throw fit.refuse(
                "cluster_map.manual",
                "names \(clusterMap.manual.count) labels, but there are \(fit.clusters) clusters")
        }
        return memory
    }

    /// Refuses data on which neither clusters nor accuracies can mean anything.
    static func checkMeasurable(_ dataset: DatasetSummary) throws {
        if dataset.variety.constant == dataset.rows {
            throw DataError(
                file: dataset.source,
                "every image is a single gray level: the images carry no information "
                    + "to cluster (are they blank, or read with the wrong width and height?)")
        }
        let present = dataset.labels.filter { $0.count > 0 }
        guard present.count >= 2 else {
            throw DataError(
                file: dataset.source,
                "has images of one label only (\(present.first?.name ?? "none")); "
                    + "accuracy against the labels needs images of at least two labels")
        }
    }
}

/// A config checked against its data and split, one concern at a time.
private struct DataFit {
    let config: ExperimentConfig
    let dataset: DatasetSummary
    let split: SampleSplit
    let file: String
    /// Rows the models are fitted on.
    var fitted: Int { split.train.count }
    /// Clusters fitted.
    var clusters: Int { config.models.clusterCount(labels: dataset.labels.count) }

    func refuse(_ path: String, _ message: String) -> ConfigError {
        ConfigError(file: file, line: nil, path: path, message)
    }

    /// At least two clusters, fewer than the fitted rows and no more than the different images.
    func checkClusters() throws {
        guard clusters >= 2 else {
            throw refuse(
                "models.clusters", "is \(clusters) (one per label in \(dataset.source)); at least 2 are needed")
        }
        guard clusters < fitted else {
            throw refuse("models.clusters", "is \(clusters), but only \(fitted) rows are fitted")
        }
        guard dataset.variety.distinct >= clusters else {
            throw DataError(
                file: dataset.source,
                "holds only \(dataset.variety.distinct) different images, fewer than the "
                    + "\(clusters) clusters (models.clusters); clusters of identical images mean nothing")
        }
    }

    /// The values of `kind`'s features of these images.
    private func length(_ kind: FeatureKind) -> Int {
        config.extractor(kind).dimension(width: dataset.width, height: dataset.height)
    }

    private func sizeOf(_ kind: FeatureKind) -> String {
        kind.needsEmbeddings
            ? "the embeddings of \(config.extractor(kind).embeddingSource?.file ?? "") have only \(length(kind)) values per image"
            : "\(kind.rawValue) features of \(dataset.width)x\(dataset.height) images have only \(length(kind)) values"
    }

    /// Fewer components than fitted rows, and no more than the features have values, for every setting.
    func checkComponents() throws {
        let needed = config.componentsNeeded
        guard needed < fitted else {
            throw refuse(
                "models.components",
                "\(needed) components are needed (see figures.scree_components and grid.components) but only \(fitted) rows are fitted"
            )
        }
        guard needed <= length(config.models.features) else {
            throw refuse(
                "models.components",
                "\(needed) components are needed (see figures.scree_components and grid.components), but \(sizeOf(config.models.features))"
            )
        }
        for (index, setting) in config.features.compare.enumerated() {
            let path = "features.compare[\(index)].components"
            guard setting.components < fitted else {
                throw refuse(path, "is \(setting.components), but only \(fitted) rows are fitted")
            }
            guard setting.components <= length(setting.features) else {
                throw refuse(
                    path,
                    "is \(setting.components), but \(sizeOf(setting.features)) (see features.hog and features.lbp)")
            }
        }
    }

    /// Every clusterer can take this many training rows (Ward clustering is exact up to a limit).
    func checkClusterers() throws {
        let uses =
            [("models.method", config.models.method)]
            + config.features.compare.enumerated().map { ("features.compare[\($0.offset)].method", $0.element.method) }
        for (path, method) in uses where method == ClusterMethod(WardClustering.self) {
            guard fitted <= WardClustering.exactLimit else {
                throw refuse(
                    path,
                    "is ward, which is exact up to \(WardClustering.exactLimit) training images, and this run fits \(fitted); sample fewer (preprocessing.per_class) or choose kmeans or gmm"
                )
            }
        }
    }

    /// The run's estimated memory against what the machine has; returns the estimate in bytes.
    func checkMemory() throws -> Int {
        let kinds = Set([config.models.features] + config.features.compare.map(\.features))
        let scoreColumns =
            config.componentsNeeded * config.models.reducers.count
            + config.features.compare.map(\.components).reduce(0, +) + config.stability.folds * config.models.components
        let estimate = MemoryEstimate(
            dataset: dataset, rows: split.rows.count, featureLengths: kinds.map(length),
            scoreColumns: scoreColumns, folds: config.stability.folds)
        try estimate.check(source: dataset.source)
        return estimate.bytes
    }

    /// Enough rows in each fold for its clusters and components, and a group for each fold.
    func checkFolds() throws {
        let folds = config.stability.folds
        guard folds >= 2 else { return }
        let foldFitted = fitted - (fitted + folds - 1) / folds
        guard foldFitted > max(clusters, config.models.components) else {
            throw refuse(
                "stability.folds",
                "is \(folds): each fold would fit only \(foldFitted) rows, too few for \(clusters) clusters and \(config.models.components) components; use fewer folds or more data"
            )
        }
        let groups = split.groups
        guard groups.isGrouped else { return }
        let trainGroups = Set(split.train.map { groups.codes[$0] }).count
        guard trainGroups >= folds else {
            throw refuse(
                "stability.folds",
                "is \(folds), but the training images hold only \(trainGroups) groups "
                    + "(split.groups) and each fold holds whole groups; use at most \(trainGroups) folds")
        }
    }
}
