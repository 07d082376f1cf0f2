import FERCore
import FERData
import FERFeatures
import FERMath
import FERReport
import FERStages
import FERTestSupport
import Foundation
import Testing

@testable import FERExperiment

/// A small, fast experiment on the built-in faces.
func tinyConfig(_ overrides: [String] = []) throws -> ExperimentConfig {
    try ExperimentConfig.parse(TinyExperiment.config, file: "tiny.yaml", overrides: overrides)
}

/// Runs every stage of `config` and of its report's figures against `cache` and returns which stages were
/// computed.
@discardableResult
func runAll(
    _ config: ExperimentConfig, cache: String, force: Bool = false,
    damaged: (@Sendable (String) -> Void)? = nil
) throws -> (
    computed: Set<String>, all: [String], results: ExperimentResults, declared: [String: StageRunner.Declaration]
) {
    let runner = StageRunner(cache: CacheStore(directory: cache), force: force)
    runner.onDamagedEntry = damaged
    let experiment = try Experiment(config: config, configFile: "tiny.yaml", runner: runner)
    try experiment.validate()
    let results = try experiment.results()
    for figure in ReportPages.figures(of: experiment) { _ = try figure.output.get() }
    _ = try experiment.trainedModel.get()
    _ = try ExplorerData.stage(of: experiment).get()
    try runner.finishWrites()
    let table = runner.table
    return (Set(table.filter { $0.status == .computed }.map(\.name)), table.map(\.name), results, runner.declared)
}

@Suite struct IncrementalTests {
    @Test func aSecondRunComputesNothing() throws {
        let cache = try TemporaryDirectory()
        let first = try runAll(tinyConfig(), cache: cache.path)
        #expect(first.computed == Set(first.all))
        let second = try runAll(tinyConfig(), cache: cache.path)
        #expect(second.computed.isEmpty)
        #expect(second.results == first.results)
    }

    @Test func aFigureOptionRedrawsOnlyThoseFigures() throws {
        let cache = try TemporaryDirectory()
        try runAll(tinyConfig(), cache: cache.path)
        let rerun = try runAll(tinyConfig(["figures.point_alpha=0.2"]), cache: cache.path)
        #expect(
            rerun.computed == [
                "figure svd-scatter", "figure svd-scatter-centres", "figure pca-scatter",
                "figure pca-scatter-centres",
            ])
    }

    @Test func theClusterCountRerunsClusteringAndWhatDependsOnIt() throws {
        let cache = try TemporaryDirectory()
        try runAll(tinyConfig(), cache: cache.path)
        let rerun = try runAll(tinyConfig(["models.clusters=3"]), cache: cache.path)
        for stage in [
            "cluster pca", "silhouette pca", "metrics pca", "cluster svd", "figure nearest", "figure confusion",
            "figure silhouette-diagram", "second model", "stability", "explorer data",
        ] {
            #expect(rerun.computed.contains(stage), "\(stage) should rerun")
        }
        for stage in [
            "load", "summary", "sample", "reduce pca", "reduce svd", "grid", "folds", "figure class-balance",
            "figure samples", "figure eigenfaces", "figure grid-heatmap", "explorer sheets",
        ] {
            #expect(!rerun.computed.contains(stage), "\(stage) should come from the cache")
        }
        #expect(rerun.results.models.allSatisfy { $0.clusters == 3 })
    }

    @Test func theScalingRerunsTheReducersButNotTheLoad() throws {
        let cache = try TemporaryDirectory()
        try runAll(tinyConfig(), cache: cache.path)
        let rerun = try runAll(tinyConfig(["preprocessing.scaling=divide-by-255"]), cache: cache.path)
        #expect(rerun.computed.contains("reduce pca") && rerun.computed.contains("grid"))
        #expect(!rerun.computed.contains("load") && !rerun.computed.contains("sample"))
    }

    /// The landmark model's settings rerun the landmarks and the stages of the settings that read them, and only
    /// those; unused, they key nothing.
    @Test func theLandmarkSettingsRerunOnlyWhatReadsTheLandmarks() throws {
        let cache = try TemporaryDirectory()
        let first = try runAll(tinyConfig(["models.features=landmarks"]), cache: cache.path)
        #expect(first.computed.contains("landmarks"))
        let rerun = try runAll(
            tinyConfig(["models.features=landmarks", "features.landmarks.upscale=3"]), cache: cache.path)
        #expect(rerun.computed.isSuperset(of: ["landmarks", "landmark quality", "reduce pca", "reduce svd"]))
        #expect(rerun.computed.isDisjoint(with: ["load", "sample", "reduce hog-pca-50-w", "reduce pixels-pca-2"]))
        #expect(rerun.results != first.results)
        let unused = try TemporaryDirectory()
        let pixels = try runAll(tinyConfig(), cache: unused.path)
        let unchanged = try runAll(tinyConfig(["features.landmarks.upscale=3"]), cache: unused.path)
        #expect(unchanged.computed.isEmpty && unchanged.results == pixels.results)
    }

    @Test func otherDataRerunsEverything() throws {
        let cache = try TemporaryDirectory()
        let first = try runAll(tinyConfig(), cache: cache.path)
        let rerun = try runAll(tinyConfig(["dataset.synthetic.seed=5"]), cache: cache.path)
        #expect(rerun.computed == Set(first.all))
    }

    @Test func editingTheDataFileInvalidatesTheLoad() throws {
        let folder = try TemporaryDirectory(), cache = try TemporaryDirectory()
        var random = SeededGenerator(seed: 3)
        let lines = (0..<140).map { row in
            "\(row % 7),\((0..<64).map { _ in String(random.below(256)) }.joined(separator: " "))"
        }
        let text = "emotion,pixels\n" + lines.joined(separator: "\n") + "\n"
        let path = try folder.write("faces.csv", text: text)
        let config = try tinyConfig([
            "dataset.path=\(path)", "dataset.width=8", "dataset.height=8", "features.compare=[]",
        ])
        try runAll(config, cache: cache.path)
        #expect(try runAll(config, cache: cache.path).computed.isEmpty)
        try folder.write("faces.csv", text: text.replacingOccurrences(of: "\n0,", with: "\n1,"))
        #expect(try runAll(config, cache: cache.path).computed.contains("load"))
    }

    @Test func aDamagedCacheEntryIsRecomputedNotTrusted() throws {
        let cache = try TemporaryDirectory()
        let first = try runAll(tinyConfig(), cache: cache.path)
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path)
        let clusterEntry = try #require(entries.first { $0.hasPrefix("cluster-pca-") })
        let path = cache.file(clusterEntry)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 3] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reported = LockedList()
        let rerun = try runAll(tinyConfig(), cache: cache.path) { reported.append($0) }
        #expect(rerun.computed == ["cluster pca"])
        #expect(reported.items == ["cluster pca"])
        #expect(rerun.results == first.results)

        // A truncated entry too.
        try Data(bytes.prefix(20)).write(to: URL(fileURLWithPath: path))
        #expect(try runAll(tinyConfig(), cache: cache.path).computed == ["cluster pca"])
    }

    @Test func forceRecomputesEverything() throws {
        let cache = try TemporaryDirectory()
        let first = try runAll(tinyConfig(), cache: cache.path)
        let forced = try runAll(tinyConfig(), cache: cache.path, force: true)
        #expect(forced.computed == Set(first.all))
        #expect(forced.results == first.results)
    }

    @Test func valuesTheDataCannotSupportAreRefusedBeforeModelWork() throws {
        let cache = try TemporaryDirectory()
        let config = try tinyConfig([
            "dataset.synthetic.count=20", "grid.enabled=false", "figures.scree_components=2",
            "figures.eigenfaces=2", "models.clusters=30",
        ])
        #expect(
            throws: ConfigError(
                file: "tiny.yaml", line: nil, path: "models.clusters", "is 30, but only 18 rows are fitted")
        ) {
            try runAll(config, cache: cache.path)
        }
    }

    /// Ward clustering holds a limited number of training images: more are refused, naming the key, before any
    /// model is fitted (a split of that many rows stands in for as many images).
    @Test func wardOnMoreTrainingImagesThanItHoldsIsRefused() throws {
        let cache = try TemporaryDirectory()
        let config = try tinyConfig(["features.compare=[{features: pixels, reducer: pca, components: 2, method: ward}]"]
        )
        let experiment = try Experiment(
            config: config, configFile: "tiny.yaml", runner: StageRunner(cache: CacheStore(directory: cache.path)))
        var split = try experiment.sample.get()
        try config.check(against: try experiment.summary.get(), split: split, file: "tiny.yaml")
        split.train = Array(0...WardClustering.exactLimit)
        #expect(
            throws: ConfigError(
                file: "tiny.yaml", line: nil, path: "features.compare[0].method",
                "is ward, which is exact up to 20000 training images, and this run fits 20001; sample fewer (preprocessing.per_class) or choose kmeans or gmm"
            )
        ) {
            try config.check(against: try experiment.summary.get(), split: split, file: "tiny.yaml")
        }
    }

    @Test func featuresTooShortForTheirComponentsAreRefused() throws {
        let folder = try TemporaryDirectory(), cache = try TemporaryDirectory()
        let lines = (0..<140).map { row in
            "\(row % 7),\((0..<64).map { String(($0 * 5 + row) % 256) }.joined(separator: " "))"
        }
        let path = try folder.write("faces.csv", text: "emotion,pixels\n" + lines.joined(separator: "\n") + "\n")
        let config = try tinyConfig(["dataset.path=\(path)", "dataset.width=8", "dataset.height=8"])
        #expect(
            throws: ConfigError(
                file: "tiny.yaml", line: nil, path: "features.compare[1].components",
                "is 50, but hog features of 8x8 images have only 0 values (see features.hog and features.lbp)")
        ) {
            try runAll(config, cache: cache.path)
        }
    }

    @Test func aUsageSplitNeedsUsageValues() throws {
        let cache = try TemporaryDirectory()
        let config = try tinyConfig(["split.method=usage", "split.test_usage=[Holdout]"])
        #expect(throws: ConfigError.self) { try runAll(config, cache: cache.path) }
        let byUsage = try runAll(tinyConfig(["split.method=usage"]), cache: cache.path)
        #expect(byUsage.results.preprocessing.testRows == 21)
    }
}

/// A thread-safe list for callbacks.
final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String] = []
    func append(_ value: String) { lock.withLock { values.append(value) } }
    var items: [String] { lock.withLock { values } }
}

@Suite struct ScalingLeakTests {
    @Test func standardizedHeldOutRowsUseTheTrainingStatistics() throws {
        let config = try tinyConfig(["preprocessing.scaling=standardized"])
        let cache = try TemporaryDirectory()
        let runner = StageRunner(cache: CacheStore(directory: cache.path))
        let experiment = try Experiment(config: config, configFile: "tiny.yaml", runner: runner)
        let data = try experiment.dataset.get(), split = try experiment.sample.get()
        let test = try FeatureMatrices.of(
            FeatureExtractor(ScaledPixels(.standardized)), lighting: .none, dataset: data, split: split,
            landmarks: LandmarkSet(points: []), embeddings: Embeddings(columns: 0, values: [])
        ).test
        let train = data.subset(split.train), held = data.subset(split.test)
        let statistics = Scaling.PixelStatistics(train.pixels[...], rows: train.count, columns: train.pixelsPerImage)
        let expected = Scaling.standardized.apply(
            held.pixels[...], rows: held.count, columns: held.pixelsPerImage,
            statistics: statistics)
        #expect(test == expected)
        // The held-out rows' own statistics would give other values: the test can tell the leak apart.
        #expect(test != Scaling.standardized.apply(held.pixels[...], rows: held.count, columns: held.pixelsPerImage))
    }
}
