import FERCore
import FERData
import FERStages

extension SampleSplit {
    /// What the sample stage reads: the per-class cap and how capped classes
    /// are sampled, and the split.
    package struct Settings: StageParameters {
        /// At most this many rows per class; `nil` keeps every row.
        package var perClass: Int?
        /// How capped classes are sampled.
        package var sampling: ExperimentConfig.PreprocessingSection.Sampling
        /// Seed of the random sampling.
        package var samplingSeed: UInt64
        /// The train/test split.
        package var split: ExperimentConfig.SplitSection

        /// The settings `config` gives.
        package init(_ config: ExperimentConfig) {
            perClass = config.preprocessing.perClass
            sampling = config.preprocessing.sampling
            samplingSeed = config.preprocessing.seed
            split = config.split
        }
    }

    /// The rows `settings` select from `dataset`, and their split, which keeps each of `groups` on one side.
    /// - Throws: `ConfigProblem` when the split cannot be made from this data.
    static func make(_ settings: Settings, from dataset: Dataset, groups: ImageGroups) throws -> SampleSplit {
        let order: Dataset.SampleOrder = settings.sampling == .first ? .first : .random(seed: settings.samplingSeed)
        let rows = settings.perClass.map { dataset.rows(cappedAt: $0, order: order) } ?? Array(0..<dataset.count)
        var test: [Int] = []
        var moved = 0
        let split = settings.split
        let method = resolvedMethod(split, dataset: dataset, rows: rows)
        switch method {
        case .fraction, .auto:
            test = stratifiedFraction(
                rows, dataset: dataset, groups: groups, fraction: split.testFraction, seed: split.seed)
        case .usage:
            guard dataset.usage != nil else {
                throw ConfigProblem(
                    path: "split.method",
                    "is usage, but \(dataset.provenance.path) has no Usage column or split folders; use fraction")
            }
            let wanted = Set(split.testUsage)
            let named = rows.filter { dataset.usageName($0).map(wanted.contains) ?? false }
            guard !named.isEmpty else {
                let present = dataset.usageNames.filter { !$0.isEmpty }.joined(separator: ", ")
                throw ConfigProblem(
                    path: "split.test_usage",
                    "no used row has usage \(split.testUsage.joined(separator: " or ")) (the data has: \(present))")
            }
            (test, moved) = groups.isGrouped ? keepingGroups(rows, named: named, groups: groups) : (named, 0)
            guard !test.isEmpty else {
                throw ConfigProblem(
                    path: "split.groups",
                    "keeps every group in training: each group with images of usage "
                        + "\(split.testUsage.joined(separator: " or ")) has most of its images in other usages; "
                        + "use split.method: fraction")
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
            rows: rows, train: rows.filter { !held.contains($0) }, test: test.sorted(), byUsage: method == .usage,
            groups: groups, movedToKeepGroups: moved)
    }

    /// The same seeded fraction of every stratum held out: of each label's rows or, with groups, of the rows
    /// of the groups whose most common label it is, drawn as whole groups.
    private static func stratifiedFraction(
        _ rows: [Int], dataset: Dataset, groups: ImageGroups, fraction: Double, seed: UInt64
    ) -> [Int] {
        let strata = groups.isGrouped ? groupStrata(rows, dataset: dataset, groups: groups) : dataset.rowsByLabel(rows)
        var test: [Int] = []
        for (label, members) in strata.enumerated() where members.count > 1 {
            var random = SeededGenerator(seed: seed, stream: UInt64(label))
            let units = ShuffledUnits(count: members.count, groups: groups.codes(of: members), random: &random)
            test += units.take(positions: Int((Double(members.count) * fraction).rounded())).map { members[$0] }
        }
        return test
    }

    /// The used rows of the groups whose most common label (the lowest code on a tie) is each label, by label.
    private static func groupStrata(_ rows: [Int], dataset: Dataset, groups: ImageGroups) -> [[Int]] {
        let labels = dataset.labelNames.count
        var counts = [[Int]](repeating: [Int](repeating: 0, count: labels), count: groups.names.count)
        for row in rows { counts[Int(groups.codes[row])][Int(dataset.labels[row])] += 1 }
        let stratumOf = counts.map { perLabel in
            perLabel.indices.max { perLabel[$0] < perLabel[$1] || perLabel[$0] == perLabel[$1] && $0 > $1 } ?? 0
        }
        var strata = [[Int]](repeating: [], count: labels)
        for row in rows { strata[stratumOf[Int(groups.codes[row])]].append(row) }
        return strata
    }

    /// A usage split with each group on the side most of its used rows' usages name (training on a tie): the
    /// held-out rows, and how many rows moved from the side their usage names.
    private static func keepingGroups(
        _ rows: [Int], named: [Int], groups: ImageGroups
    ) -> (test: [Int], moved: Int) {
        var total = [Int](repeating: 0, count: groups.names.count), heldByUsage = total
        for row in rows { total[Int(groups.codes[row])] += 1 }
        for row in named { heldByUsage[Int(groups.codes[row])] += 1 }
        let test = rows.filter { 2 * heldByUsage[Int(groups.codes[$0])] > total[Int(groups.codes[$0])] }
        let moved = Set(named).symmetricDifference(test).count
        return (test, moved)
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
}
