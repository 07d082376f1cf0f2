import ArgumentParser
import FERData
import Foundation

/// `ferlab inspect`: what the data-exploration milestone printed.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe a dataset: rows, columns, label codes and counts, usage values, missing values.",
        discussion: "Every row is read and checked; the first bad row stops it with the file, line and problem."
    )

    @OptionGroup var dataset: DatasetArguments

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            let loaded = try dataset.load()
            let summary = DatasetSummary(loaded)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(summary), as: UTF8.self))
            } else {
                print(summary.text())
            }
        }
    }
}
