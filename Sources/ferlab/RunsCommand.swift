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
            through the Hungarian map; chance is uniform guessing; seed spread is the accuracy's range over \
            k-means seeds.
            """)

    @Argument(help: "Only the runs of this experiment.")
    var experiment: String?

    @OptionGroup var location: CacheCommand.Location

    @Flag(help: "Print the records as JSON, for other tools.")
    var json = false

    func run() throws {
        let (all, warnings) = RunHistory.read(cache: location.folder)
        for warning in warnings { note("warning: \(warning)") }
        let records = all.filter { experiment == nil || $0.experiment == experiment }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(Array(records.reversed())), as: UTF8.self))
        } else if records.isEmpty {
            note("no runs\(experiment.map { " of \($0)" } ?? "") in \(location.folder)")
        } else {
            print(RunTable.text(records))
        }
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
            print("\(first): \(runs[0].experiment), \(runs[0].time)\n\(second): \(runs[1].experiment), \(runs[1].time)")
            print(RunTable.difference(runs[0], runs[1]))
        }
    }
}
