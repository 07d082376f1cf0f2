import FERData
import FERFeatures
import FERLandmarks
import FERMath
import Foundation
import Yams

extension ExperimentConfig {
    /// The built-in default experiment (also shipped as `Reports/default.yaml`).
    public static let builtInDefaultText = """
        # The default experiment: FERLab's built-in synthetic faces, no download needed.
        # Every key below has this value when a config file leaves it out.
        name: default
        seed: 0
        dataset:
          path: synthetic          # or a FER2013-layout CSV (.csv, .csv.gz) or an image folder
          width: null              # image size; null takes it from the data
          height: null
          synthetic:
            count: 5000
            seed: 2013
        preprocessing:
          per_class: null          # at most this many images per label; null keeps all
          sampling: first          # first | random
          scaling: minmax-per-image  # minmax-per-image | divide-by-255 | standardized
          lighting: none           # none | equalize | tan-triggs (each image, before its features)
          export_subset: false     # true (subset.csv.gz) or a file name: the rows used, in the site, FER2013's layout
        split:
          method: auto             # auto (usage if the data has test_usage rows, else fraction) | fraction | usage
          test_fraction: 0.1
          test_usage: [PrivateTest]
          groups: null             # a CSV column, or {pattern: REGEX} on image paths: one subject's images stay on one side
        models:
          features: pixels         # pixels | hog | lbp | hog+lbp | landmarks | aligned-hog | landmarks+aligned-hog
          whiten: false            # scale components to unit variance before k-means
          reducers: [svd, pca]     # compared on the first-model page
          final: pca
          components: 2
          clusters: null           # null: one cluster per label
          restarts: 10
        grid:
          enabled: true
          components: [2, 5]
          clusters: [5, 15]
          restarts: 10
        features:
          hog: {cell: 6, block: 2, orientations: 9, norm: l2-hys}  # norm: l1 | l1-sqrt | l2 | l2-hys
          lbp: {cell: 8}
          landmarks:               # dlib's 68-point face model, for landmarks and aligned-hog
            model: /usr/share/dlib/shape_predictor_68_face_landmarks.dat  # from Debian's libdlib-data
            upscale: 4             # the image is enlarged this many times (bilinear) for the model
            inset: 0.08            # the face box is the image inset by this fraction on every side
            face: crop             # crop (face crops: the inset box) | detect (dlib's face detector; photos)
          blocks: {landmarks: 20, aligned-hog: 60}  # components of each block in landmarks+aligned-hog
          compare:                 # settings compared on the features page
            - {features: pixels, reducer: pca, components: 2, whiten: false}
            - {features: hog, reducer: pca, components: 50, whiten: true}
            - {features: lbp, reducer: pca, components: 50, whiten: true}
            - {features: hog+lbp, reducer: pca, components: 50, whiten: true}
        stability:
          seeds: 5                 # k-means reruns with other seeds
          folds: 10                # folds of the cross-validated silhouette
        silhouette:
          sample: 20000            # above this many rows, the mean over seeded samples of this size; null: always exact
          repeats: 3               # samples taken (their spread is shown)
        cluster_map:
          method: hungarian        # hungarian | majority | manual
          manual: []               # for manual: one label name per cluster
        images:
          nearest: 30
          random: 5
          samples_per_class: 2
          explorer: 25000          # training images in the explorer page at most; a seeded sample above it
        figures:
          format: png              # png | svg
          scale: 2
          scree_components: 20
          eigenfaces: 8
          point_alpha: 0.45
          point_size: 2
        report:
          paper: a4                # a4 | letter (the write-up's PDF and printed pages)
          date: null               # the date the write-up shows, as written; null: none (reruns write the same bytes)
          templates: null          # a folder of templates over the built-in ones, relative to this file
        sweep: {}                  # key: [values] (models.clusters: [5, 7, 9]) runs every combination, like --sweep

        """

    /// The built-in default experiment.
    public static var builtInDefault: ExperimentConfig {
        get throws { try parse(builtInDefaultText, file: "built-in default experiment") }
    }

    /// Reads the config file at `path`, then applies `overrides` (`key.path=value`).
    public static func load(path: String, overrides: [String] = []) throws -> ExperimentConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            throw ConfigError(
                file: path, line: nil, path: "", exists ? "cannot read the file as UTF-8 text" : "no such file")
        }
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var config = try parse(text, file: path, overrides: overrides, defaultName: base)
        // A data path written in the file is relative to the file, as DVC, Quarto and Hydra read theirs; one given
        // with --set is relative to the current folder, like every path typed at the command line.
        let folder = (path as NSString).deletingLastPathComponent
        let setOnCommandLine = overrides.contains { $0.hasPrefix("dataset.path=") || $0.hasPrefix("dataset=") }
        if !config.dataset.isSynthetic, !config.dataset.path.hasPrefix("/"), !folder.isEmpty, !setOnCommandLine {
            config.dataset.path = (folder as NSString).appendingPathComponent(config.dataset.path)
        }
        return config
    }

    /// Uses the dataset at `path` (relative to the current folder) instead of the config's.
    public mutating func useData(at path: String) {
        dataset.path = path
        dataset.shownPath = DatasetSection.shown(path)
    }

    /// Parses config text; `file` names it in errors.
    public static func parse(
        _ text: String, file: String, overrides: [String] = [],
        defaultName: String = "default"
    ) throws -> ExperimentConfig {
        var root: Node
        do {
            root = try Yams.compose(yaml: text) ?? Node.mapping(Node.Mapping([]))
        } catch let error as YamlError {
            let line = Self.line(of: error)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if let line, line >= 1, line <= lines.count, lines[line - 1].contains("\t") {
                throw ConfigError(
                    file: file, line: line, path: "",
                    "is not valid YAML: this line holds a tab, and YAML indents with spaces only; replace the tab with spaces"
                )
            }
            throw ConfigError(file: file, line: line, path: "", "is not valid YAML: \(Self.problem(of: error))")
        }
        try Self.checkSize(of: root, file: file)
        let parsed = try overrides.map { try ConfigOverride($0, file: file) }
        for override in parsed { root = try override.applied(to: root) }
        do {
            return try read(root, file: file, defaultName: defaultName)
        } catch let error as ConfigError {
            // A problem with a key a --set gave (or inside it, or above it) is the --set's, not the file's.
            let key = error.path
            guard
                let culprit = parsed.last(where: { override in
                    let set = override.path.joined(separator: ".")
                    return !key.isEmpty && (set == key || set.hasPrefix(key + ".") || key.hasPrefix(set + "."))
                })
            else { throw error }
            throw ConfigError(file: "--set \(culprit.text)", line: nil, path: error.path, error.message)
        }
    }

    /// The most values a config may hold, aliases expanded (FERLab's own configs hold a few hundred).
    static let largestValueCount = 100_000

    /// Refuses a config whose values, with YAML aliases expanded, number more than `largestValueCount`: aliases
    /// of aliases can stand for more values than any memory holds. Counting stops at the limit.
    private static func checkSize(of root: Node, file: String) throws {
        var count = 0
        var pending = [root]
        while let node = pending.popLast() {
            count += 1
            guard count <= largestValueCount else {
                throw ConfigError(
                    file: file, line: nil, path: "",
                    "holds more than \(largestValueCount) values once its YAML aliases (*name) are expanded; "
                        + "a FERLab config needs a few hundred")
            }
            if let sequence = node.sequence { pending.append(contentsOf: sequence) }
            if let mapping = node.mapping {
                for (key, value) in mapping {
                    pending.append(key)
                    pending.append(value)
                }
            }
        }
    }

    private static func read(_ root: Node, file: String, defaultName: String) throws -> ExperimentConfig {
        var top = try ConfigSection(root, path: "", file: file)
        let name = try top.string("name", default: defaultName)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), !name.hasPrefix(".")
        else {
            throw ConfigError(
                file: file, line: nil, path: "name",
                "must use only letters, digits, '-', '_' and '.' (it names the site folder), not \"\(name)\"")
        }
        let seed = try top.seed("seed", default: 0)

        var datasetSection = try top.section("dataset")
        var synthetic = try datasetSection.section("synthetic")
        let dataPath = try datasetSection.string("path", default: "synthetic")
        let dataset = DatasetSection(
            path: dataPath, shownPath: DatasetSection.shown(dataPath),
            width: try datasetSection.optionalInt("width", default: nil, in: 1...DatasetOptions.largestSide),
            height: try datasetSection.optionalInt("height", default: nil, in: 1...DatasetOptions.largestSide),
            labels: try datasetSection.strings("labels", default: nil, distinct: true),
            syntheticCount: try synthetic.int("count", default: 5000, in: 20...1_000_000),
            syntheticSeed: try synthetic.seed("seed", default: 2013))
        try synthetic.finish()
        try datasetSection.finish()
        // With the size from the data, component counts are checked once it is read.
        let pixels =
            dataset.width.flatMap { width in dataset.height.map { width * $0 } } ?? DatasetOptions.largestSide
            * DatasetOptions.largestSide

        var preprocessingSection = try top.section("preprocessing")
        let preprocessing = PreprocessingSection(
            perClass: try preprocessingSection.optionalInt("per_class", default: nil, in: 1...10_000_000),
            sampling: try preprocessingSection.choice("sampling", default: .first),
            scaling: try preprocessingSection.choice("scaling", default: .minMaxPerImage),
            lighting: try preprocessingSection.choice("lighting", default: Lighting.none),
            seed: try preprocessingSection.seed("seed", default: seed),
            exportSubset: try preprocessingSection.siteFileName(
                "export_subset", default: "subset.csv.gz", extensions: [".csv", ".csv.gz"]))
        try preprocessingSection.finish()
        if preprocessing.exportSubset == "images.csv" {
            throw ConfigError(
                file: file, line: nil, path: "preprocessing.export_subset",
                "images.csv is the site's table of images; choose another name")
        }

        var splitSection = try top.section("split")
        let split = SplitSection(
            method: try splitSection.choice("method", default: .auto),
            testFraction: try splitSection.double("test_fraction", default: 0.1, in: 0.01...0.9),
            testUsage: try splitSection.strings("test_usage", default: ["PrivateTest"]) ?? [],
            seed: try splitSection.seed("seed", default: seed),
            groups: try splitSection.groupSource("groups"))
        try splitSection.finish()

        var modelsSection = try top.section("models")
        var models = ModelsSection(
            features: try modelsSection.choice("features", default: .pixels),
            whiten: try modelsSection.bool("whiten", default: false),
            reducers: try modelsSection.choices("reducers", default: [.truncatedSVD, .pca]),
            final: try modelsSection.choice("final", default: .pca),
            components: try modelsSection.int("components", default: 2, in: 1...min(pixels, 1024)),
            clusters: try modelsSection.optionalInt("clusters", default: nil, in: 2...64),
            restarts: try modelsSection.int("restarts", default: 10, in: 1...1000),
            seed: try modelsSection.seed("seed", default: seed))
        try modelsSection.finish()
        if !models.reducers.contains(models.final) { models.reducers.append(models.final) }
        models.reducers = models.reducers.reduce(into: []) { unique, reducer in
            if !unique.contains(reducer) { unique.append(reducer) }
        }

        var gridSection = try top.section("grid")
        let grid = GridSection(
            enabled: try gridSection.bool("enabled", default: true),
            components: try gridSection.range("components", default: 2...5, within: 1...min(pixels, 64)),
            clusters: try gridSection.range("clusters", default: 5...15, within: 2...64),
            restarts: try gridSection.int("restarts", default: 10, in: 1...1000))
        try gridSection.finish()

        var mapSection = try top.section("cluster_map")
        let clusterMap = ClusterMapSection(
            method: try mapSection.choice("method", default: .hungarian),
            manual: try mapSection.strings("manual", default: []) ?? [])
        if clusterMap.method == .manual, let clusters = models.clusters, clusterMap.manual.count != clusters {
            throw ConfigError(
                file: file, line: nil, path: "cluster_map.manual",
                "must name one label per cluster (\(clusters)), not \(clusterMap.manual.count)")
        }
        try mapSection.finish()

        var imagesSection = try top.section("images")
        let images = ImagesSection(
            nearest: try imagesSection.int("nearest", default: 30, in: 1...200),
            random: try imagesSection.int("random", default: 5, in: 1...200),
            samplesPerClass: try imagesSection.int("samples_per_class", default: 2, in: 1...50),
            explorer: try imagesSection.int("explorer", default: 25_000, in: 1...200_000))
        try imagesSection.finish()

        var figuresSection = try top.section("figures")
        let figures = FiguresSection(
            format: try figuresSection.choice("format", default: .png),
            scale: try figuresSection.double("scale", default: 2, in: 0.5...4),
            screeComponents: try figuresSection.int("scree_components", default: 20, in: 1...min(pixels, 200)),
            eigenfaces: try figuresSection.int("eigenfaces", default: 8, in: 1...min(pixels, 32)),
            pointAlpha: try figuresSection.double("point_alpha", default: 0.45, in: 0.01...1),
            pointSize: try figuresSection.double("point_size", default: 2, in: 0.5...10))
        try figuresSection.finish()

        var featuresSection = try top.section("features")
        var hogSection = try featuresSection.section("hog"), lbpSection = try featuresSection.section("lbp")
        let hog = HOG(
            cell: try hogSection.int("cell", default: 6, in: HOG.cells),
            block: try hogSection.int("block", default: 2, in: HOG.blocks),
            orientations: try hogSection.int("orientations", default: 9, in: HOG.orientationCounts),
            norm: try hogSection.choice("norm", default: .l2Hys))
        let lbp = LBP(cell: try lbpSection.int("cell", default: 8, in: LBP.cells))
        try hogSection.finish()
        try lbpSection.finish()
        var landmarksSection = try featuresSection.section("landmarks")
        let landmarks = LandmarksSection(
            model: try landmarksSection.string("model", default: LandmarkModel.debianPath),
            upscale: try landmarksSection.int("upscale", default: 4, in: 1...16),
            inset: try landmarksSection.double("inset", default: 0.08, in: 0...0.4),
            face: try landmarksSection.choice("face", default: .crop))
        try landmarksSection.finish()
        var blocksSection = try featuresSection.section("blocks")
        let blocks = BlocksSection(
            landmarks: try blocksSection.int("landmarks", default: 20, in: 1...FaceShape.inner.count * 2),
            alignedHOG: try blocksSection.int("aligned-hog", default: 60, in: FeatureExtractor.blockComponents))
        try blocksSection.finish()
        let defaultComparison = [
            FeatureSetting(features: .pixels, reducer: .pca, components: 2, whiten: false),
            FeatureSetting(features: .hog, reducer: .pca, components: 50, whiten: true),
            FeatureSetting(features: .lbp, reducer: .pca, components: 50, whiten: true),
            FeatureSetting(features: .hogLBP, reducer: .pca, components: 50, whiten: true),
        ]
        let comparison =
            try featuresSection.sections("compare")?.map { item -> FeatureSetting in
                var setting = item
                let result = FeatureSetting(
                    features: try setting.choice("features", default: .pixels),
                    reducer: try setting.choice("reducer", default: .pca),
                    components: try setting.int("components", default: 2, in: 1...1024),
                    whiten: try setting.bool("whiten", default: false))
                try setting.finish()
                return result
            } ?? defaultComparison
        try featuresSection.finish()

        var stabilitySection = try top.section("stability")
        let stability = StabilitySection(
            seeds: try stabilitySection.int("seeds", default: 5, in: 0...50),
            folds: try stabilitySection.int("folds", default: 10, in: 0...50))
        if stability.folds == 1 {
            throw ConfigError(file: file, line: nil, path: "stability.folds", "must be 0 (off) or at least 2, not 1")
        }
        try stabilitySection.finish()
        var silhouetteSection = try top.section("silhouette")
        let silhouette = SilhouetteSection(
            sample: try silhouetteSection.optionalInt("sample", default: 20_000, in: 100...10_000_000),
            repeats: try silhouetteSection.int("repeats", default: 3, in: 1...20))
        try silhouetteSection.finish()
        var reportSection = try top.section("report")
        let report = ReportOptions(
            paper: try reportSection.choice("paper", default: .a4), date: try reportSection.optionalString("date"),
            templates: try reportSection.optionalString("templates"))
        try reportSection.finish()
        let sweep = try top.sweep("sweep")
        try top.finish()

        return ExperimentConfig(
            name: name, seed: seed, dataset: dataset, preprocessing: preprocessing, split: split,
            models: models, grid: grid, clusterMap: clusterMap, images: images, figures: figures,
            features: FeaturesSection(hog: hog, lbp: lbp, landmarks: landmarks, blocks: blocks, compare: comparison),
            stability: stability,
            silhouette: silhouette, report: report, sweep: sweep)
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _),
            .reader(let problem, _, _, _):
            return problem
        case .duplicatedKeysInMapping(let duplicates, _):
            return "keys given twice: \(duplicates.joined(separator: ", "))"
        default:
            return "\(error)"
        }
    }
}
