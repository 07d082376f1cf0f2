import ArgumentParser
import CMachine
import FERCore
import FERTemplates
import Foundation

/// `ferlab templates`: the built-in templates, for editing.
struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "Work with the report's templates.",
        subcommands: [Export.self])

    /// `ferlab templates export DIR`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the built-in templates to a folder, to edit and pass with --templates.",
            discussion: """
                Keep only the files you change: FERLab reads each file from the folder when it is there and \
                from the built-in set when it is not. A .md.mustache file of your own at the top of the folder \
                becomes an extra page, and other files there (images, say) are copied into the site. \
                Files already in the folder are never replaced: the export stops, naming them, if any differs.
                """)

        @Argument(help: "The folder to write (made if missing).")
        var folder: String

        func run() throws {
            try reportingErrors {
                let files = BuiltInTemplates.files
                try TemplateExport(folder: folder).write(files)
                print("wrote \(files.count) template files to \(folder); use them with --templates \(folder)")
            }
        }
    }
}

/// Writing the built-in templates into a folder without ever replacing
/// anything: a new folder is written beside its place and renamed into it
/// whole; into an existing one each missing file is created (never over a
/// file that appears meanwhile), files already identical are left, and any
/// other entry at a template's path stops the export before it writes.
struct TemplateExport {
    /// The folder, as given.
    let folder: String

    func write(_ files: [String: [UInt8]]) throws {
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        let resolved = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath().path
        guard resolved != "/" && resolved != home else {
            throw FileWriteError(
                path: folder,
                reason: "is \(resolved == "/" ? "the root folder" : "your home folder"); export to a folder of its own")
        }
        switch RegularFile.kind(at: folder) {
        case .missing:
            try writeNewFolder(files)
        case .folder:
            try writeInto(files)
        case .link where RegularFile.kind(at: resolved) == .folder:
            try writeInto(files)
        case .file, .link, .special:
            throw FileWriteError(path: folder, reason: "is not a folder; give a folder to export to")
        }
    }

    private func path(_ name: String, in base: String) -> String {
        (base as NSString).appendingPathComponent(name)
    }

    /// All files into a staging folder beside `folder`, then that folder renamed into place.
    private func writeNewFolder(_ files: [String: [UInt8]]) throws {
        let target = URL(fileURLWithPath: folder).standardizedFileURL
        let parent = target.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError(path: parent, error: error)
        }
        let staging = path(
            ".\(target.lastPathComponent).export-\(ProcessInfo.processInfo.processIdentifier)", in: parent)
        do {
            for (name, bytes) in files.sorted(by: { $0.key < $1.key }) {
                try AtomicFile.create(bytes, at: path(name, in: staging))
            }
            guard ferlab_rename_without_replacing(staging, target.path) == 0 else {
                throw FileWriteError(path: folder, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    /// Each missing file into the existing `folder`, after checking that nothing differing is in the way.
    private func writeInto(_ files: [String: [UInt8]]) throws {
        var missing: [String] = [], differing: [String] = [], blocking: [String] = []
        for name in files.keys.sorted() {
            let target = path(name, in: folder)
            switch RegularFile.kind(at: target) {
            case .missing:
                missing.append(name)
            case .file:
                if RegularFile.contents(target, limit: 16 << 20) != files[name] { differing.append(name) }
            case .folder, .link, .special:
                blocking.append(name)
            }
        }
        func listed(_ names: [String]) -> String {
            names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", ..." : "")
        }
        guard blocking.isEmpty else {
            throw FileWriteError(
                path: folder,
                reason: "holds \(blocking.count) entr\(blocking.count == 1 ? "y" : "ies") that are not regular files "
                    + "where templates go (\(listed(blocking))); export to a new folder")
        }
        guard differing.isEmpty else {
            throw FileWriteError(
                path: folder,
                reason: "already holds \(differing.count) of these files, different from the built-in ones "
                    + "(\(listed(differing))); nothing was written; export to a new folder")
        }
        for name in missing { try AtomicFile.create(files[name] ?? [], at: path(name, in: folder)) }
    }
}
