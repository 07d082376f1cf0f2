import ArgumentParser
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
                let differing = files.keys.sorted().filter { name in
                    let path = (folder as NSString).appendingPathComponent(name)
                    guard let existing = FileManager.default.contents(atPath: path) else { return false }
                    return Array(existing) != files[name]
                }
                guard differing.isEmpty else {
                    throw ValidationError(
                        "\(folder): already holds \(differing.count) of these files, different from the built-in "
                            + "ones (\(differing.prefix(3).joined(separator: ", "))\(differing.count > 3 ? ", ..." : "")); "
                            + "export to a new folder")
                }
                for (name, bytes) in files.sorted(by: { $0.key < $1.key }) {
                    let path = (folder as NSString).appendingPathComponent(name)
                    try FileManager.default.createDirectory(
                        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try AtomicFile.write(bytes, to: path)
                }
                print("wrote \(files.count) template files to \(folder); use them with --templates \(folder)")
            }
        }
    }
}
