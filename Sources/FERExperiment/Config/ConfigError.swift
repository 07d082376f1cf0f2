/// A config file (or `--set` override) that cannot be used, with where and why:
/// `Reports/seed-v2.yaml:14: models.clusters: must be an integer from 2 to 64, not "seven"`.
package struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The config file, as the user named it.
    package let file: String
    /// The line of the offending value, when known.
    package let line: Int?
    /// The key's path, e.g. `models.clusters`.
    package let path: String
    /// What is wrong.
    package let message: String

    /// Creates an error at `path` in `file`.
    package init(file: String, line: Int?, path: String, _ message: String) {
        self.file = file
        self.line = line
        self.path = path
        self.message = message
    }

    package var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return path.isEmpty ? "\(place): \(message)" : "\(place): \(path): \(message)"
    }
}

/// A config value the data cannot support, found by a stage: the stage knows
/// the key but not the file, so the runner places it (`ConfigError`).
package struct ConfigProblem: Error, Equatable, Sendable {
    /// The key's path, e.g. `cluster_map.manual`.
    package let path: String
    /// What is wrong.
    package let message: String

    /// A problem with the value at `path`.
    package init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// The problem as an error in `file`.
    package func placed(in file: String) -> ConfigError {
        ConfigError(file: file, line: nil, path: path, message)
    }
}
