import ArgumentParser
import FERRun
import Foundation

/// `ferlab runs`: the run history as a table.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the runs in the history, newest first: the parameters that vary, then the metrics.",
        discussion: """
            The history is history.jsonl in the stage cache: one record per run, with the config values that \
            differ from the defaults, the data's hash and the final model's numbers. Accuracy is held-out, \
            through the Hungarian map; chance is uniform guessing; spread is the accuracy's range over \
            k-means seeds.
            """)

    @Argument(help: "Only the runs of this experiment.")
    var experiment: String?

    @OptionGroup var location: CacheCommand.Location

    @Option(help: ArgumentHelp("Only the runs with this tag (run.tags, --tag).", valueName: "tag"))
    var tag: String?

    @Option(help: ArgumentHelp("Only the runs started on or after this day.", valueName: "YYYY-MM-DD"))
    var since: String?

    @Flag(help: "Print the records as JSON, for other tools.")
    var json = false

    @Flag(help: "Print the table as CSV, every value whole.")
    var csv = false

    @Flag(help: "Show every value whole, however wide the table gets.")
    var wide = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv cannot both be given") }
        if let since, since.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil {
            throw ValidationError("--since \(since): give a day as YYYY-MM-DD, like 2026-12-01")
        }
    }

    func run() throws {
        let (all, warnings) = RunHistory.read(cache: location.folder)
        for warning in warnings { note("warning: \(warning)") }
        let records = all.filter { record in
            (experiment == nil || record.experiment == experiment)
                && (tag == nil || record.tags?.contains(tag ?? "") == true)
                && (since == nil || record.time >= (since ?? ""))
        }
        if csv {
            print(RunTable.csv(records), terminator: "")
        } else if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(Array(records.reversed())), as: UTF8.self))
        } else if records.isEmpty {
            note("no runs\(experiment.map { " of \($0)" } ?? "") in \(location.folder)")
        } else {
            print(RunTable.text(records, width: wide ? nil : Self.terminalWidth()))
        }
    }

    /// The terminal's width (`COLUMNS` when set), or 110 columns when the output is not a terminal.
    static func terminalWidth() -> Int {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 20 {
            return columns
        }
        var size = winsize()
        guard isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 else {
            return 110
        }
        return Int(size.ws_col)
    }
}

/// `ferlab diff A B`: what differs between two runs.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show the parameter and metric differences between two runs.",
        discussion: "A run is its number in `ferlab runs` (1 is the newest) or its site folder (its newest run).")

    @Argument(help: "The first run.")
    var first: String

    @Argument(help: "The second run.")
    var second: String

    @OptionGroup var location: CacheCommand.Location

    /// How the difference is written.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, markdown, json
    }

    @Option(
        help: ArgumentHelp(
            "text, markdown (for a pull request: tables, intervals, links to the changed figures) or json.",
            valueName: "format"))
    var format: Format = .text

    func run() throws {
        try reportingErrors {
            let (records, warnings) = RunHistory.read(cache: location.folder)
            for warning in warnings { note("warning: \(warning)") }
            let runs = try [first, second].map { reference in
                guard let record = RunTable.record(reference, in: records) else {
                    throw ValidationError(
                        "\(reference): no such run in \(location.folder) (\(records.count) runs; "
                            + "give a number from `ferlab runs` or a site folder)")
                }
                return record
            }
            switch format {
            case .markdown:
                print(RunDiff.of(runs[0], runs[1], references: [first, second]).markdown(), terminator: "")
                return
            case .json:
                print(try RunDiff.of(runs[0], runs[1], references: [first, second]).json(), terminator: "")
                return
            case .text: break
            }
            for (reference, run) in zip([first, second], runs) {
                print(
                    "\(reference): \(run.experiment)\(run.name.map { " \"\($0)\"" } ?? ""), \(run.time)"
                        + (run.tags.map { " [\($0.joined(separator: ", "))]" } ?? "")
                        + (run.note.map { ": \($0)" } ?? ""))
            }
            print(RunTable.difference(runs[0], runs[1]))
        }
    }
}
