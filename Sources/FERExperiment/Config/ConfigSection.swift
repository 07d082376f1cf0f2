import FERCore
import Foundation
import Yams

/// Reads one mapping of a config file key by key, checking each value's type
/// and range, and remembers which keys were read so that unknown (misspelt)
/// keys can be refused with their path and line.
struct ConfigSection {
    private let pairs: [(key: String, value: Node, line: Int?, keyLine: Int?)]
    private let line: Int?
    /// The section's path, e.g. `models`; empty for the top level.
    let path: String
    /// The config file, for errors.
    let file: String
    private var read: Set<String> = []

    /// A section over `node` (absent sections read as empty).
    init(_ node: Node?, path: String, file: String) throws {
        self.path = path
        self.file = file
        line = node?.mark?.line
        guard let node, !Self.isNull(node) else {
            pairs = []
            return
        }
        guard let mapping = node.mapping else {
            throw ConfigError(file: file, line: node.mark?.line, path: path, "must be a mapping of keys to values")
        }
        var seen: Set<String> = []
        pairs = try mapping.map { key, value in
            let name = key.string ?? ""
            if !seen.insert(name).inserted {
                throw ConfigError(file: file, line: key.mark?.line, path: Self.join(path, name), "is given twice")
            }
            return (name, value, value.mark?.line ?? key.mark?.line, key.mark?.line ?? value.mark?.line)
        }
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    private mutating func value(_ key: String) -> (node: Node, line: Int?)? {
        read.insert(key)
        return pairs.first { $0.key == key }.map { ($0.value, $0.line) }
    }

    private func error(_ key: String, _ line: Int?, _ message: String) -> ConfigError {
        ConfigError(file: file, line: line, path: Self.join(path, key), message)
    }

    private static func shown(_ node: Node) -> String {
        if let scalar = node.scalar { return "\"\(scalar.string)\"" }
        if node.sequence != nil { return "a list" }
        return "a mapping"
    }

    // MARK: Values

    /// A nested section.
    mutating func section(_ key: String) throws -> ConfigSection {
        try ConfigSection(value(key)?.node, path: Self.join(path, key), file: file)
    }

    /// An integer in `range`.
    mutating func int(_ key: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let (node, line) = value(key), !Self.isNull(node) else { return fallback }
        guard node.scalar != nil, let number = node.int, range.contains(number) else {
            throw error(
                key, line, "must be an integer from \(range.lowerBound) to \(range.upperBound), not \(Self.shown(node))"
            )
        }
        return number
    }

    /// An integer in `range`, or `null` for none.
    mutating func optionalInt(_ key: String, default fallback: Int?, in range: ClosedRange<Int>) throws -> Int? {
        guard let (node, _) = value(key) else { return fallback }
        if Self.isNull(node) { return nil }
        read.remove(key)
        return try int(key, default: 0, in: range)
    }

    /// A seed: a non-negative integer.
    mutating func seed(_ key: String, default fallback: UInt64) throws -> UInt64 {
        guard let (node, line) = value(key), !Self.isNull(node) else { return fallback }
        guard let scalar = node.scalar, let number = UInt64(scalar.string) else {
            throw error(key, line, "must be a non-negative integer, not \(Self.shown(node))")
        }
        return number
    }

    /// A number in `range`.
    mutating func double(_ key: String, default fallback: Double, in range: ClosedRange<Double>) throws -> Double {
        guard let (node, line) = value(key), !Self.isNull(node) else { return fallback }
        guard node.scalar != nil, let number = node.float ?? node.int.map(Double.init), number.isFinite,
            range.contains(number)
        else {
            throw error(
                key, line,
                "must be a number from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound)), not \(Self.shown(node))"
            )
        }
        return number
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// `true` or `false`.
    mutating func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let (node, line) = value(key), !Self.isNull(node) else { return fallback }
        guard node.scalar != nil, let flag = node.bool else {
            throw error(key, line, "must be true or false, not \(Self.shown(node))")
        }
        return flag
    }

    /// A file name inside the site ending in one of `extensions`: `true` gives `defaultName`, `false` or null none.
    mutating func siteFileName(_ key: String, default defaultName: String, extensions: [String]) throws -> String? {
        guard let (node, line) = value(key), !Self.isNull(node) else { return nil }
        if let flag = node.bool { return flag ? defaultName : nil }
        guard let name = node.scalar?.string, !name.isEmpty, !name.contains("/"), !name.hasPrefix("."),
            extensions.contains(where: { name.hasSuffix($0) }), name.count > (extensions.map(\.count).min() ?? 0)
        else {
            throw error(
                key, line,
                "must be true, false or a file name for the site ending in \(extensions.joined(separator: " or ")) (no folders), not \(Self.shown(node))"
            )
        }
        return name
    }

    /// A non-empty string.
    mutating func string(_ key: String, default fallback: String) throws -> String {
        guard let (node, line) = value(key), !Self.isNull(node) else { return fallback }
        guard let scalar = node.scalar, !scalar.string.isEmpty else {
            throw error(key, line, "must be a non-empty text, not \(Self.shown(node))")
        }
        return scalar.string
    }

    /// A non-empty string, or `null` for none.
    mutating func optionalString(_ key: String) throws -> String? {
        guard let (node, line) = value(key), !Self.isNull(node) else { return nil }
        guard let scalar = node.scalar, !scalar.string.isEmpty else {
            throw error(key, line, "must be a non-empty text or null, not \(Self.shown(node))")
        }
        return scalar.string
    }

    /// Where images' groups come from: `null`, a CSV column's name, or `{pattern: REGEX}` with at least one
    /// capture group.
    mutating func groupSource(_ key: String) throws -> ExperimentConfig.GroupSource? {
        guard let (node, line) = value(key), !Self.isNull(node) else { return nil }
        if let scalar = node.scalar, !scalar.string.isEmpty { return .column(scalar.string) }
        var inner = try ConfigSection(node, path: Self.join(path, key), file: file)
        guard let pattern = try inner.optionalString("pattern") else {
            throw error(
                key, line,
                "must be null, a CSV column's name, or {pattern: REGEX} whose first capture group names each image's group, not \(Self.shown(node))"
            )
        }
        try inner.finish()
        let captures: Int
        do {
            captures = try NSRegularExpression(pattern: pattern).numberOfCaptureGroups
        } catch {
            throw self.error("\(key).pattern", line, "is not a regular expression (\(pattern))")
        }
        guard captures >= 1 else {
            throw error(
                "\(key).pattern", line,
                "has no capture group; put the part of the path that names the group in parentheses, like ^(S\\d+)_")
        }
        return .pattern(pattern)
    }

    /// A sweep: a mapping of config key paths to lists of values (each written back as YAML text).
    mutating func sweep(_ key: String) throws -> Sweep {
        guard let (node, line) = value(key), !Self.isNull(node) else { return Sweep(axes: []) }
        guard let mapping = node.mapping else {
            throw error(key, line, "must map config keys to lists of values, like models.clusters: [5, 7, 9]")
        }
        return Sweep(
            axes: try mapping.map { name, values in
                let path = Self.join(Self.join(self.path, key), name.string ?? "")
                guard let list = values.sequence, !list.isEmpty else {
                    throw ConfigError(
                        file: file, line: values.mark?.line ?? name.mark?.line, path: path,
                        "must be a list of the values to try, like [5, 7, 9]")
                }
                return Sweep.Axis(
                    key: name.string ?? "",
                    values: try list.map { item in
                        if let scalar = item.scalar { return scalar.string }
                        return try Yams.serialize(node: item).trimmingCharacters(in: .whitespacesAndNewlines)
                    })
            })
    }

    /// One of an enumeration's raw values.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, default fallback: Choice
    ) throws -> Choice
    where Choice.RawValue == String {
        guard let (node, line) = value(key), !Self.isNull(node) else { return fallback }
        guard let text = node.scalar?.string, let choice = Choice(rawValue: text) else {
            let options = Choice.allCases.map { $0.rawValue }.joined(separator: ", ")
            throw error(key, line, "must be one of \(options), not \(Self.shown(node))")
        }
        return choice
    }

    /// A list of one of an enumeration's raw values.
    mutating func choices<Choice: RawRepresentable & CaseIterable>(
        _ key: String, default fallback: [Choice]
    ) throws -> [Choice]
    where Choice.RawValue == String {
        guard let list = try strings(key, default: nil) else { return fallback }
        let line = value(key)?.line
        guard !list.isEmpty else { throw error(key, line, "must list at least one value") }
        return try list.map { text in
            guard let choice = Choice(rawValue: text) else {
                let options = Choice.allCases.map { $0.rawValue }.joined(separator: ", ")
                throw error(key, line, "must list values from \(options), not \"\(text)\"")
            }
            return choice
        }
    }

    /// A list of texts, or `null`.
    mutating func strings(_ key: String, default fallback: [String]?, distinct: Bool = false) throws -> [String]? {
        guard let (node, line) = value(key) else { return fallback }
        if Self.isNull(node) { return nil }
        guard let sequence = node.sequence else {
            throw error(key, line, "must be a list, like [a, b], not \(Self.shown(node))")
        }
        var seen: Set<String> = []
        return try sequence.map { item in
            guard let text = item.scalar?.string, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw error(key, item.mark?.line ?? line, "must list non-empty texts")
            }
            guard !distinct || seen.insert(text).inserted else {
                throw error(key, item.mark?.line ?? line, "names \"\(text)\" twice; each entry must be different")
            }
            return text
        }
    }

    /// A range of integers written `[low, high]` (or one integer for a single value), within `limits`.
    mutating func range(
        _ key: String, default fallback: ClosedRange<Int>, within limits: ClosedRange<Int>
    ) throws -> ClosedRange<Int> {
        guard let (node, line) = value(key), !Self.isNull(node) else { return fallback }
        let bounds: [Int]?
        if let number = node.int, node.scalar != nil {
            bounds = [number, number]
        } else if let sequence = node.sequence, sequence.count == 2 {
            let numbers = sequence.compactMap { $0.scalar != nil ? $0.int : nil }
            bounds = numbers.count == 2 ? numbers : nil
        } else {
            bounds = nil
        }
        guard let bounds, bounds[0] <= bounds[1], limits.contains(bounds[0]), limits.contains(bounds[1]) else {
            throw error(
                key, line,
                "must be [low, high] with \(limits.lowerBound) <= low <= high <= \(limits.upperBound), not \(Self.shown(node))"
            )
        }
        return bounds[0]...bounds[1]
    }

    /// A list of mappings (`- {key: value}` items), each as a section; `nil` when absent.
    mutating func sections(_ key: String) throws -> [ConfigSection]? {
        guard let (node, line) = value(key) else { return nil }
        if Self.isNull(node) { return [] }
        guard let sequence = node.sequence else {
            throw error(key, line, "must be a list of settings, like - {features: hog, components: 50}")
        }
        return try sequence.enumerated().map { index, item in
            try ConfigSection(item, path: "\(Self.join(path, key))[\(index)]", file: file)
        }
    }

    /// Refuses keys that were never read (typos, keys from another version).
    /// For a key at the top level that belongs in a section (`clusters: 5`, or `models.clusters: 5` written
    /// dotted), where it goes: `did you mean models: {clusters: 5}?`, naming the other sections that hold one
    /// of that name.
    private static func misplaced(_ key: String, value: Node) -> String? {
        let paths = ConfigSchema.keys.map(\.path)
        let places = paths.contains(key) ? [key] : paths.filter { $0.hasSuffix("." + key) }
        guard let first = places.first, let dot = first.lastIndex(of: ".") else { return nil }
        let section = first[..<dot], leaf = first[first.index(after: dot)...]
        let shown = value.scalar?.string ?? "..."
        let nested = section.split(separator: ".").reversed().reduce("\(leaf): \(shown)") { "\($1): {\($0)}" }
        let others = places.dropFirst()
        return "did you mean \(nested) (--set \(first)=\(shown))?"
            + (others.isEmpty ? " " : " Or \(others.joined(separator: ", "))? ")
    }

    /// Keys of earlier versions, by full path, and their names now.
    private static let renamed = ["evidence": "stability"]

    func finish() throws {
        if let unknown = pairs.first(where: { !read.contains($0.key) }) {
            let renamedPath = Self.join(path, unknown.key)
            if let renamed = Self.renamed[renamedPath] {
                throw ConfigError(
                    file: file, line: unknown.keyLine, path: renamedPath, "is now called \(renamed); rename it")
            }
            let known = read.sorted().joined(separator: ", ")
            let suggestion =
                NearestName.closest(to: unknown.key, among: read).map { "did you mean \($0)? " }
                ?? (path.isEmpty ? Self.misplaced(unknown.key, value: unknown.value) : nil) ?? ""
            throw ConfigError(
                file: file, line: unknown.keyLine, path: Self.join(path, unknown.key),
                "is not a known key; \(suggestion)(known here: \(known))")
        }
    }
}
