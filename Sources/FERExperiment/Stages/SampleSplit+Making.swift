import FERData

extension SampleSplit {
    /// What the sample stage reads: the per-class cap and how capped classes
    /// are sampled, and the split.
    public struct Settings: StageParameters {
        /// At most this many rows per class; `nil` keeps every row.
        public var perClass: Int?
        /// How capped classes are sampled.
        public var sampling: ExperimentConfig.PreprocessingSection.Sampling
        /// Seed of the random sampling.
        public var samplingSeed: UInt64
        /// The train/test split.
        public var split: ExperimentConfig.SplitSection

        /// The settings `config` gives.
        public init(_ config: ExperimentConfig) {
            perClass = config.preprocessing.perClass
            sampling = config.preprocessing.sampling
            samplingSeed = config.preprocessing.seed
            split = config.split
        }
    }

    /// The rows `settings` select from `dataset`, and their split.
    /// - Throws: `ConfigProblem` when the split cannot be made from this data.
    static func make(_ settings: Settings, from dataset: Dataset) throws -> SampleSplit {
        let order: Dataset.SampleOrder = settings.sampling == .first ? .first : .random(seed: settings.samplingSeed)
        let rows = settings.perClass.map { dataset.rows(cappedAt: $0, order: order) } ?? Array(0..<dataset.count)
        var test: [Int] = []
        let split = settings.split
        let method = resolvedMethod(split, dataset: dataset, rows: rows)
        switch method {
        case .fraction, .auto:
            // Stratified: the same fraction of every class is held out.
            for (label, members) in dataset.rowsByLabel(rows).enumerated() where members.count > 1 {
                let held = Int((Double(members.count) * split.testFraction).rounded())
                test += Dataset.SampleOrder.random(seed: split.seed)
                    .choose(min(members.count - 1, max(1, held)), of: members, label: label)
            }
        case .usage:
            guard dataset.usage != nil else {
                throw ConfigProblem(
                    path: "split.method",
                    "is usage, but \(dataset.provenance.path) has no Usage column or split folders; use fraction")
            }
            let wanted = Set(split.testUsage)
            test = rows.filter { dataset.usageName($0).map(wanted.contains) ?? false }
            guard !test.isEmpty else {
                let present = dataset.usageNames.filter { !$0.isEmpty }.joined(separator: ", ")
                throw ConfigProblem(
                    path: "split.test_usage",
                    "no used row has usage \(split.testUsage.joined(separator: " or ")) (the data has: \(present))")
            }
            // A stratified fraction always leaves a row of each label to fit on; a usage split may not.
            guard test.count < rows.count else {
                throw ConfigProblem(
                    path: "split.test_usage",
                    "holds out every used row (each has usage \(split.testUsage.joined(separator: " or "))), so none "
                        + "is left to fit the models on; name fewer usages, or use split.method: fraction")
            }
        }
        let held = Set(test)
        return SampleSplit(
            rows: rows, train: rows.filter { !held.contains($0) }, test: test.sorted(), byUsage: method == .usage)
    }

    /// `auto` becomes `usage` when some used row has a `test_usage` value, else `fraction`.
    private static func resolvedMethod(
        _ split: ExperimentConfig.SplitSection, dataset: Dataset,
        rows: [Int]
    ) -> ExperimentConfig.SplitSection.Method {
        guard split.method == .auto else { return split.method }
        let wanted = Set(split.testUsage)
        let hasTestRows = dataset.usage != nil && rows.contains { dataset.usageName($0).map(wanted.contains) ?? false }
        return hasTestRows ? .usage : .fraction
    }

    /// Refuses values the data cannot support (more clusters than rows, more
    /// components than pixels, a manual map of the wrong length, and the like).
    func check(against config: ExperimentConfig, dataset: DatasetSummary, file: String) throws {
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
