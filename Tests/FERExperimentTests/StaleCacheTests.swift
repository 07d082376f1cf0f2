import FERStages
import FERTestSupport
import Foundation
import Testing

@testable import FERExperiment

/// A cache that cannot go stale: for every key of the config schema
/// (`ConfigSchema.keys`), the tiny experiment is rerun with that key changed
/// to another value the schema declares for it, and every stage whose
/// key stayed the same must have produced exactly the same bytes. A stage
/// that reads a setting its key does not hold fails here, naming both.
@Suite struct StaleCacheTests {
    /// A config key and other values for it, as `--set` takes them (`key=value`).
    struct Change: CustomStringConvertible, Sendable {
        let key: String
        let candidates: [String]
        var description: String { key }
    }

    /// Every key of the schema with the other values it declares.
    static let changes = ConfigSchema.keys.map { Change(key: $0.path, candidates: $0.alternatives) }

    /// Each stage's key and stored bytes in a cache folder, by stage (file names are `<stage>-<key>.bin`).
    private static func entries(in folder: String) throws -> [String: (key: String, bytes: Data)] {
        var entries: [String: (key: String, bytes: Data)] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".bin") {
            let stem = name.dropLast(4)
            guard let dash = stem.lastIndex(of: "-") else { continue }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
            entries[String(stem[..<dash])] = (String(stem[stem.index(after: dash)...]), bytes)
        }
        return entries
    }

    /// The unchanged tiny experiment's stages (stored bytes and declarations), computed once for all changes.
    private static let base = Result<
        (entries: [String: (key: String, bytes: Data)], declared: [String: StageRunner.Declaration]), Error
    > {
        let cache = try TemporaryDirectory()
        let run = try runAll(tinyConfig(), cache: cache.path)
        return (try entries(in: cache.path), run.declared)
    }

    /// The stages whose parameters differ between `before` and `after`, and every stage downstream of them.
    private static func readersAndDependents(
        _ before: [String: StageRunner.Declaration], _ after: [String: StageRunner.Declaration]
    ) -> Set<String> {
        var affected = Set(after.keys.filter { before[$0]?.parameters != after[$0]?.parameters })
        var grew = true
        while grew {
            let next = affected.union(after.filter { !affected.isDisjoint(with: $0.value.inputs) }.keys)
            grew = next.count > affected.count
            affected = next
        }
        return affected
    }

    @Test(arguments: changes)
    func aStageWhoseKeyIsUnchangedProducesTheSameBytes(_ change: Change) throws {
        let (before, declaredBefore) = try Self.base.get()
        // The first other value the experiment accepts.
        for candidate in change.candidates {
            guard let config = try? tinyConfig([candidate]) else { continue }
            let cache = try TemporaryDirectory()
            guard let run = try? runAll(config, cache: cache.path) else { continue }
            for (stage, entry) in try Self.entries(in: cache.path) {
                guard let old = before[stage], old.key == entry.key else { continue }
                #expect(
                    old.bytes == entry.bytes,
                    "\(candidate) changed what stage \"\(stage)\" computes, but not its key")
            }
            // Exactly the stages that read the key, and what depends on them, have new keys.
            let rekeyed = Set(run.declared.keys.filter { declaredBefore[$0]?.key != run.declared[$0]?.key })
            #expect(
                rekeyed == Self.readersAndDependents(declaredBefore, run.declared),
                "\(candidate) gave new keys to \(rekeyed.sorted())")
            return
        }
        // Keys no other value of which this experiment can run with (the data path of the built-in faces, the one
        // landmark model installed, groups, which the built-in faces have none of: GroupedSplitTests covers them;
        // a sweep, which runs several experiments: SweepTests covers it).
        #expect(
            [
                "dataset.path", "name", "cluster_map.manual", "features.landmarks.model", "report.templates",
                "split.groups", "sweep",
            ].contains(change.key),
            "no other value of \(change.key) could be run: \(change.candidates)")
    }
}
