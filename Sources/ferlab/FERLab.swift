import ArgumentParser
import FERCore
import FERMath
import Foundation

/// The `ferlab` command: unsupervised facial-expression experiments and their reports.
@main
struct FERLab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferlab",
        abstract: "Cluster face images without labels, measure it honestly, and publish the report.",
        discussion: """
            DATA is a FER2013-layout CSV file (plain or .gz), a folder of images \
            (ROOT/<label>/*.png or ROOT/<split>/<label>/*.jpg), or 'synthetic' for \
            the built-in dataset, which is also the default.
            """,
        version: FERLabVersion.current,
        subcommands: [
            RunCommand.self, ServeCommand.self, InspectCommand.self, SynthCommand.self, PredictCommand.self,
            TemplatesCommand.self, CacheCommand.self, RunsCommand.self, DiffCommand.self, CompareCommand.self,
        ]
    )

    /// Starts OpenBLAS without its unused pool of worker threads, then runs the command.
    static func main() async {
        BLASThreads.startWithoutWorkerPool()
        if let problem = unknownCommand(CommandLine.arguments.dropFirst().first) {
            note("ferlab: error: \(problem)")
            Foundation.exit(1)
        }
        await main(nil)
    }

    /// What is wrong with a first argument that is no command (`ferlab rnu`): nothing for a command or an option.
    static func unknownCommand(_ word: String?) -> String? {
        let names = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
        guard let word, !word.hasPrefix("-"), !names.contains(word) else { return nil }
        let hint = NearestName.closest(to: word, among: names).map { "did you mean \($0)? " } ?? ""
        return "\(word) is not a ferlab command; \(hint)(commands: \(names.dropLast().joined(separator: ", ")))"
    }
}
