import Foundation
import PackagePlugin

/// Builds the package's `Templates` folder into the target that uses it: every
/// file becomes an entry of a generated Swift source, so the `ferlab` binary
/// carries its templates and needs no folder beside it.
@main
struct EmbedTemplates: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL.appendingPathComponent("Templates")
        let files = Self.files(under: root)
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedTemplates.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) template files",
                executable: try context.tool(named: "embed-files").url,
                arguments: [output.path, root.path] + files.map(\.path),
                inputFiles: files, outputFiles: [output])
        ]
    }

    /// Every regular file under `root`, sorted, hidden files left out.
    static func files(under root: URL) -> [URL] {
        guard
            let walker = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { return [] }
        return walker.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.path < $1.path }
    }
}
