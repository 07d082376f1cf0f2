import ArgumentParser
import FERReport
import FERRun
import Foundation

/// `ferlab compare SITE...`: a comparison site of runs.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract:
            "Write a comparison site of report sites (of one experiment or several): what differs, and the metrics.",
        discussion: """
            Reads each site's results.json and run.json. The page names the experiments compared, gives each \
            metric with its 95% interval, then the values that differ (long ones folded; those every run \
            shares behind a toggle). The table sorts by any column in a browser; a chart shows accuracy, \
            silhouette and NMI against a parameter that takes three or more values while the rest stay the \
            same; --by picks the best run (metrics: \(ComparisonSite.metrics.map(\.key).joined(separator: ", "))).
            """)

    @Argument(help: "The report sites to compare.")
    var sites: [String]

    @Option(help: ArgumentHelp("The comparison site (default: comparison beside where sites go).", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("The metric the best run is picked by.", valueName: "metric"))
    var by = "accuracy_hungarian"

    @Option(help: ArgumentHelp("A folder of templates over the built-in ones.", valueName: "dir"))
    var templates: String?

    func validate() throws {
        guard sites.count >= 2 else { throw ValidationError("give at least two sites to compare") }
    }

    func run() throws {
        try reportingErrors {
            let folder = out ?? OutputLocations().site(experiment: "comparison")
            // A site is named by its folder unless its run has a name; the page numbers names given twice.
            let runs = try sites.map { site in
                try ComparisonSite.run(
                    site: site, name: ((site as NSString).standardizingPath as NSString).lastPathComponent,
                    link: Self.relative(from: folder, to: site) + "/index.html")
            }
            let options = ExperimentRun.Options(templatesDirectory: templates)
            try ComparisonRun.publish(
                runs, title: ComparisonSite.experimentsText(runs), by: by,
                to: try ComparisonRun.folder(folder, inputs: sites, options: options), options: options)
            print("comparison: \((folder as NSString).appendingPathComponent("index.html"))")
        }
    }

    /// The path of `target` relative to the folder `base`.
    static func relative(from base: String, to target: String) -> String {
        func parts(_ path: String) -> [String] {
            URL(fileURLWithPath: path).standardizedFileURL.pathComponents.filter { $0 != "/" }
        }
        let from = parts(base), to = parts(target)
        var shared = 0
        while shared < min(from.count, to.count) && from[shared] == to[shared] { shared += 1 }
        let path = Array(repeating: "..", count: from.count - shared) + to[shared...]
        return path.isEmpty ? "." : path.joined(separator: "/")
    }
}
