import ArgumentParser
import FERExperiment
import FERRun
import FERStages
import Foundation

/// `ferlab cache`: what the stage cache holds, and pruning it.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Show the stage cache's size and entries by stage; `ferlab cache prune` removes unused entries.",
        subcommands: [Show.self, Prune.self], defaultSubcommand: Show.self)

    /// The cache folder option both subcommands take.
    struct Location: ParsableArguments {
        @Option(help: ArgumentHelp("The stage cache (default: where `ferlab run` puts it here).", valueName: "dir"))
        var cache: String?

        var folder: String { cache ?? OutputLocations().cache }
    }

    /// `ferlab cache [show]`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the cache's size and entries by stage.")

        @OptionGroup var location: Location

        func run() throws {
            try reportingErrors { try CacheFolder.check(location.folder) }
            let contents = CacheContents(folder: location.folder)
            let (records, warnings) = RunHistory.read(cache: location.folder)
            for warning in warnings { note("warning: \(warning)") }
            print(
                "\(location.folder): \(contents.entries.count) entries, \(CacheContents.size(contents.totalBytes)); "
                    + "\(records.count) run\(records.count == 1 ? "" : "s") in its history")
            let width = max(12, (contents.byStage.map(\.stage.count).max() ?? 0) + 2)
            if !contents.entries.isEmpty {
                print("stage".padding(toLength: width, withPad: " ", startingAt: 0) + "entries       size")
            }
            for row in contents.byStage {
                let count = "\(row.entries)", size = CacheContents.size(row.bytes)
                print(
                    row.stage.padding(toLength: width, withPad: " ", startingAt: 0)
                        + String(repeating: " ", count: max(0, 7 - count.count)) + count
                        + String(repeating: " ", count: max(1, 11 - size.count)) + size)
            }
        }
    }

    /// `ferlab cache prune`.
    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the entries none of the last runs of each experiment used.",
            discussion: """
                The run history in the cache (history.jsonl, kept) says which entries each run read or wrote; \
                entries that none of the last --keep runs of any experiment used are removed. A later run \
                recomputes what it needs.
                """)

        @OptionGroup var location: Location

        @Option(help: "Runs of each experiment whose entries are kept.")
        var keep = 3

        @Flag(help: "Say what would be removed, and remove nothing.")
        var dryRun = false

        func validate() throws {
            guard keep >= 1 else { throw ValidationError("--keep must be at least 1") }
        }

        func run() throws {
            try reportingErrors {
                try CacheFolder.check(location.folder)
                let contents = CacheContents(folder: location.folder)
                let (records, warnings) = RunHistory.read(cache: location.folder)
                for warning in warnings { note("warning: \(warning)") }
                let unused = contents.unused(keepingRunsPerExperiment: keep, records: records)
                let bytes = CacheContents.size(unused.reduce(0) { $0 + $1.bytes })
                if dryRun {
                    for entry in unused { print("would remove \(entry.file)") }
                    print("would remove \(unused.count) of \(contents.entries.count) entries (\(bytes))")
                } else {
                    try contents.remove(unused)
                    print("removed \(unused.count) of \(contents.entries.count) entries (\(bytes))")
                }
            }
        }
    }
}
