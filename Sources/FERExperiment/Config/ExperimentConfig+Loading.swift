import Foundation
import Yams

extension ExperimentConfig {
    /// The built-in default experiment as a config file (also shipped as `Reports/default.yaml`).
    package static var builtInDefaultText: String { ConfigSchema.defaultFileText }

    /// The built-in default experiment.
    package static var builtInDefault: ExperimentConfig {
        get throws { try parse(builtInDefaultText, file: "built-in default experiment") }
    }

    /// Reads the config file at `path`, then applies `overrides` (`key.path=value`).
    package static func load(path: String, overrides: [String] = []) throws -> ExperimentConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            throw ConfigError(
                file: path, line: nil, path: "", exists ? "cannot read the file as UTF-8 text" : "no such file")
        }
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var config = try parse(text, file: path, overrides: overrides, defaultName: base)
        // A data path written in the file is relative to the file, as DVC, Quarto and Hydra read theirs; one given
        // with --set is relative to the current folder, like every path typed at the command line.
        let folder = (path as NSString).deletingLastPathComponent
        let setOnCommandLine = overrides.contains { $0.hasPrefix("dataset.path=") || $0.hasPrefix("dataset=") }
        if !config.dataset.isSynthetic, !config.dataset.path.hasPrefix("/"), !folder.isEmpty, !setOnCommandLine {
            config.dataset.path = (folder as NSString).appendingPathComponent(config.dataset.path)
        }
        let fileOnCommandLine = overrides.contains { $0.hasPrefix("features.file=") || $0.hasPrefix("features=") }
        if let file = config.features.file, !file.hasPrefix("/"), !folder.isEmpty, !fileOnCommandLine {
            config.features.file = (folder as NSString).appendingPathComponent(file)
        }
        return config
    }

    /// Uses the dataset at `path` (relative to the current folder) instead of the config's.
    package mutating func useData(at path: String) {
        dataset.path = path
        dataset.shownPath = DatasetSection.shown(path)
    }

    /// Parses config text; `file` names it in errors.
    package static func parse(
        _ text: String, file: String, overrides: [String] = [],
        defaultName: String = "default"
    ) throws -> ExperimentConfig {
        var root: Node
        do {
            root = try Yams.compose(yaml: text) ?? Node.mapping(Node.Mapping([]))
        } catch let error as YamlError {
            let line = Self.line(of: error)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if case .duplicatedKeysInMapping(let keys, let context) = error, let key = keys.first {
                let found = Self.lines(of: key, inMappingAt: context.mark, in: lines)
                throw ConfigError(
                    file: file, line: found.first, path: "",
                    "gives \(key) twice ("
                        + (found.count == 1
                            ? "both on line \(found[0])" : "lines \(found.map(String.init).joined(separator: " and "))")
                        + "); keep one")
            }
            if let line, line >= 1, line <= lines.count, lines[line - 1].contains("\t") {
                throw ConfigError(
                    file: file, line: line, path: "",
                    "is not valid YAML: this line holds a tab, and YAML indents with spaces only; replace the tab with spaces"
                )
            }
            throw ConfigError(file: file, line: line, path: "", "is not valid YAML: \(Self.problem(of: error))")
        }
        try Self.checkSize(of: root, file: file)
        let parsed = try overrides.map { try ConfigOverride($0, file: file) }
        for override in parsed { root = try override.applied(to: root) }
        do {
            return try ConfigSchema.read(root, file: file, defaultName: defaultName)
        } catch let error as ConfigError {
            // A problem with a key a --set gave (or inside it, or above it) is the --set's, not the file's.
            let key = error.path
            guard
                let culprit = parsed.last(where: { override in
                    let set = override.path.joined(separator: ".")
                    return !key.isEmpty && (set == key || set.hasPrefix(key + ".") || key.hasPrefix(set + "."))
                })
            else { throw error }
            throw ConfigError(file: "--set \(culprit.text)", line: nil, path: error.path, error.message)
        }
    }

    /// The most values a config may hold, aliases expanded (FERLab's own configs hold a few hundred).
    static let largestValueCount = 100_000

    /// Refuses a config whose values, with YAML aliases expanded, number more than `largestValueCount`: aliases
    /// of aliases can stand for more values than any memory holds. Counting stops at the limit.
    private static func checkSize(of root: Node, file: String) throws {
        var count = 0
        var pending = [root]
        while let node = pending.popLast() {
            count += 1
            guard count <= largestValueCount else {
                throw ConfigError(
                    file: file, line: nil, path: "",
                    "holds more than \(largestValueCount) values once its YAML aliases (*name) are expanded; "
                        + "a FERLab config needs a few hundred")
            }
            if let sequence = node.sequence { pending.append(contentsOf: sequence) }
            if let mapping = node.mapping {
                for (key, value) in mapping {
                    pending.append(key)
                    pending.append(value)
                }
            }
        }
    }

    /// The lines (from 1) where `key` starts an entry of the block mapping whose first such entry is at `mark`:
    /// lines indented as it, until the mapping ends. A mapping written on one line gives that line alone.
    private static func lines(of key: String, inMappingAt mark: Mark, in lines: [Substring]) -> [Int] {
        let indent = mark.column - 1
        var found = [mark.line]
        for index in mark.line..<lines.count {
            let line = lines[index], leading = line.prefix { $0 == " " }.count
            let entry = line.dropFirst(leading)
            if entry.isEmpty || entry.hasPrefix("#") { continue }
            if leading < indent { break }
            if leading == indent, entry.hasPrefix(key),
                entry.dropFirst(key.count).drop(while: { $0 == " " }).hasPrefix(":")
            {
                found.append(index + 1)
            }
        }
        return found
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _),
            .reader(let problem, _, _, _):
            return problem
        case .duplicatedKeysInMapping(let duplicates, _):
            return "keys given twice: \(duplicates.joined(separator: ", "))"
        default:
            return "\(error)"
        }
    }
}
