import ArgumentParser
import FERData
import Foundation

/// `ferlab-bench`: times FERLab's steps on a real dataset.
@main
struct FERLabBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferlab-bench",
        abstract: "Time FERLab's steps on a dataset (build with -c release).",
        subcommands: [Load.self, NumericsBenchmark.self, ReportBenchmark.self]
    )

    /// Times reading a dataset file.
    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time reading a FER-layout CSV (plain or gzip) into memory.",
            discussion: "Prints the median and best wall time over the repetitions, the throughput in MB/s of file bytes, and the process's peak resident memory."
        )

        @Argument(help: "The CSV or .csv.gz file.")
        var path: String

        @Option(name: .customLong("repeat"), help: "Repetitions.")
        var repetitions: Int = 5

        func run() throws {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            var times: [Double] = []
            var rows = 0
            for _ in 0..<max(1, repetitions) {
                let start = DispatchTime.now().uptimeNanoseconds
                let dataset = try DatasetLoader.load(path: path)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                rows = dataset.count
            }
            times.sort()
            let median = times[times.count / 2]
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let megabytes = Double(size) / 1e6
            print(String(format: "load %@: %d rows, %.1f MB, median %.3f s, best %.3f s, %.0f MB/s, peak RSS %.0f MB",
                         (path as NSString).lastPathComponent, rows, megabytes, median, times[0],
                         megabytes / median, Double(usage.ru_maxrss) / 1024))
        }
    }
}
