import Foundation

/// Notices edits to files and folders by polling their sizes and
/// modification times (no platform file-event API needed).
package struct ChangeWatcher: Sendable {
    /// The watched files and folders (folders are watched recursively).
    package let paths: [String]

    /// A watcher for `paths`.
    package init(paths: [String]) {
        self.paths = paths
    }

    /// A fingerprint of the watched paths' current state.
    package func stamp() -> String {
        paths.map { path in
            var entries = [path]
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
                let children = FileManager.default.enumerator(atPath: path)?.allObjects as? [String]
            {
                entries += children.sorted().map { (path as NSString).appendingPathComponent($0) }
            }
            return entries.map { entry -> String in
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: entry) else {
                    return "\(entry):-"
                }
                let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                return "\(entry):\(attributes[.size] ?? 0):\(modified)"
            }.joined(separator: "|")
        }.joined(separator: "\n")
    }

    /// Blocks until the stamp differs from `stamp`, polling every `interval` seconds; returns the new stamp.
    package func wait(after stamp: String, interval: Double = 0.4) -> String {
        while true {
            Thread.sleep(forTimeInterval: interval)
            let current = self.stamp()
            if current != stamp { return current }
        }
    }
}

extension ExperimentRun {
    /// What `--watch` watches: the config file, the templates, and a dataset file or folder.
    package static func watchedPaths(for options: Options) -> [String] {
        var paths = options.configPath.map { [$0] } ?? []
        let configured = try? config(for: options).config
        if let configured, let templates = templatesFolder(options, config: configured) { paths.append(templates) }
        if let configured, !configured.dataset.isSynthetic { paths.append(configured.dataset.path) }
        return paths
    }
}
