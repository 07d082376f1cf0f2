import FERCore
import FERFeatures
import FERMath
import FERTestSupport
import Foundation
import Testing

@testable import FERExperiment

@Suite struct ConfigTests {
    private func parse(_ text: String, overrides: [String] = []) throws -> ExperimentConfig {
        try ExperimentConfig.parse(text, file: "exp.yaml", overrides: overrides)
    }

    private func message(_ text: String, overrides: [String] = []) -> String? {
        do {
            _ = try parse(text, overrides: overrides)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func anEmptyFileHasEveryDefault() throws {
        let config = try parse("")
        #expect(config == (try ExperimentConfig.builtInDefault))
        #expect(config.dataset.isSynthetic)
        #expect(config.models.components == 2 && config.models.clusters == nil && config.models.restarts == 10)
        #expect(config.models.features == .pixels && !config.models.whiten)
        #expect(config.split.method == .auto && config.dataset.width == nil)
        #expect(
            config.features.compare.map(\.identifier) == [
                "pixels-pca-2", "hog-pca-50-w", "lbp-pca-50-w", "hog-lbp-pca-50-w",
            ])
        #expect(config.stability.seeds == 5 && config.stability.folds == 10)
        #expect(config.models.reducers == [.truncatedSVD, .pca])
        #expect(config.grid.components == 2...5 && config.grid.clusters == 5...15)
        #expect(config.preprocessing.scaling == .minMaxPerImage)
        #expect(config.clusterMap.method == .hungarian)
    }

    @Test func theShippedExperimentsParse() throws {
        let v1 = try ExperimentConfig.load(path: ProjectFiles.path("Reports/seed-v1.yaml"))
        let v2 = try ExperimentConfig.load(path: ProjectFiles.path("Reports/seed-v2.yaml"))
        #expect(v1.name == "seed-v1" && v1.preprocessing.perClass == 547 && v1.images.nearest == 14)
        #expect(v2.name == "seed-v2" && v2.preprocessing.perClass == 4000 && v2.images.nearest == 30)
        #expect(v1.dataset.path == ProjectFiles.path("Reports/fer2013.csv") && v2.dataset.shownPath == "fer2013.csv")
        let features = try ExperimentConfig.load(path: ProjectFiles.path("Reports/features.yaml"))
        #expect(
            features.preprocessing.perClass == 547 && features.models.features.rawValue == "landmarks"
                && features.models.whiten && features.models.components == 10)
        #expect(features.features.compare.count == 13 && features.dataset.shownPath == "fer2013.csv")
    }

    @Test func valuesAreRead() throws {
        let config = try parse(
            """
            name: trial-1
            seed: 7
            dataset: {path: faces.csv.gz, width: 32, height: 40, labels: [a, b, c]}
            preprocessing: {per_class: 100, sampling: random, scaling: standardized}
            split: {method: usage, test_usage: [PublicTest, PrivateTest]}
            models: {reducers: [pca], final: pca, components: 3, clusters: 9, restarts: 4}
            grid: {enabled: false, components: 3, clusters: [4, 6]}
            figures: {format: svg, scale: 1}
            features:
              hog: {cell: 4, block: 3, orientations: 6, norm: l1-sqrt}
              lbp: {cell: 5}
              compare:
                - {features: hog+lbp, reducer: svd, components: 20, whiten: true}
                - {features: lbp, reducer: pca, components: 10}
            stability: {seeds: 3, folds: 0}
            """)
        #expect(config.name == "trial-1" && config.seed == 7)
        #expect(
            config.features.hog == HOG(cell: 4, block: 3, orientations: 6, norm: .l1Sqrt)
                && config.features.lbp == LBP(cell: 5))
        #expect(
            config.features.compare == [
                FeatureSetting(features: .hogLBP, reducer: .truncatedSVD, components: 20, whiten: true),
                FeatureSetting(features: .lbp, reducer: .pca, components: 10, whiten: false),
            ])
        #expect(config.stability.seeds == 3 && config.stability.folds == 0)
        #expect(config.dataset.path == "faces.csv.gz" && config.dataset.labels == ["a", "b", "c"])
        #expect(config.preprocessing.perClass == 100 && config.preprocessing.sampling == .random)
        #expect(config.preprocessing.seed == 7 && config.models.seed == 7)
        #expect(config.split.testUsage == ["PublicTest", "PrivateTest"])
        #expect(config.models.reducers == [.pca] && config.models.clusters == 9)
        #expect(!config.grid.enabled && config.grid.components == 3...3 && config.grid.clusters == 4...6)
        #expect(config.figures.format == .svg)
    }

    @Test func theFinalReducerIsAlwaysAmongTheModels() throws {
        #expect(try parse("models: {reducers: [svd], final: pca}").models.reducers == [.truncatedSVD, .pca])
    }

    @Test func unknownKeysAreRefusedWithPathLineAndTheNearestKnownKey() {
        #expect(
            message("models:\n  clusters: 7\n  clustres: 8\n")
                == "exp.yaml:3: models.clustres: is not a known key; did you mean clusters? (known here: clusters, components, covariance, features, final, method, reducers, restarts, seed, whiten)"
        )
        #expect(message("colour: red\n")?.hasPrefix("exp.yaml:1: colour: is not a known key; (known here") == true)
        // A section's key is reported on its own line, not on the line of its first value.
        #expect(
            message("name: x\nmodel:\n  clusters: 5\n")?.hasPrefix(
                "exp.yaml:2: model: is not a known key; did you mean models?") == true)
        #expect(NearestName.closest(to: "cluster", among: ["clusters", "components"]) == "clusters")
        #expect(NearestName.closest(to: "xyz", among: ["clusters", "seed"]) == nil)
        #expect(NearestName.editDistance("kitten", "sitting") == 3)
        #expect(NearestName.editDistance("rnu", "run") == 1)
    }

    /// A config file's data path is read from the config file's folder; one given on the command line from the
    /// current folder. Reports show it as written, or only the file name of an absolute path.
    @Test func theDataPathOfAConfigFileIsRelativeToTheFile() throws {
        let folder = try TemporaryDirectory()
        let file = try folder.write("experiments/exp.yaml", text: "dataset: {path: data/faces.csv}\n")
        let config = try ExperimentConfig.load(path: file)
        #expect(config.dataset.path == folder.file("experiments/data/faces.csv"))
        #expect(config.dataset.shownPath == "data/faces.csv")
        let set = try ExperimentConfig.load(path: file, overrides: ["dataset.path=other.csv"])
        #expect(set.dataset.path == "other.csv")
        var given = config
        given.useData(at: "/home/someone/fer2013.csv.gz")
        #expect(given.dataset.path == "/home/someone/fer2013.csv.gz" && given.dataset.shownPath == "fer2013.csv.gz")
        #expect(try ExperimentConfig.load(path: file, overrides: ["dataset.path=synthetic"]).dataset.isSynthetic)
    }

    @Test func aTabIsNamedAsTheProblem() {
        #expect(
            message("models:\n\tclusters: 5\n")
                == "exp.yaml:2: is not valid YAML: this line holds a tab, and YAML indents with spaces only; replace the tab with spaces"
        )
        #expect(message("evidence: {seeds: 2}\n") == "exp.yaml:1: evidence: is now called stability; rename it")
    }

    @Test func wrongTypesAreRefused() {
        #expect(
            message("models:\n  clusters: seven\n")
                == "exp.yaml:2: models.clusters: must be an integer from 2 to 64, not \"seven\"")
        #expect(
            message("grid:\n  components: [2]\n")
                == "exp.yaml:2: grid.components: must be [low, high] with 1 <= low <= high <= 64, not a list")
        #expect(
            message("figures: {format: gif}")?.contains("figures.format: must be one of png, svg, not \"gif\"") == true)
        #expect(message("dataset: synthetic") == "exp.yaml:1: dataset: must be a mapping of keys to values")
        #expect(
            message("models: {reducers: [pca, lda]}")?.contains("must list values from pca, svd, not \"lda\"") == true)
    }

    @Test func impossibleValuesAreRefused() {
        #expect(
            message("preprocessing: {per_class: 0}")?.contains("preprocessing.per_class: must be an integer from 1 to")
                == true)
        #expect(message("models: {clusters: 1}")?.contains("models.clusters: must be an integer from 2 to 64") == true)
        #expect(
            message("dataset: {width: 4, height: 4}\nmodels: {components: 17}")?
                .contains("models.components: must be an integer from 1 to 16") == true)
        #expect(message("grid: {clusters: [9, 5]}")?.contains("grid.clusters: must be [low, high]") == true)
        #expect(
            message("split: {test_fraction: 0}")?.contains("split.test_fraction: must be a number from 0.01 to 0.9")
                == true)
        #expect(
            message("models: {clusters: 7}\ncluster_map: {method: manual, manual: [Happy]}")
                == "exp.yaml: cluster_map.manual: must name one label per cluster (7), not 1")
        #expect(message("name: ../escape")?.contains("name: must use only letters") == true)
    }

    @Test func invalidYAMLNamesTheLine() {
        #expect(message("models:\n  clusters: [1, 2\n")?.hasPrefix("exp.yaml:3: is not valid YAML") == true)
    }

    @Test func overridesSetValuesAndAddKeys() throws {
        let config = try parse(
            "models: {clusters: 7}",
            overrides: [
                "models.clusters=9", "grid.components=[2, 3]",
                "dataset.synthetic.count=300",
            ])
        #expect(config.models.clusters == 9)
        #expect(config.grid.components == 2...3)
        #expect(config.dataset.syntheticCount == 300)
    }

    @Test func badOverridesAreRefused() {
        #expect(
            message("", overrides: ["models.clusters"])
                == "--set: \"models.clusters\" must have the form key.path=value")
        #expect(
            message("", overrides: ["models.clusters=many"])?.contains("models.clusters: must be an integer") == true)
        // Problems with what a --set gave are the --set's, named as typed, not a line of the file.
        #expect(
            message("name: exp\n", overrides: ["models.cluster=5"])
                == "--set models.cluster=5: models.cluster: is not a known key; did you mean clusters? (known here: clusters, components, covariance, features, final, method, reducers, restarts, seed, whiten)"
        )
        #expect(
            message("", overrides: ["model.clusters=5"])?.hasPrefix(
                "--set model.clusters=5: model: is not a known key; did you mean models?") == true)
        #expect(
            message("", overrides: ["models.clusters=many"])?.hasPrefix(
                "--set models.clusters=many: models.clusters: must be an integer") == true)
        #expect(message("name: exp", overrides: ["name.first=x"])?.contains("cannot set a key inside name") == true)
        #expect(
            message("", overrides: ["name.first=x"])?.contains("name: must be a non-empty text, not a mapping") == true)
    }

    @Test func flattenedParametersCoverEveryKeyOnce() throws {
        let flat = try ExperimentConfig.builtInDefault.flattened
        #expect(flat["models.clusters"] == "null")
        #expect(flat["features.compare"]?.contains("HOG, PCA 50, whitened") == true)
        #expect(flat["grid.components"] == "[2, 5]")
        #expect(flat["dataset.synthetic.count"] == "5000")
    }

    @Test func missingConfigFile() {
        #expect(throws: ConfigError(file: "/nonexistent/x.yaml", line: nil, path: "", "no such file")) {
            try ExperimentConfig.load(path: "/nonexistent/x.yaml")
        }
    }
}
