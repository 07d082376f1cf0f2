import FERFeatures
import FERLandmarks
import FERMath
import Foundation

/// Everything an experiment run needs to know, read from a YAML file: the
/// data, how it is sampled, scaled and split, the models, the grid search,
/// how clusters are mapped to labels, and how figures are drawn.
///
/// Every key has a default (see `ExperimentConfig.builtInDefault`), so a
/// config file only lists what it changes.
package struct ExperimentConfig: Sendable, Equatable {
    /// The experiment's name; the site goes to `Reports/_site/<name>/`.
    package var name: String
    /// The seed every random choice derives from, unless a section sets its own.
    package var seed: UInt64
    /// Where the images come from.
    package var dataset: DatasetSection
    /// Which rows are used and how pixels become features.
    package var preprocessing: PreprocessingSection
    /// Which rows the models are fitted on and which are held out.
    package var split: SplitSection
    /// The models compared and the one reported as final.
    package var models: ModelsSection
    /// The components x clusters grid search.
    package var grid: GridSection
    /// How clusters are read as labels.
    package var clusterMap: ClusterMapSection
    /// How many images the mosaics show.
    package var images: ImagesSection
    /// How figures are drawn.
    package var figures: FiguresSection
    /// Feature extractor settings and the comparison on the features page.
    package var features: FeaturesSection
    /// Stability checks behind the numbers.
    package var stability: StabilitySection
    /// How silhouettes of many rows are estimated.
    package var silhouette: SilhouetteSection
    /// The write-up and the user's templates.
    package var report: ReportOptions
    /// The embeddings file's identity, read when an experiment that uses it is declared (not a key).
    package var embeddingSource: EmbeddingSource? = nil
    /// The program's embeddings' identity, known once the program has run as the experiment is declared (not a
    /// key).
    package var programSource: EmbeddingSource? = nil
    /// Parameters to sweep: a run of the config runs every combination.
    package var sweep: Sweep
    /// The run's name, tags and note, for the history (no stage reads them).
    package var run: RunSection = RunSection()

    /// What a run is called in the history: `run.name`, `run.tags`, `run.note`.
    package struct RunSection: Sendable, Equatable {
        /// A name for the run.
        package var name: String? = nil
        /// Tags to find it by.
        package var tags: [String] = []
        /// A note on why it was run.
        package var note: String? = nil
    }

    /// The write-up's paper, whether it is printed, its date, and a folder of the user's templates.
    package struct ReportOptions: Sendable, Equatable {
        /// Paper sizes the write-up's PDF is set on.
        package enum Paper: String, Sendable, CaseIterable {
            /// ISO A4, 210 x 297 mm.
            case a4
            /// US Letter, 8.5 x 11 in.
            case letter
        }
        /// The PDF's (and printed pages') paper.
        package var paper: Paper
        /// Whether the write-up is printed as a PDF (when WeasyPrint is installed).
        package var pdf: Bool
        /// The date the write-up's title block shows, as written; `nil`: none, so reruns write the same bytes.
        package var date: String?
        /// A folder of templates over the built-in ones, relative to the config file; `nil`: the built-in ones.
        package var templates: String?
    }

    /// The data source.
    package struct DatasetSection: Sendable, Equatable {
        /// `synthetic`, or a FER-layout CSV (`.csv`, `.csv.gz`) or image folder: as read from, so relative to
        /// the current directory (a config file's own path is resolved from the config file's folder).
        package var path: String
        /// The path as reports show it: as written (in the config, or with `--data`), or only the file name when
        /// it was written as an absolute path.
        package var shownPath: String
        /// Image width in pixels; `nil` takes it from the data.
        package var width: Int?
        /// Image height in pixels; `nil` takes it from the data.
        package var height: Int?
        /// Names of a CSV's label codes; `nil` means FER2013's emotions.
        package var labels: [String]?
        /// Rows of the built-in dataset.
        package var syntheticCount: Int
        /// Seed of the built-in dataset.
        package var syntheticSeed: UInt64

        /// Whether the built-in dataset is used.
        package var isSynthetic: Bool { path == "synthetic" }

        /// How reports show `path`: as written, or the file name of an absolute path.
        static func shown(_ path: String) -> String {
            path.hasPrefix("/") ? (path as NSString).lastPathComponent : path
        }
    }

    /// How rows are chosen and scaled.
    package struct PreprocessingSection: Sendable, Equatable {
        /// How rows are picked when a class has more than the cap.
        package enum Sampling: String, Sendable, CaseIterable, Codable {
            /// The first rows of each class, in file order (the notebooks).
            case first
            /// A seeded random choice within each class.
            case random
        }

        /// At most this many rows per class; `nil` keeps every row.
        package var perClass: Int?
        /// How capped classes are sampled.
        package var sampling: Sampling
        /// How pixels are scaled.
        package var scaling: Scaling
        /// Lighting normalisation of each image before its features (landmarks are placed on the images as
        /// they are).
        package var lighting: Lighting
        /// Seed of the random sampling.
        package var seed: UInt64
        /// The file in the site the subset's rows are written to in FER2013's layout (gzip for `.gz`), if any.
        package var exportSubset: String? = nil
    }

    /// The train/test split.
    package struct SplitSection: Sendable, Hashable, Codable {
        /// How rows are split.
        package enum Method: String, Sendable, CaseIterable, Codable {
            /// `usage` when the data has rows with a `test_usage` value, else `fraction`.
            case auto
            /// A seeded random fraction of each class is held out.
            case fraction
            /// Rows whose usage is in `testUsage` are held out (e.g. FER2013's PrivateTest).
            case usage
        }

        /// How rows are split.
        package var method: Method
        /// The held-out fraction for `fraction`.
        package var testFraction: Double
        /// The held-out usage values for `usage`.
        package var testUsage: [String]
        /// Seed of the `fraction` split.
        package var seed: UInt64
        /// What names each image's group (its subject), kept wholly on one side of every split; `nil`: none.
        package var groups: GroupSource? = nil
    }

    /// Where the group (subject) of each image is read from.
    package enum GroupSource: Sendable, Hashable, Codable {
        /// A CSV column of that name.
        case column(String)
        /// The first capture group of this regular expression, searched in each image's path relative to the
        /// dataset folder.
        case pattern(String)

        /// How the config file writes it.
        package var written: String {
            switch self {
            case .column(let name): name
            case .pattern(let pattern): "{pattern: \(pattern)}"
            }
        }
    }

    /// The models.
    package struct ModelsSection: Sendable, Equatable {
        /// What the models see of each image.
        package var features: FeatureKind
        /// Scale every reduced component to unit variance before k-means.
        package var whiten: Bool
        /// Reducers compared (the notebooks compared TruncatedSVD and PCA).
        package var reducers: [Projection.Method]
        /// The reducer of the final model.
        package var final: Projection.Method
        /// Components kept.
        package var components: Int
        /// Clusters fitted; `nil` fits one per label.
        package var clusters: Int?
        /// How the components are clustered.
        package var method: ClusterMethod
        /// The covariance shape of a Gaussian mixture's components.
        package var covariance: GaussianMixture.Covariance
        /// Restarts of k-means and Gaussian mixtures (`n_init`).
        package var restarts: Int
        /// Seed of the reducers' sketches and of the clusterer.
        package var seed: UInt64

        /// The clusters fitted on data of `labels` labels: as configured, or one per label.
        package func clusterCount(labels: Int) -> Int {
            Self.clusterCount(clusters, labels: labels)
        }

        /// The one rule for the number of clusters: `configured`, or one per label when it is `nil`.
        package static func clusterCount(_ configured: Int?, labels: Int) -> Int {
            configured ?? labels
        }
    }

    /// The grid search.
    package struct GridSection: Sendable, Equatable {
        /// Whether the grid is run.
        package var enabled: Bool
        /// Component counts tried.
        package var components: ClosedRange<Int>
        /// Cluster counts tried.
        package var clusters: ClosedRange<Int>
        /// k-means restarts per grid point.
        package var restarts: Int
    }

    /// The cluster-to-label map.
    package struct ClusterMapSection: Sendable, Hashable, Codable {
        /// How the map is made.
        package var method: ClusterMap.Method
        /// For `manual`: the label name of each cluster, in cluster order.
        package var manual: [String]
    }

    /// Mosaic sizes.
    package struct ImagesSection: Sendable, Equatable {
        /// Images nearest each cluster centre.
        package var nearest: Int
        /// Random images per cluster.
        package var random: Int
        /// Sample images per label on the exploration page.
        package var samplesPerClass: Int
        /// Training images the explorer shows at most (a seeded sample of them above it).
        package var explorer: Int
    }

    /// Figure options.
    package struct FiguresSection: Sendable, Equatable {
        /// File format of the figures.
        package enum Format: String, Sendable, CaseIterable {
            /// Raster images.
            case png
            /// Vector images.
            case svg
        }

        /// File format.
        package var format: Format
        /// Pixels per point of PNG figures.
        package var scale: Double
        /// Components shown in the explained-variance plot.
        package var screeComponents: Int
        /// Principal components shown as images.
        package var eigenfaces: Int
        /// Opacity of scatter points.
        package var pointAlpha: Double
        /// Size of scatter points in points.
        package var pointSize: Double
        /// A 2-D view of the final model's features beside its components.
        package enum Embedding: String, Sendable, CaseIterable {
            /// The components only.
            case none
            /// A t-SNE of the features the final model clustered.
            case tsne
        }

        /// The 2-D view drawn, if any.
        package var embedding: Embedding
        /// t-SNE's perplexity.
        package var tsnePerplexity: Double
        /// Seed of t-SNE's random start.
        package var tsneSeed: UInt64
    }

    /// Feature settings and the features-page comparison.
    package struct FeaturesSection: Sendable, Equatable {
        /// HOG settings, for `hog`, `hog+lbp` and the aligned HOG.
        package var hog: HOG
        /// LBP settings, for `lbp` and `hog+lbp`.
        package var lbp: LBP
        /// How the landmark model is run, for `landmarks` and `aligned-hog`.
        package var landmarks: LandmarksSection
        /// Components each block keeps in a combination of blocks (`landmarks+aligned-hog`).
        package var blocks: BlocksSection
        /// Settings compared on the features page.
        package var compare: [FeatureSetting]
        /// The embeddings file `file` features read, as read from (a config file's own path is resolved from the
        /// config file's folder); `nil`: none.
        package var file: String? = nil
        /// The embeddings file as the config writes it, for pages and model files.
        package var shownFile: String? = nil
        /// The program (and its arguments) whose embeddings `command` features read; `nil`: none.
        package var command: [String]? = nil
        /// Seconds the program may run.
        package var timeout: Int = 3600
    }

    /// The facial landmark model and how it sees an image.
    package struct LandmarksSection: Sendable, Equatable {
        /// The dlib shape predictor file (Debian's `libdlib-data` installs the 68-point one).
        package var model: String
        /// How many times each image is enlarged (bilinear) before the model places its points.
        package var upscale: Int
        /// The crop face box: the enlarged image inset by this fraction of its size on every side.
        package var inset: Double
        /// Where the face box is: the crop box, or the largest face dlib's detector finds.
        package var face: LandmarkModel.FaceBox
    }

    /// Components each block is reduced to before blocks are put side by side.
    package struct BlocksSection: Sendable, Equatable {
        /// Components of the landmark shapes.
        package var landmarks: Int
        /// Components of the aligned HOG.
        package var alignedHOG: Int
    }

    /// How silhouettes of many rows are estimated.
    package struct SilhouetteSection: Sendable, Equatable {
        /// Rows above which silhouettes are the mean over seeded samples of this many rows; `nil` is always exact.
        package var sample: Int?
        /// Samples taken when sampling (their spread is reported).
        package var repeats: Int
    }

    /// Checks of how stable the results are.
    package struct StabilitySection: Sendable, Equatable {
        /// k-means reruns with other seeds (0 skips the check).
        package var seeds: Int
        /// Folds of the cross-validated silhouette (0 skips it).
        package var folds: Int
    }

    /// The silhouette sampling these settings ask for, seeded from the model seed.
    package var silhouetteSampling: SilhouetteSampling {
        SilhouetteSampling(threshold: silhouette.sample, repeats: silhouette.repeats, seed: models.seed &+ 0x51)
    }

    /// The second model's classifier (it has no config keys).
    package static let secondModelClassifier = LogisticRegression(c: 1, maxIterations: 500, tolerance: 1e-6)

    /// The number of principal components the reducers must provide.
    package var componentsNeeded: Int {
        max(
            models.components, grid.enabled ? grid.components.upperBound : 0, figures.screeComponents,
            figures.eigenfaces)
    }
}
