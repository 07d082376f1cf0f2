import Yams

/// One setting of an experiment, declared once (in `ConfigSchema.keys`): its
/// path, its default, what it means, which values it takes, how it is read
/// into an `ExperimentConfig` and how `ferlab diff` and `runs` show it. The
/// default file, `Reports/default.yaml`, the README's table of keys, the
/// flattened view of a config and the stale-cache test's values all come
/// from these declarations.
struct ConfigKey: Sendable {
    /// Its path in a config file, `models.clusters`.
    let path: String
    /// Its default as the default file writes it; `nil` when the default file leaves it out (it defaults to
    /// another key's value).
    let defaultText: String?
    /// The comment after it in the default file.
    let comment: String?
    /// The README's default cell.
    let shownDefault: String
    /// What it means, for the README.
    let meaning: String
    /// Other values to run it with, as `--set` takes them (`key=value`), for the stale-cache test.
    let alternatives: [String]
    /// Reads it from its section (absent: the default) into the config.
    let read: @Sendable (inout ConfigSection, inout ExperimentConfig) throws -> Void
    /// Its entries in the flattened view (`path` to its value as text); none when its section shows it.
    let flatten: @Sendable (ExperimentConfig) -> [String: String]

    /// The section's path (`models`; empty at the top level).
    var section: String {
        path.lastIndex(of: ".").map { String(path[..<$0]) } ?? ""
    }

    /// The key's name in its section.
    var name: String {
        path.lastIndex(of: ".").map { String(path[path.index(after: $0)...]) } ?? path
    }
}

/// A section of the config file that the default file writes on one line
/// (`hog: {cell: 6, block: 2}`) or with a comment, and that `ferlab diff`
/// may show as one value.
struct ConfigGroup: Sendable {
    /// Its path, `features.hog`.
    let path: String
    /// Whether the default file writes its keys inline, on the section's line.
    let inline: Bool
    /// The comment on the section's line.
    let comment: String?
    /// Its one entry in the flattened view, when it is shown as one value.
    let flatten: (@Sendable (ExperimentConfig) -> String)?
}

extension ConfigKey {
    /// How a value of type `Value` is read, written in the default file and shown.
    struct Kind<Value: Sendable>: Sendable {
        /// Reads the value of `key` in a section, `fallback` when absent.
        let read: @Sendable (inout ConfigSection, String, Value, ExperimentConfig) throws -> Value
        /// The value as YAML text.
        let yaml: @Sendable (Value) -> String
        /// The value as the flattened view shows it.
        let text: @Sendable (Value) -> String
        /// Other values worth trying, as YAML text.
        let others: @Sendable (Value) -> [String]
    }

    /// A key of kind `kind` stored at `field`, defaulting to `fallback` (or to `fallbackFrom` of the config read
    /// so far, when the default file leaves the key out).
    static func key<Value: Sendable>(
        _ path: String, _ field: WritableKeyPath<ExperimentConfig, Value> & Sendable, _ kind: Kind<Value>,
        default fallback: Value, fallbackFrom: (@Sendable (ExperimentConfig) -> Value)? = nil,
        inDefaultFile: Bool = true, comment: String? = nil, shown: String? = nil, meaning: String,
        alternatives: [String]? = nil, flattened: Bool = true,
        flattenedWhen: (@Sendable (ExperimentConfig) -> Bool)? = nil,
        check: (@Sendable (Value, ExperimentConfig) -> String?)? = nil
    ) -> ConfigKey {
        let name = path.split(separator: ".").last.map(String.init) ?? path
        let written = kind.yaml(fallback)
        return ConfigKey(
            path: path, defaultText: inDefaultFile ? written : nil, comment: comment,
            shownDefault: shown ?? Self.readmeCell(written),
            meaning: meaning,
            alternatives: (alternatives ?? kind.others(fallback)).map { "\(path)=\($0)" },
            read: { section, config in
                let value = try kind.read(&section, name, fallbackFrom?(config) ?? fallback, config)
                if let problem = check?(value, config) {
                    throw ConfigError(file: section.file, line: nil, path: path, problem)
                }
                config[keyPath: field] = value
            },
            flatten: { config in
                flattened && (flattenedWhen?(config) ?? true) ? [path: kind.text(config[keyPath: field])] : [:]
            })
    }

    /// How the README shows a default: numbers plain, anything else as code.
    static func readmeCell(_ yaml: String) -> String {
        Double(yaml) != nil ? yaml : "`\(yaml)`"
    }
}
