import FERCore
import FERExperiment
import FERStages
import Foundation

/// The history of runs: one JSON line per run, appended to `history.jsonl`
/// in the cache folder (a prune keeps it). Each record says when the run was,
/// its experiment, config hash, the parameters that differ from the defaults,
/// the data's hash, the final model's key numbers, FERLab's version, the site,
/// and the cache entries the run read or wrote (what a prune keeps).
package enum RunHistory {
    /// The file's name in the cache folder.
    package static let fileName = "history.jsonl"
    /// The largest history read (about a million runs).
    static let largestHistory = 1 << 30

    /// One run.
    package struct Record: Codable, Sendable, Equatable {
        /// When it started (ISO 8601, UTC).
        package var time: String
        /// The experiment's name.
        package var experiment: String
        /// Hash of every config value.
        package var configHash: String
        /// The config values that differ from the built-in defaults.
        package var parameters: [String: String]
        /// The data's content hash.
        package var dataHash: String
        /// The final model's numbers: silhouette and its baseline, held-out accuracies, chance levels, NMI, ARI,
        /// and the spread of the accuracy over k-means seeds.
        package var metrics: [String: Double]
        /// FERLab's version.
        package var ferlabVersion: String
        /// The site folder.
        package var site: String
        /// The cache entries (file names) the run read or wrote.
        package var cacheEntries: [String]
        /// The run's name (`run.name`, `--name`; a sweep point's name), tags and note, when given.
        package var name: String? = nil
        package var tags: [String]? = nil
        package var note: String? = nil
    }

    /// The record of a run of `config` with `results`.
    static func record(
        config: ExperimentConfig, started: Date, dataHash: String, results: ExperimentResults, site: String,
        cacheEntries: [String]
    ) -> Record {
        let flat = config.flattened, defaults = (try? ExperimentConfig.builtInDefault)?.flattened ?? [:]
        var metrics: [String: Double] = [
            "chance_uniform": results.chance.uniform, "chance_majority": results.chance.majorityClass,
            "seed_spread": results.stability.accuracySpread,
        ]
        if let final = results.models.first(where: { $0.name == results.finalModel }) {
            metrics["silhouette"] = final.silhouette
            metrics["baseline_silhouette"] = final.baselineSilhouette
            metrics["accuracy"] = final.accuracy
            metrics["accuracy_hungarian"] = final.accuracyHungarian
            metrics["nmi"] = final.nmi
            metrics["ari"] = final.ari
        }
        // The run's name, tags and note describe it; they are not parameters.
        let described = flat.filter { !$0.key.hasPrefix("run.") }
        let text = described.keys.sorted().map { "\($0)=\(described[$0] ?? "")" }.joined(separator: "\n")
        let formatter = ISO8601DateFormatter()
        return Record(
            time: formatter.string(from: started), experiment: config.name,
            configHash: ContentHash.hex(ContentHash.hash(text)),
            parameters: described.filter { $0.key != "name" && defaults[$0.key] != $0.value }, dataHash: dataHash,
            metrics: metrics.filter { $0.value.isFinite }, ferlabVersion: FERLabVersion.current, site: site,
            cacheEntries: cacheEntries.sorted(), name: config.run.name,
            tags: config.run.tags.isEmpty ? nil : config.run.tags, note: config.run.note)
    }

    /// Appends `record` to the history in `cache`.
    static func append(_ record: Record, cache: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let line = Array(try encoder.encode(record)) + [UInt8(ascii: "\n")]
        let path = (cache as NSString).appendingPathComponent(fileName)
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        // Without blocking, and only onto a regular file: a FIFO put in its place must not stop the run.
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileWriteError(path: path, reason: "is not a regular file")
        }
        let written = line.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress!, $0.count) }
        guard written == line.count else {
            throw FileWriteError(path: path, reason: written < 0 ? String(cString: strerror(errno)) : "short write")
        }
    }

    /// The records in `cache`'s history, oldest first, and a warning for each line that cannot be read (it is
    /// skipped; the others are kept).
    package static func read(cache: String) -> (records: [Record], warnings: [String]) {
        let path = (cache as NSString).appendingPathComponent(fileName)
        switch RegularFile.kind(at: path) {
        case .missing: return ([], [])
        case .file: break
        default: return ([], ["\(path): is not a regular file; the run history is not read"])
        }
        guard let data = RegularFile.contents(path, limit: largestHistory) else {
            return (
                [],
                ["\(path): cannot be read, or is larger than \(largestHistory >> 20) MB; the run history is not read"]
            )
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var records: [Record] = [], warnings: [String] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            if let record = try? decoder.decode(Record.self, from: Data(line[...])) {
                records.append(record)
            } else {
                warnings.append("\(path):\(index + 1): not a run record; skipped")
            }
        }
        return (records, warnings)
    }
}
