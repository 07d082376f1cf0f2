import ArgumentParser
import FERMath

/// `ferlab-bench`: times FERLab's steps on a dataset, for `Scripts/bench`.
@main
struct FERLabBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferlab-bench",
        abstract:
            "Time FERLab's steps on a dataset (build with -c release; Scripts/bench runs it beside the reference).",
        subcommands: [
            StepsBenchmark.self, LandmarksBenchmark.self, PredictBenchmark.self, TSNEBenchmark.self,
            ReducerSampleBenchmark.self,
        ]
    )

    /// Starts OpenBLAS without its unused pool of worker threads, then runs the benchmark.
    static func main() {
        BLASThreads.startWithoutWorkerPool()
        main(nil)
    }
}
