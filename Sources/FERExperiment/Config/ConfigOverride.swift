import Yams

/// One `--set key.path=value` override: the value is read as YAML (so
/// `[2, 5]` is a list and `7` an integer) and replaces or adds the key.
struct ConfigOverride {
    /// The key path, split at dots.
    let path: [String]
    /// The new value.
    let value: Node
    /// The override as given, `key.path=value`.
    let text: String
    private let file: String

    /// Parses `text` of the form `key.path=value`.
    init(_ text: String, file: String) throws {
        self.text = text
        self.file = file
        guard let equals = text.firstIndex(of: "=") else {
            throw ConfigError(file: "--set", line: nil, path: "", "\"\(text)\" must have the form key.path=value")
        }
        let keys = text[..<equals].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !keys.isEmpty, keys.allSatisfy({ !$0.isEmpty }) else {
            throw ConfigError(file: "--set", line: nil, path: "", "\"\(text)\" must name a key, like models.clusters=9")
        }
        path = keys
        let raw = String(text[text.index(after: equals)...])
        do {
            value = try Yams.compose(yaml: raw) ?? Node("", Tag(.null))
        } catch {
            throw ConfigError(
                file: "--set", line: nil, path: keys.joined(separator: "."), "the value \"\(raw)\" is not valid YAML")
        }
    }

    /// `root` with the override applied.
    func applied(to root: Node) throws -> Node {
        try set(path[...], in: root, at: [])
    }

    private func set(_ keys: ArraySlice<String>, in node: Node, at prefix: [String]) throws -> Node {
        guard let key = keys.first else { return value }
        var pairs: [(Node, Node)]
        if let mapping = node.mapping {
            pairs = mapping.map { ($0.key, $0.value) }
        } else if node.scalar.map({ ["", "~", "null"].contains($0.string) }) ?? false {
            pairs = []
        } else if prefix.isEmpty {
            throw ConfigError(
                file: file, line: nil, path: "",
                "is not a mapping of keys to values (it is \(Self.kind(of: node))), so --set \(text) has no key to set")
        } else {
            throw ConfigError(
                file: "--set", line: nil, path: (prefix + [key]).joined(separator: "."),
                "cannot set a key inside \((prefix).joined(separator: ".")), which is not a mapping")
        }
        if let index = pairs.firstIndex(where: { $0.0.string == key }) {
            pairs[index].1 = try set(keys.dropFirst(), in: pairs[index].1, at: prefix + [key])
        } else {
            pairs.append((Node(key), try set(keys.dropFirst(), in: Node("", Tag(.null)), at: prefix + [key])))
        }
        return Node(pairs)
    }

    /// What a node is, in words.
    static func kind(of node: Node) -> String {
        if node.sequence != nil { return "a list" }
        if node.mapping != nil { return "a mapping" }
        return "a single value"
    }
}
