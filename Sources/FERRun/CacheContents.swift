import FERCore
import FERExperiment
import FERStages
import Foundation

/// What a stage cache holds, and pruning it: entries are `<stage>-<key>.bin`
/// files; a prune removes those that none of the last runs of any experiment
/// read or wrote (as the run history records them) and keeps the history.
package struct CacheContents: Sendable {
    /// One entry file.
    package struct Entry: Sendable, Equatable {
        /// Its file name.
        package let file: String
        /// The stage it is of (file-safe: `reduce-pca`).
        package let stage: String
        /// Its size in bytes.
        package let bytes: Int
    }

    /// The cache folder.
    package let folder: String
    /// Every entry, by file name.
    package let entries: [Entry]

    /// The entries of the cache in `folder` (none when it does not exist): its `.bin` files that begin as
    /// FERLab's entries do.
    package init(folder: String) {
        self.folder = folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        entries = names.filter {
            $0.hasSuffix(".bin") && CacheStore.isEntry((folder as NSString).appendingPathComponent($0))
        }.sorted().map { name in
            let path = (folder as NSString).appendingPathComponent(name)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            let stem = name.dropLast(4)
            let stage = stem.lastIndex(of: "-").map { String(stem[..<$0]) } ?? String(stem)
            return Entry(file: name, stage: stage, bytes: size)
        }
    }

    /// Entries and bytes per stage, largest first.
    package var byStage: [(stage: String, entries: Int, bytes: Int)] {
        Dictionary(grouping: entries, by: \.stage)
            .map { (stage: $0.key, entries: $0.value.count, bytes: $0.value.reduce(0) { $0 + $1.bytes }) }
            .sorted { ($1.bytes, $0.stage) < ($0.bytes, $1.stage) }
    }

    /// Bytes in all entries.
    package var totalBytes: Int { entries.reduce(0) { $0 + $1.bytes } }

    /// The entries no run among the last `keep` runs of each experiment in `records` used.
    package func unused(keepingRunsPerExperiment keep: Int, records: [RunHistory.Record]) -> [Entry] {
        var used: Set<String> = []
        for (_, runs) in Dictionary(grouping: records, by: \.experiment) {
            for run in runs.suffix(keep) { used.formUnion(run.cacheEntries) }
        }
        return entries.filter { !used.contains($0.file) }
    }

    /// Removes `entries` from the cache.
    /// - Throws: `FileWriteError` naming an entry that cannot be removed.
    package func remove(_ entries: [Entry]) throws {
        for entry in entries {
            let path = (folder as NSString).appendingPathComponent(entry.file)
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw FileWriteError(path: path, reason: "cannot be removed: \(error.localizedDescription)")
            }
        }
    }

    /// `bytes` for people: `1.2 MB`.
    package static func size(_ bytes: Int) -> String {
        let units = ["bytes", "KB", "MB", "GB"]
        var value = Double(bytes), unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : "\(DecimalText.format(value, decimals: 1)) \(units[unit])"
    }
}
