import Foundation

/// Where a run writes when it is not told. In a FERLab project (a folder
/// holding `Package.swift`, `Templates` and `Reports`, as a clone does; found
/// from the current folder or any folder above it, as git finds its
/// repository) the site goes to the project's `Reports/_site/<experiment>`
/// and the cache to its `Reports/_cache`; anywhere else the site goes to
/// `ferlab-site/<experiment>` in the current folder and the cache to the
/// user's cache folder (`$XDG_CACHE_HOME/ferlab`, else `~/.cache/ferlab`), so
/// a run leaves one folder behind where it is run.
package struct OutputLocations: Sendable {
    /// The project's `Reports` folder (relative when it is the current folder's), when in a FERLab project.
    package let reports: String?
    /// The environment (`XDG_CACHE_HOME`, `HOME`).
    let environment: [String: String]

    /// The locations for `folder` (default: the current folder).
    package init(
        folder: String = FileManager.default.currentDirectoryPath,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        reports = Self.project(from: folder).map {
            $0 == folder ? "Reports" : ($0 as NSString).appendingPathComponent("Reports")
        }
        self.environment = environment
    }

    /// The nearest of `folder` and the folders above it that is a FERLab project.
    static func project(from folder: String) -> String? {
        var candidate = (folder as NSString).standardizingPath
        while true {
            let isProject = ["Package.swift", "Templates", "Reports"].allSatisfy {
                FileManager.default.fileExists(atPath: (candidate as NSString).appendingPathComponent($0))
            }
            if isProject { return candidate == (folder as NSString).standardizingPath ? folder : candidate }
            let parent = (candidate as NSString).deletingLastPathComponent
            if parent == candidate || parent.isEmpty { return nil }
            candidate = parent
        }
    }

    /// The site folder of `experiment`.
    package func site(experiment: String) -> String {
        reports.map { "\($0)/_site/\(experiment)" } ?? "ferlab-site/\(experiment)"
    }

    /// The stage cache.
    package var cache: String {
        if let reports { return "\(reports)/_cache" }
        if let base = environment["XDG_CACHE_HOME"], base.hasPrefix("/") {
            return (base as NSString).appendingPathComponent("ferlab")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".cache/ferlab")
    }

    /// How `--help` says it.
    package static let help =
        "in a FERLab project (this folder or one above it), its Reports/_site/<name> and Reports/_cache; "
        + "elsewhere, ferlab-site/<name> here, "
        + "and the cache in $XDG_CACHE_HOME/ferlab (else ~/.cache/ferlab)."
}
