import FERData
import FERFeatures
import FERLandmarks
import FERMath

/// Every key of an experiment's config, each declared once, in the order the
/// default file writes them (keys it leaves out sit where they are read).
enum ConfigSchema {
    /// The most pixels an image may have given the configured size (the largest allowed when the size comes
    /// from the data): what component counts are checked against before the data is read.
    private static func pixels(_ config: ExperimentConfig) -> Int {
        config.dataset.width.flatMap { width in config.dataset.height.map { width * $0 } }
            ?? DatasetOptions.largestSide * DatasetOptions.largestSide
    }

    /// The compared settings of the features page by default.
    static let defaultComparison = [
        FeatureSetting(features: .pixels, reducer: .pca, components: 2, whiten: false),
        FeatureSetting(features: .hog, reducer: .pca, components: 50, whiten: true),
        FeatureSetting(features: .lbp, reducer: .pca, components: 50, whiten: true),
        FeatureSetting(features: .hogLBP, reducer: .pca, components: 50, whiten: true),
    ]

    /// The sections the default file writes on one line or with a comment, and those shown as one value.
    static let groups: [String: ConfigGroup] = [
        "features.hog": ConfigGroup(
            path: "features.hog", inline: true, comment: "norm: l1 | l1-sqrt | l2 | l2-hys",
            flatten: {
                let hog = $0.features.hog
                return
                    "cell \(hog.cell), block \(hog.block), orientations \(hog.orientations), norm \(hog.norm.rawValue)"
            }),
        "features.lbp": ConfigGroup(
            path: "features.lbp", inline: true, comment: nil, flatten: { "cell \($0.features.lbp.cell)" }),
        "features.landmarks": ConfigGroup(
            path: "features.landmarks", inline: false,
            comment: "dlib's 68-point face model, for landmarks and aligned-hog",
            flatten: {
                let landmarks = $0.features.landmarks
                return
                    "model \(landmarks.model), upscale \(landmarks.upscale), inset \(landmarks.inset), face \(landmarks.face.rawValue)"
            }),
        "features.blocks": ConfigGroup(
            path: "features.blocks", inline: true, comment: "components of each block in landmarks+aligned-hog",
            flatten: { "landmarks \($0.features.blocks.landmarks), aligned-hog \($0.features.blocks.alignedHOG)" }),
    ]

    /// Every key, in order.
    static let keys: [ConfigKey] =
        general + dataset + preprocessing + split + models + grid + features + checks + images + figures + report
        + runKeys

    private static let general: [ConfigKey] = [
        .key(
            "name", \.name, .string, default: "default", fallbackFrom: { $0.name }, shown: "file name",
            meaning: "names the site folder `Reports/_site/<name>/`",
            check: { name, _ in
                name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) && !name.hasPrefix(".")
                    ? nil
                    : "must use only letters, digits, '-', '_' and '.' (it names the site folder), not \"\(name)\""
            }),
        .key(
            "seed", \.seed, .seed, default: 0,
            meaning: "seed of every random choice, unless a section sets its own `seed`"),
    ]

    private static let dataset: [ConfigKey] = [
        .key(
            "dataset.path", \.dataset.path, .string, default: "synthetic",
            comment: "or a FER2013-layout CSV (.csv, .csv.gz) or an image folder",
            meaning:
                "`synthetic`, a FER-layout CSV (`.csv`, `.csv.gz`) or an image folder; in a config file relative to the file's folder, with `--data` or `--set` to the current folder"
        ),
        .key(
            "dataset.width", \.dataset.width, .optionalInt(1...DatasetOptions.largestSide), default: nil,
            comment: "image size; null takes it from the data",
            meaning:
                "image width; `null` takes it from the data (images of other sizes in a folder are resized to the first one's)"
        ),
        .key(
            "dataset.height", \.dataset.height, .optionalInt(1...DatasetOptions.largestSide), default: nil,
            meaning: "image height; `null` takes it from the data"),
        .key(
            "dataset.labels", \.dataset.labels, .optionalStrings, default: nil, inDefaultFile: false,
            shown: "FER2013's emotions", meaning: "names of a CSV's label codes", alternatives: ["[a, b, c, d]"]),
        .key(
            "dataset.synthetic.count", \.dataset.syntheticCount, .int(20...1_000_000), default: 5000,
            meaning: "size of the built-in dataset", flattenedWhen: { $0.dataset.isSynthetic }),
        .key(
            "dataset.synthetic.seed", \.dataset.syntheticSeed, .seed, default: 2013,
            meaning: "seed of the built-in dataset", flattenedWhen: { $0.dataset.isSynthetic }),
    ]

    private static let preprocessing: [ConfigKey] = [
        .key(
            "preprocessing.per_class", \.preprocessing.perClass, .optionalInt(1...10_000_000), default: nil,
            comment: "at most this many images per label; null keeps all", shown: "`null` (all)",
            meaning: "at most this many images per label"),
        .key(
            "preprocessing.sampling", \.preprocessing.sampling, .choice, default: .first, comment: "first | random",
            meaning: "`first` rows of each label (the notebooks) or `random`"),
        .key(
            "preprocessing.scaling", \.preprocessing.scaling, .choice, default: .minMaxPerImage,
            comment: "minmax-per-image | divide-by-255 | standardized",
            meaning:
                "`minmax-per-image` (the notebooks), `divide-by-255` or `standardized` (each pixel position to zero mean and unit variance over the training images; held-out images get the same statistics)"
        ),
        .key(
            "preprocessing.lighting", \.preprocessing.lighting, .choice, default: Lighting.none,
            comment: "none | equalize | tan-triggs (each image, before its features)",
            meaning:
                "lighting normalisation of each image before its features: `none`, `equalize` (histogram equalisation, scikit-image's `equalize_hist`) or `tan-triggs` (Tan and Triggs: gamma 0.2, difference of Gaussians with sigmas 1 and 2, contrast equalisation with alpha 0.1 and tau 10); landmarks are placed on the images as they are"
        ),
        .key(
            "preprocessing.export_subset", \.preprocessing.exportSubset,
            .siteFile(named: "subset.csv.gz", extensions: [".csv", ".csv.gz"]), default: nil,
            comment: "true (subset.csv.gz) or a file name: the rows used, in the site, FER2013's layout",
            meaning:
                "the rows the run used, written into the site in FER2013's layout (as the notebooks wrote `face-emo.csv`): `true` for `subset.csv.gz`, or a file name ending in `.csv` or `.csv.gz`",
            check: { name, _ in
                name == "images.csv" ? "images.csv is the site's table of images; choose another name" : nil
            }),
        .key(
            "preprocessing.seed", \.preprocessing.seed, .seed, default: 0, fallbackFrom: { $0.seed },
            inDefaultFile: false, shown: "`seed`", meaning: "seed of the `random` sampling"),
    ]

    private static let split: [ConfigKey] = [
        .key(
            "split.method", \.split.method, .choice, default: .auto,
            comment: "auto (usage if the data has test_usage rows, else fraction) | fraction | usage",
            meaning:
                "`usage` (rows whose Usage is in `split.test_usage` are held out), `fraction` (stratified, seeded), or `auto`: `usage` when the data has such rows, else `fraction`"
        ),
        .key(
            "split.test_fraction", \.split.testFraction, .double(0.01...0.9), default: 0.1,
            meaning: "held-out share for `fraction`"),
        .key(
            "split.test_usage", \.split.testUsage, .strings(), default: ["PrivateTest"],
            meaning: "held-out usages for `usage`", alternatives: ["[PublicTest]"]),
        .key(
            "split.groups", \.split.groups, .groupSource, default: nil,
            comment: "a CSV column, or {pattern: REGEX} on image paths: one subject's images stay on one side",
            meaning:
                "what names each image's group (its subject): a CSV column's name, or `{pattern: REGEX}` whose first capture group, searched in each image's path relative to the dataset folder, names it (`{pattern: '^[^/]+/(S[0-9]+)_'}` for `happy/S010_004_00000017.png`). Every split keeps a group on one side: `fraction` holds out whole groups, stratified by each group's most common label; `usage` puts a group where most of its images' usages put it; the stability folds and the second model's calibration images are whole groups; intervals resample whole held-out groups"
        ),
        .key(
            "split.seed", \.split.seed, .seed, default: 0, fallbackFrom: { $0.seed }, inDefaultFile: false,
            shown: "`seed`", meaning: "seed of the `fraction` split"),
    ]

    /// `a, b or c`.
    private static func alternatives(_ items: [String]) -> String {
        items.count < 2 ? items.joined() : items.dropLast().joined(separator: ", ") + " or " + (items.last ?? "")
    }

    private static let models: [ConfigKey] = [
        .key(
            "models.features", \.models.features, .choice, default: .pixels,
            comment: FeatureKind.allCases.map(\.rawValue).joined(separator: " | "),
            meaning: "what the models see: " + alternatives(FeatureKind.allCases.map(\.summary))),
        .key(
            "models.whiten", \.models.whiten, .bool, default: false,
            comment: "scale components to unit variance before k-means",
            meaning: "scale every component to unit variance before k-means"),
        .key(
            "models.reducers", \.models.reducers, .choices(), default: [.truncatedSVD, .pca],
            comment: "compared on the first-model page", meaning: "reducers compared on the first-model page",
            alternatives: ["[pca]"]),
        .key(
            "models.final", \.models.final, .choice, default: .pca, meaning: "the reducer of the final model",
            alternatives: ["svd"]),
        .key(
            "models.components", \.models.components, .int { 1...min(pixels($0), 1024) }, default: 2,
            meaning: "components kept"),
        .key(
            "models.clusters", \.models.clusters, .optionalInt(2...64), default: nil,
            comment: "null: one cluster per label", meaning: "clusters fitted; `null` fits one per label"),
        .key(
            "models.method", \.models.method, .choice, default: .kmeans,
            comment: ClusterMethod.allCases.map(\.rawValue).joined(separator: " | "),
            meaning: "how the components are clustered: "
                + alternatives(ClusterMethod.allCases.map { "`\($0.rawValue)` (\($0.type.summary))" }),
            alternatives: ["gmm"]),
        .key(
            "models.covariance", \.models.covariance, .choice, default: .full, inDefaultFile: false,
            meaning:
                "each Gaussian mixture component's covariance: `full` or `diag` (one variance per feature and component), as scikit-learn's `covariance_type`"
        ),
        .key(
            "models.restarts", \.models.restarts, .int(1...1000), default: 10,
            meaning: "restarts of k-means and Gaussian mixtures (`n_init`), the best fit kept"),
        .key(
            "models.seed", \.models.seed, .seed, default: 0, fallbackFrom: { $0.seed }, inDefaultFile: false,
            shown: "`seed`", meaning: "seed of the reducers' sketches and of the clusterer"),
    ]

    private static let grid: [ConfigKey] = [
        .key("grid.enabled", \.grid.enabled, .bool, default: true, meaning: "run the grid search"),
        .key(
            "grid.components", \.grid.components, .range { 1...min(pixels($0), 64) }, default: 2...5,
            meaning: "components tried by the grid"),
        .key(
            "grid.clusters", \.grid.clusters, .range { _ in 2...64 }, default: 5...15,
            meaning: "clusters tried by the grid"),
        .key("grid.restarts", \.grid.restarts, .int(1...1000), default: 10, meaning: "k-means restarts per grid point"),
    ]

    private static let features: [ConfigKey] = [
        .key("features.hog.cell", \.features.hog.cell, .int(HOG.cells), default: 6, meaning: "HOG cell size in pixels"),
        .key(
            "features.hog.block", \.features.hog.block, .int(HOG.blocks), default: 2,
            meaning: "HOG block size in cells"),
        .key(
            "features.hog.orientations", \.features.hog.orientations, .int(HOG.orientationCounts), default: 9,
            meaning: "HOG orientation bins"),
        .key(
            "features.hog.norm", \.features.hog.norm, .choice, default: .l2Hys,
            meaning: "HOG block normalisation: `l1`, `l1-sqrt`, `l2` or `l2-hys`"),
        .key(
            "features.lbp.cell", \.features.lbp.cell, .int(LBP.cells), default: 8,
            meaning: "LBP (8 neighbours, radius 1, uniform codes) histograms over cells of this many pixels"),
        .key(
            "features.landmarks.model", \.features.landmarks.model, .string, default: LandmarkModel.debianPath,
            comment: "from Debian's libdlib-data",
            meaning: "dlib's 68-point landmark model (Debian's `libdlib-data`)"),
        .key(
            "features.landmarks.upscale", \.features.landmarks.upscale, .int(1...16), default: 4,
            comment: "the image is enlarged this many times (bilinear) for the model",
            meaning: "how many times each image is enlarged (bilinear) before the model runs"),
        .key(
            "features.landmarks.inset", \.features.landmarks.inset, .double(0...0.4), default: 0.08,
            comment: "the face box is the image inset by this fraction on every side",
            meaning: "with `face: crop`, the face box is the image inset by this fraction on every side"),
        .key(
            "features.landmarks.face", \.features.landmarks.face, .choice, default: .crop,
            comment: "crop (face crops: the inset box) | detect (dlib's face detector; photos)",
            meaning:
                "`crop` (face crops such as FER2013's need no detector) or `detect`: the largest face dlib's frontal face detector finds in the enlarged image (for photos with background; the crop box where it finds none, counted on the preprocessing page)"
        ),
        .key(
            "features.blocks.landmarks", \.features.blocks.landmarks, .int(1...FaceShape.inner.count * 2),
            default: 20, meaning: "components the landmark block of `landmarks+aligned-hog` keeps"),
        .key(
            "features.blocks.aligned-hog", \.features.blocks.alignedHOG, .int(LandmarksAndAlignedHOG.blockComponents),
            default: 60, meaning: "components the aligned-HOG block of `landmarks+aligned-hog` keeps"),
        .key(
            "features.compare", \.features.compare, .settings, default: defaultComparison,
            comment: "settings compared on the features page", shown: "pixels PCA 2; HOG, LBP, HOG+LBP PCA 50 whitened",
            meaning:
                "settings on the features page, each `{features, reducer, components, whiten, method}` (`method`, the clusterer, `kmeans` when left out)"
        ),
        .key(
            "features.file", \.features.file, .optionalString, default: nil, inDefaultFile: false,
            meaning:
                "the embeddings `file` features read (computed elsewhere, by a pretrained model say): a NumPy `.npy` table, float32 or float64, one row per image in the dataset's order, or a CSV whose `row` column (a CSV dataset) or `file` column (an image folder) names each image as `images.csv` does, beside columns of numbers, matched by key; relative to the config file. Missing, extra or repeated keys and numbers that are not finite are refused with the first offending key",
            alternatives: ["embeddings.npy"]),
        .key(
            "features.command", \.features.command, .optionalStrings(distinct: false), default: nil,
            inDefaultFile: false,
            meaning:
                "the program whose embeddings `command` features read, as a list (`[python3, embed.py]`, run without a shell, from the current folder): it is given two paths, a NumPy `.npy` of the images (uint8, images x height x width, in the dataset's order) and the `.npy` it must write (float32 or float64, one row per image). It runs once; reruns read the cache until its arguments, a file they name, or the images change. Its standard error is shown as it runs",
            alternatives: ["[python3, embed.py]"]),
        .key(
            "features.timeout", \.features.timeout, .int(1...604_800), default: 3600, inDefaultFile: false,
            meaning: "seconds the program of `features.command` may run before it is stopped"),
    ]

    private static let checks: [ConfigKey] = [
        .key(
            "stability.seeds", \.stability.seeds, .int(0...50), default: 5,
            comment: "reruns of the clusterer with other seeds",
            meaning:
                "reruns of the final model's clusterer with seeds `seed`, `seed`+1, ... (below 2, or Ward clustering, which has no seed, skips the check)"
        ),
        .key(
            "stability.folds", \.stability.folds, .int(0...50), default: 10,
            comment: "folds of the cross-validated silhouette",
            meaning: "folds of the cross-validated silhouette (below 2 skips it)",
            check: { folds, _ in folds == 1 ? "must be 0 (off) or at least 2, not 1" : nil }),
        .key(
            "silhouette.sample", \.silhouette.sample, .optionalInt(100...10_000_000), default: 20_000,
            comment: "above this many rows, the mean over seeded samples of this size; null: always exact",
            meaning:
                "above this many rows, every silhouette (models, baselines, grid, folds) is the mean over seeded samples of this many rows, each scored on its own rows as scikit-learn's `sample_size`, and the structureless baseline is a cloud of one sample's size; `null` is always exact. The final-model page says when and shows the samples' range"
        ),
        .key(
            "silhouette.repeats", \.silhouette.repeats, .int(1...20), default: 3,
            comment: "samples taken (their spread is shown)", meaning: "samples taken when sampling"),
        .key(
            "cluster_map.method", \.clusterMap.method, .choice, default: .hungarian,
            comment: "hungarian | majority | manual", meaning: "`hungarian`, `majority` or `manual`"),
        .key(
            "cluster_map.manual", \.clusterMap.manual, .strings(), default: [],
            comment: "for manual: one label name per cluster", meaning: "for `manual`: one label name per cluster",
            alternatives: ["[Happy, Sad, Angry, Neutral]"],
            check: { names, config in
                guard config.clusterMap.method == .manual, let clusters = config.models.clusters,
                    names.count != clusters
                else { return nil }
                return "must name one label per cluster (\(clusters)), not \(names.count)"
            }),
    ]

    private static let images: [ConfigKey] = [
        .key("images.nearest", \.images.nearest, .int(1...200), default: 30, meaning: "images nearest each centre"),
        .key("images.random", \.images.random, .int(1...200), default: 5, meaning: "random images per cluster"),
        .key(
            "images.samples_per_class", \.images.samplesPerClass, .int(1...50), default: 2,
            meaning: "sample images per label on the exploration page"),
        .key(
            "images.explorer", \.images.explorer, .int(1...200_000), default: 25_000,
            comment: "training images in the explorer page at most; a seeded sample above it",
            meaning: "training images the explorer shows at most; a seeded sample (`models.seed`) above it"),
    ]

    private static let figures: [ConfigKey] = [
        .key(
            "figures.format", \.figures.format, .choice, default: .png, comment: "png | svg",
            meaning: "`png` or `svg`"),
        .key(
            "figures.scale", \.figures.scale, .double(0.5...4), default: 2, meaning: "pixels per point of PNG figures"),
        .key(
            "figures.scree_components", \.figures.screeComponents, .int { 1...min(pixels($0), 200) }, default: 20,
            meaning: "components in the explained-variance plot"),
        .key(
            "figures.eigenfaces", \.figures.eigenfaces, .int { 1...min(pixels($0), 32) }, default: 8,
            meaning: "components shown as images"),
        .key(
            "figures.point_alpha", \.figures.pointAlpha, .double(0.01...1), default: 0.45,
            meaning: "opacity of scatter-plot marks"),
        .key(
            "figures.point_size", \.figures.pointSize, .double(0.5...10), default: 2,
            meaning: "size of scatter-plot marks in points"),
        .key(
            "figures.embedding", \.figures.embedding, .choice, default: .none,
            comment: "none | tsne (a t-SNE of the final model's features, on its page and in the explorer)",
            meaning:
                "`none`, or `tsne`: a t-SNE of the features the final model clustered, drawn on the final-model page and offered in the explorer"
        ),
        .key(
            "figures.tsne_perplexity", \.figures.tsnePerplexity, .double(2...100), default: 30,
            meaning: "t-SNE's perplexity: about how many neighbours each image's similarities spread over"),
        .key("figures.tsne_seed", \.figures.tsneSeed, .seed, default: 0, meaning: "seed of t-SNE's random start"),
    ]

    private static let runKeys: [ConfigKey] = [
        .key(
            "run.name", \.run.name, .optionalString, default: nil, inDefaultFile: false,
            meaning: "a name for the run in the history (`ferlab runs`, `diff`, the run log); `--name` sets it",
            alternatives: ["baseline"]),
        .key(
            "run.tags", \.run.tags, .strings(distinct: true), default: [], inDefaultFile: false,
            meaning: "tags to find the run by (`ferlab runs --tag`); `--tag` adds one", alternatives: ["[paper]"]),
        .key(
            "run.note", \.run.note, .optionalString, default: nil, inDefaultFile: false,
            meaning: "a note on why the run was made, kept in the history; `--note` sets it",
            alternatives: ["more restarts"]),
    ]

    private static let report: [ConfigKey] = [
        .key(
            "report.paper", \.report.paper, .choice, default: .a4,
            comment: "a4 | letter (the write-up's PDF and printed pages)",
            meaning: "`a4` or `letter`: the write-up's PDF and printed pages"),
        .key(
            "report.pdf", \.report.pdf, .bool, default: true,
            comment: "false: no writeup.pdf (the write-up stays as Markdown and HTML; no printing to wait for)",
            meaning:
                "print the write-up as `writeup.pdf` when WeasyPrint is installed; `false` leaves it as Markdown and HTML and saves the printing's second or two"
        ),
        .key(
            "report.date", \.report.date, .optionalString, default: nil,
            comment: "the date the write-up shows, as written; null: none (reruns write the same bytes)",
            meaning:
                "the date the write-up's title block shows, as written (`1 December 2026`); none by default, so reruns write the same bytes",
            alternatives: ["1 December 2026"]),
        .key(
            "report.templates", \.report.templates, .optionalString, default: nil,
            comment: "a folder of templates over the built-in ones, relative to this file",
            meaning:
                "a folder of templates over the built-in ones, relative to the config file (`--templates` overrides it)"
        ),
        .key(
            "sweep", \.sweep, .sweep, default: Sweep(axes: []),
            comment: "key: [values] (models.clusters: [5, 7, 9]) runs every combination, like --sweep",
            meaning:
                "config keys mapped to lists of values (`models.clusters: [5, 7, 9]`): every combination is run, as with `--sweep`",
            flattened: false),
    ]
}
