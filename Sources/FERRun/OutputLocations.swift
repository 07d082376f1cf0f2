import Foundation

/// Where a run writes when it is not told. In a FERLab project folder (one
/// holding `Package.swift`, `Templates` and `Reports`, as a clone does) the
/// site goes to `Reports/_site/<experiment>` and the cache to `Reports/_cache`;
/// anywhere else the site goes to `ferlab-site/<experiment>` in the current
/// folder and the cache to the user's cache folder (`$XDG_CACHE_HOME/ferlab`,
/// else `~/.cache/ferlab`), so a run leaves one folder behind where it is run.
package struct OutputLocations: Sendable {
    /// Whether the current folder is a FERLab project.
    package let inProject: Bool
    /// The environment (`XDG_CACHE_HOME`, `HOME`).
    let environment: [String: String]

    /// The locations for `folder` (default: the current folder).
    package init(
        folder: String = FileManager.default.currentDirectoryPath,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        inProject = ["Package.swift", "Templates", "Reports"].allSatisfy {
            FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent($0))
        }
        self.environment = environment
    }

    /// The site folder of `experiment`.
    package func site(experiment: String) -> String {
        inProject ? "Reports/_site/\(experiment)" : "ferlab-site/\(experiment)"
    }

    /// The stage cache.
    package var cache: String {
        if inProject { return "Reports/_cache" }
        if let base = environment["XDG_CACHE_HOME"], base.hasPrefix("/") {
            return (base as NSString).appendingPathComponent("ferlab")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".cache/ferlab")
    }

    /// How `--help` says it.
    package static let help =
        "in a FERLab project folder, Reports/_site/<name> and Reports/_cache; elsewhere, ferlab-site/<name> here, "
        + "and the cache in $XDG_CACHE_HOME/ferlab (else ~/.cache/ferlab)."
}
