import FERCore
import Foundation

extension ComparisonSite {
    /// One compared run, as its site says.
    package struct Run: Sendable {
        /// Its name in the table: the run's own name (`run.name`) when it has one, else the name it was given.
        package var name: String
        /// The experiment it ran (`name` in its config).
        package let experiment: String
        /// Its tags (`run.tags`).
        package let tags: [String]
        /// Its site's `index.html`, relative to the comparison site.
        package let link: String
        /// Its run log's list of every parameter, relative to the comparison site.
        package let parametersLink: String
        /// The values compared: every config value (`run.json`) but the run's own `run.*` keys, the config's `name`
        /// as `experiment`, and `data`, which names the images it read.
        package let parameters: [String: String]
        /// The final model's numbers (`results.json`), by the metric names of `metrics`.
        package let metrics: [String: Double]
        /// The 95% intervals the site gives, by metric name.
        package let intervals: [String: ClosedRange<Double>]
        /// The lowest and highest held-out accuracy over the k-means seeds, when there were several.
        package let seedRange: (low: Double, high: Double)?
    }

    /// The run whose site is `folder`, named `name` unless it has a name of its own, linked as `link` (its
    /// `index.html`; the run log sits beside it).
    /// - Throws: `ComparisonError` naming the file that is missing or not a FERLab site's.
    package static func run(site folder: String, name: String, link: String) throws -> Run {
        func json(_ file: String) throws -> [String: Any] {
            let path = (folder as NSString).appendingPathComponent(file)
            switch RegularFile.kind(at: path) {
            case .missing: throw ComparisonError(file: path, "no such file: compare needs FERLab sites")
            case .folder, .special:
                throw ComparisonError(file: path, "is not a regular file: compare needs FERLab sites")
            case .file, .link: break
            }
            guard let data = RegularFile.contents(path, limit: 256 << 20) else {
                throw ComparisonError(file: path, "cannot be read, or is larger than any FERLab run writes")
            }
            guard let object = try? JSONSerialization.jsonObject(with: Data(data)) as? [String: Any] else {
                throw ComparisonError(file: path, "is not the JSON a FERLab run writes")
            }
            return object
        }
        let results = try json("results.json"), log = try json("run.json")
        let all = log["parameters"] as? [String: String] ?? [:]
        let finalName = results["final_model"] as? String
        let models = results["models"] as? [[String: Any]] ?? []
        guard let final = models.first(where: { $0["name"] as? String == finalName }) else {
            throw ComparisonError(
                file: (folder as NSString).appendingPathComponent("results.json"), "has no final model")
        }
        func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }
        let chance = results["chance"] as? [String: Any] ?? [:]
        let stability = results["stability"] as? [String: Any] ?? [:]
        var metrics: [String: Double] = [:]
        var intervals: [String: ClosedRange<Double>] = [:]
        for key in ["silhouette", "baseline_silhouette", "accuracy_hungarian", "nmi", "ari"] {
            metrics[key] = number(final[key])
            if let pair = final["\(key)_interval"] as? [NSNumber], pair.count == 2,
                pair[0].doubleValue <= pair[1].doubleValue
            {
                intervals[key] = pair[0].doubleValue...pair[1].doubleValue
            }
        }
        metrics["chance_uniform"] = number(chance["uniform"])
        metrics["chance_majority"] = number(chance["majority_class"])
        metrics["seed_spread"] = number(stability["accuracy_spread"])
        let seeds = ((stability["runs"] as? [String: Any])?["seeds"] as? [[String: Any]] ?? [])
            .compactMap { number($0["hungarian_accuracy"]) }
        var parameters = all.filter { !$0.key.hasPrefix("run.") && $0.key != "name" }
        parameters["experiment"] = all["name"] ?? (log["experiment"] as? String ?? name)
        if let dataset = results["dataset"] as? [String: Any] {
            parameters["data"] = dataText(dataset)
        }
        let ownName = listItems(all["run.name"] ?? "").first
        let runLog = (link as NSString).deletingLastPathComponent
        return Run(
            name: ownName ?? name, experiment: parameters["experiment"] ?? name,
            tags: listItems(all["run.tags"] ?? ""), link: link,
            parametersLink: (runLog.isEmpty ? "" : runLog + "/") + "run-log.html#parameters",
            parameters: parameters, metrics: metrics, intervals: intervals,
            seedRange: seeds.count >= 2 ? (seeds.min() ?? 0, seeds.max() ?? 0) : nil)
    }

    /// The images a run read, as one value: its source, how many and their content's hash.
    private static func dataText(_ dataset: [String: Any]) -> String {
        let source = dataset["source"] as? String ?? "?"
        let rows = (dataset["rows"] as? NSNumber).map { Formatting.count($0.intValue) } ?? "?"
        let hash = dataset["data_hash"] as? String ?? "?"
        return "\(source), \(rows) images, \(hash)"
    }

    /// The items of a config value as `run.json` writes it: a list's items, a scalar alone, none for null.
    private static func listItems(_ value: String) -> [String] {
        guard !["", "null", "[]"].contains(value) else { return [] }
        guard value.hasPrefix("["), value.hasSuffix("]") else { return [value] }
        return value.dropFirst().dropLast().split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
    }
}
