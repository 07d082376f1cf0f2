import FERCore
import FERData

extension SampleSplit {
    /// The rows `config` selects from `dataset` and their split, checked
    /// against what the models need. `file` names the config in errors.
    static func make(from dataset: Dataset, config: ExperimentConfig, file: String) throws -> SampleSplit {
        let preprocessing = config.preprocessing
        let order: Dataset.SampleOrder = preprocessing.sampling == .first ? .first : .random(seed: preprocessing.seed)
        let rows = preprocessing.perClass.map { dataset.rows(cappedAt: $0, order: order) } ?? Array(0..<dataset.count)
        var test: [Int] = []
        switch config.split.method {
        case .fraction:
            // Stratified: the same fraction of every class is held out.
            var byLabel = [[Int]](repeating: [], count: dataset.labelNames.count)
            for row in rows { byLabel[Int(dataset.labels[row])].append(row) }
            for (label, members) in byLabel.enumerated() where members.count > 1 {
                var shuffled = members
                var random = SeededGenerator(seed: config.split.seed, stream: UInt64(label))
                random.shuffle(&shuffled)
                let held = Int((Double(members.count) * config.split.testFraction).rounded())
                test += shuffled.prefix(min(members.count - 1, max(1, held)))
            }
        case .usage:
            guard dataset.usage != nil else {
                throw ConfigError(file: file, line: nil, path: "split.method",
                                  "is usage, but \(dataset.provenance.path) has no Usage column or split folders; use fraction")
            }
            let wanted = Set(config.split.testUsage)
            test = rows.filter { dataset.usageName($0).map(wanted.contains) ?? false }
            guard !test.isEmpty else {
                let present = dataset.usageNames.filter { !$0.isEmpty }.joined(separator: ", ")
                throw ConfigError(file: file, line: nil, path: "split.test_usage",
                                  "no used row has usage \(config.split.testUsage.joined(separator: " or ")) (the data has: \(present))")
            }
        }
        let held = Set(test)
        return SampleSplit(rows: rows, train: rows.filter { !held.contains($0) }, test: test.sorted())
    }

    /// Refuses values the data cannot support (more clusters than rows, and the like).
    func check(against config: ExperimentConfig, file: String) throws {
        let fitted = train.count
        func refuse(_ path: String, _ message: String) -> ConfigError {
            ConfigError(file: file, line: nil, path: path, message)
        }
        guard !test.isEmpty else { throw refuse("split", "leaves no rows held out; use more data or a larger test_fraction") }
        guard config.models.clusters < fitted else {
            throw refuse("models.clusters", "is \(config.models.clusters), but only \(fitted) rows are fitted")
        }
        guard config.componentsNeeded < fitted else {
            throw refuse("models.components", "\(config.componentsNeeded) components are needed (see figures.scree_components and grid.components) but only \(fitted) rows are fitted")
        }
        if config.grid.enabled && config.grid.clusters.upperBound >= fitted {
            throw refuse("grid.clusters", "goes up to \(config.grid.clusters.upperBound), but only \(fitted) rows are fitted")
        }
    }
}
