import FERTestSupport
import Foundation
import Testing
import Yams

@testable import FERExperiment

/// A cache that cannot go stale: for every key of the config schema (every
/// leaf of `Reports/default.yaml`, which lists each key with its default),
/// the tiny experiment is rerun with that key changed, and every stage whose
/// key stayed the same must have produced exactly the same bytes. A stage
/// that reads a setting its key does not hold fails here, naming both.
@Suite struct StaleCacheTests {
    /// A config key and a different value for it, as `--set` takes it.
    struct Change: CustomStringConvertible, Sendable {
        let key: String
        let candidates: [String]
        var description: String { key }
    }

    static let changes: [Change] = {
        guard let text = try? String(contentsOfFile: ProjectFiles.path("Reports/default.yaml"), encoding: .utf8),
            let defaults = try? Yams.compose(yaml: text),
            let tiny = try? Yams.compose(yaml: TinyExperiment.config)
        else { return [] }
        let lines = text.components(separatedBy: "\n")
        var changes: [Change] = []
        func walk(_ node: Node, _ path: [String], siblings: Node.Mapping?) {
            if let mapping = node.mapping {
                for (key, value) in mapping { walk(value, path + [key.string ?? ""], siblings: mapping) }
                return
            }
            let current = lookup(path, in: tiny) ?? node
            let comment = node.mark.map { Self.comment(on: lines[$0.line - 1], for: path.last ?? "") } ?? ""
            // A value chosen among a sibling list (`final` among `reducers`) may be any other member.
            let members = siblings?.values.compactMap(\.sequence).first { list in
                list.contains { $0.scalar?.string == current.scalar?.string }
            }
            let others = members?.compactMap(\.scalar?.string).filter { $0 != current.scalar?.string } ?? []
            changes.append(
                Change(
                    key: path.joined(separator: "."),
                    candidates: others + alternatives(to: current, comment: comment)))
        }
        walk(defaults, [], siblings: nil)
        return changes
    }()

    /// The text after `#` on a key's line, or "" when the comment is about another key of that line.
    private static func comment(on line: String, for key: String) -> String {
        guard let hash = line.firstIndex(of: "#") else { return "" }
        let text = line[line.index(after: hash)...].trimmingCharacters(in: .whitespaces)
        // `# norm: l1 | l2` on a line of several keys is about `norm` only.
        if let colon = text.firstIndex(of: ":") {
            let subject = String(text[..<colon])
            if !subject.isEmpty && !subject.contains(" ") {
                return subject == key ? String(text[text.index(after: colon)...]) : ""
            }
        }
        return text
    }

    private static func lookup(_ path: [String], in node: Node) -> Node? {
        var current: Node? = node
        for key in path { current = current?.mapping?[Node(key)] }
        return current
    }

    /// Other values of the same kind: the choices the comment lists (`a | b | c`), the other truth value,
    /// a neighbouring number, a value instead of null, a shorter list or one with its last number moved
    /// (and, for the held-out usage, the other test usage of FER2013's layout).
    private static func alternatives(to node: Node, comment: String) -> [String] {
        // `comment` is the text after `#` on the key's line.
        if let items = node.sequence {
            let values = items.compactMap(\.scalar?.string)
            if values.count == items.count, let last = values.last.flatMap(Int.init) {
                return ["[" + (values.dropLast() + ["\(last + 1)"]).joined(separator: ", ") + "]"]
            }
            guard items.count > 1, let shorter = try? Yams.serialize(node: Node(Array(items.dropLast()))) else {
                return values.count == 1 && values[0] == "PrivateTest" ? ["[PublicTest]"] : []
            }
            return [shorter]
        }
        guard let value = node.scalar?.string else { return [] }
        if comment.contains("|") {
            let choices = comment.split(separator: "|").compactMap {
                $0.split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "(" }).first.map(String.init)
            }
            return choices.filter { $0 != value }
        }
        switch value {
        case "true": return ["false"]
        case "false": return ["true"]
        case "null", "": return ["48", "20", "1"]
        default: break
        }
        if let number = Int(value) {
            return number > 1_000 ? ["100"] : ["\(number + 1)", "\(max(0, number - 1))", "50"]
        }
        if let number = Double(value) { return ["\(number / 2)"] }
        return []
    }

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

    @Test func theSchemaListsEveryKey() {
        #expect(Self.changes.count > 40, "only \(Self.changes.count) keys read from Reports/default.yaml")
    }

    @Test(arguments: changes)
    func aStageWhoseKeyIsUnchangedProducesTheSameBytes(_ change: Change) throws {
        let (before, declaredBefore) = try Self.base.get()
        // The first other value the experiment accepts.
        for candidate in change.candidates {
            guard let config = try? tinyConfig(["\(change.key)=\(candidate)"]) else { continue }
            let cache = try TemporaryDirectory()
            guard let run = try? runAll(config, cache: cache.path) else { continue }
            for (stage, entry) in try Self.entries(in: cache.path) {
                guard let old = before[stage], old.key == entry.key else { continue }
                #expect(
                    old.bytes == entry.bytes,
                    "\(change.key)=\(candidate) changed what stage \"\(stage)\" computes, but not its key")
            }
            // Exactly the stages that read the key, and what depends on them, have new keys.
            let rekeyed = Set(run.declared.keys.filter { declaredBefore[$0]?.key != run.declared[$0]?.key })
            #expect(
                rekeyed == Self.readersAndDependents(declaredBefore, run.declared),
                "\(change.key)=\(candidate) gave new keys to \(rekeyed.sorted())")
            return
        }
        // Keys no other value of which this experiment can run with (the data path of the built-in faces, the one
        // landmark model installed, groups, which the built-in faces have none of: GroupedSplitTests covers them).
        #expect(
            [
                "dataset.path", "name", "cluster_map.manual", "features.landmarks.model", "report.templates",
                "split.groups",
            ].contains(change.key),
            "no other value of \(change.key) could be run: \(change.candidates)")
    }
}
