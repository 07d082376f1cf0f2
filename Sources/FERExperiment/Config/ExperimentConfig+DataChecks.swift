import FERData

extension ExperimentConfig {
    /// Refuses settings this data cannot support (more clusters than rows, more components than pixels, a
    /// manual map of the wrong length, more folds than groups, and the like), and data no clustering can be
    /// measured on. The keys' own checks (type, range, values) are made as the config is read
    /// (`ConfigSchema`); these need the data and the split.
    func check(against dataset: DatasetSummary, split: SampleSplit, file: String) throws {
        let config = self, train = split.train, test = split.test, rows = split.rows, groups = split.groups
        let fitted = train.count
        func refuse(_ path: String, _ message: String) -> ConfigError {
            ConfigError(file: file, line: nil, path: path, message)
        }
        try Self.checkMeasurable(dataset)
        guard !test.isEmpty else {
            throw refuse("split", "leaves no rows held out; use more data or a larger test_fraction")
        }
        let clusters = config.models.clusterCount(labels: dataset.labels.count)
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
        guard config.componentsNeeded < fitted else {
            throw refuse(
                "models.components",
                "\(config.componentsNeeded) components are needed (see figures.scree_components and grid.components) but only \(fitted) rows are fitted"
            )
        }
        func length(_ kind: FeatureKind) -> Int {
            config.extractor(kind).dimension(width: dataset.width, height: dataset.height)
        }
        func sizeOf(_ kind: FeatureKind) -> String {
            "\(kind.rawValue) features of \(dataset.width)x\(dataset.height) images have only \(length(kind)) values"
        }
        guard config.componentsNeeded <= length(config.models.features) else {
            throw refuse(
                "models.components",
                "\(config.componentsNeeded) components are needed (see figures.scree_components and grid.components), but \(sizeOf(config.models.features))"
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
        let kinds = Set([config.models.features] + config.features.compare.map(\.features))
        let scoreColumns =
            config.componentsNeeded * config.models.reducers.count
            + config.features.compare.map(\.components).reduce(0, +) + config.stability.folds * config.models.components
        try MemoryEstimate(
            dataset: dataset, rows: rows.count, featureLengths: kinds.map(length),
            scoreColumns: scoreColumns, folds: config.stability.folds
        ).check(source: dataset.source)
        if config.stability.folds >= 2 {
            let foldFitted = fitted - (fitted + config.stability.folds - 1) / config.stability.folds
            guard foldFitted > max(clusters, config.models.components) else {
                throw refuse(
                    "stability.folds",
                    "is \(config.stability.folds): each fold would fit only \(foldFitted) rows, too few for \(clusters) clusters and \(config.models.components) components; use fewer folds or more data"
                )
            }
        }
        if groups.isGrouped && config.stability.folds >= 2 {
            let trainGroups = Set(train.map { groups.codes[$0] }).count
            guard trainGroups >= config.stability.folds else {
                throw refuse(
                    "stability.folds",
                    "is \(config.stability.folds), but the training images hold only \(trainGroups) groups "
                        + "(split.groups) and each fold holds whole groups; use at most \(trainGroups) folds")
            }
        }
        if config.grid.enabled && config.grid.clusters.upperBound >= fitted {
            throw refuse(
                "grid.clusters", "goes up to \(config.grid.clusters.upperBound), but only \(fitted) rows are fitted")
        }
        if config.clusterMap.method == .manual && config.clusterMap.manual.count != clusters {
            throw refuse(
                "cluster_map.manual",
                "names \(config.clusterMap.manual.count) labels, but there are \(clusters) clusters")
        }
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
