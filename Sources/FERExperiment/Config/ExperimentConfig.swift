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
public struct ExperimentConfig: Sendable, Equatable {
    /// The experiment's name; the site goes to `Reports/_site/<name>/`.
    public var name: String
    /// The seed every random choice derives from, unless a section sets its own.
    public var seed: UInt64
    /// Where the images come from.
    public var dataset: DatasetSection
    /// Which rows are used and how pixels become features.
    public var preprocessing: PreprocessingSection
    /// Which rows the models are fitted on and which are held out.
    public var split: SplitSection
    /// The models compared and the one reported as final.
    public var models: ModelsSection
    /// The components x clusters grid search.
    public var grid: GridSection
    /// How clusters are read as labels.
    public var clusterMap: ClusterMapSection
    /// How many images the mosaics show.
    public var images: ImagesSection
    /// How figures are drawn.
    public var figures: FiguresSection
    /// Feature extractor settings and the comparison on the features page.
    public var features: FeaturesSection
    /// Stability checks behind the numbers.
    public var stability: StabilitySection
    /// How silhouettes of many rows are estimated.
    public var silhouette: SilhouetteSection
    /// The write-up and the user's templates.
    public var report: ReportOptions
    /// Parameters to sweep: a run of the config runs every combination.
    public var sweep: Sweep

    /// The write-up's paper, its date, and a folder of the user's templates.
    public struct ReportOptions: Sendable, Equatable {
        /// Paper sizes the write-up's PDF is set on.
        public enum Paper: String, Sendable, CaseIterable {
            /// ISO A4, 210 x 297 mm.
            case a4
            /// US Letter, 8.5 x 11 in.
            case letter
        }
        /// The PDF's (and printed pages') paper.
        public var paper: Paper
        /// The date the write-up's title block shows, as written; `nil`: none, so reruns write the same bytes.
        public var date: String?
        /// A folder of templates over the built-in ones, relative to the config file; `nil`: the built-in ones.
        public var templates: String?
    }

    /// The data source.
    public struct DatasetSection: Sendable, Equatable {
        /// `synthetic`, or a FER-layout CSV (`.csv`, `.csv.gz`) or image folder: as read from, so relative to
        /// the current directory (a config file's own path is resolved from the config file's folder).
        public var path: String
        /// The path as reports show it: as written (in the config, or with `--data`), or only the file name when
        /// it was written as an absolute path.
        public var shownPath: String
        /// Image width in pixels; `nil` takes it from the data.
        public var width: Int?
        /// Image height in pixels; `nil` takes it from the data.
        public var height: Int?
        /// Names of a CSV's label codes; `nil` means FER2013's emotions.
        public var labels: [String]?
        /// Rows of the built-in dataset.
        public var syntheticCount: Int
        /// Seed of the built-in dataset.
        public var syntheticSeed: UInt64

        /// Whether the built-in dataset is used.
        public var isSynthetic: Bool { path == "synthetic" }

        /// How reports show `path`: as written, or the file name of an absolute path.
        static func shown(_ path: String) -> String {
            path.hasPrefix("/") ? (path as NSString).lastPathComponent : path
        }
    }

    /// How rows are chosen and scaled.
    public struct PreprocessingSection: Sendable, Equatable {
        /// How rows are picked when a class has more than the cap.
        public enum Sampling: String, Sendable, CaseIterable, Codable {
            /// The first rows of each class, in file order (the notebooks).
            case first
            /// A seeded random choice within each class.
            case random
        }

        /// At most this many rows per class; `nil` keeps every row.
        public var perClass: Int?
        /// How capped classes are sampled.
        public var sampling: Sampling
        /// How pixels are scaled.
        public var scaling: Scaling
        /// Lighting normalisation of each image before its features (landmarks are placed on the images as
        /// they are).
        public var lighting: Lighting
        /// Seed of the random sampling.
        public var seed: UInt64
        /// The file in the site the subset's rows are written to in FER2013's layout (gzip for `.gz`), if any.
        public var exportSubset: String? = nil
    }

    /// The train/test split.
    public struct SplitSection: Sendable, Hashable, Codable {
        /// How rows are split.
        public enum Method: String, Sendable, CaseIterable, Codable {
            /// `usage` when the data has rows with a `test_usage` value, else `fraction`.
            case auto
            /// A seeded random fraction of each class is held out.
            case fraction
            /// Rows whose usage is in `testUsage` are held out (e.g. FER2013's PrivateTest).
            case usage
        }

        /// How rows are split.
        public var method: Method
        /// The held-out fraction for `fraction`.
        public var testFraction: Double
        /// The held-out usage values for `usage`.
        public var testUsage: [String]
        /// Seed of the `fraction` split.
        public var seed: UInt64
        /// What names each image's group (its subject), kept wholly on one side of every split; `nil`: none.
        public var groups: GroupSource? = nil
    }

    /// Where the group (subject) of each image is read from.
    public enum GroupSource: Sendable, Hashable, Codable {
        /// A CSV column of that name.
        case column(String)
        /// The first capture group of this regular expression, searched in each image's path relative to the
        /// dataset folder.
        case pattern(String)

        /// How the config file writes it.
        public var written: String {
            switch self {
            case .column(let name): name
            case .pattern(let pattern): "{pattern: \(pattern)}"
            }
        }
    }

    /// The models.
    public struct ModelsSection: Sendable, Equatable {
        /// What the models see of each image.
        public var features: FeatureKind
        /// Scale every reduced component to unit variance before k-means.
        public var whiten: Bool
        /// Reducers compared (the notebooks compared TruncatedSVD and PCA).
        public var reducers: [Projection.Method]
        /// The reducer of the final model.
        public var final: Projection.Method
        /// Components kept.
        public var components: Int
        /// Clusters fitted; `nil` fits one per label.
        public var clusters: Int?
        /// k-means restarts (`n_init`).
        public var restarts: Int
        /// Seed of the reducers' sketches and of k-means.
        public var seed: UInt64

        /// The clusters fitted on data of `labels` labels: as configured, or one per label.
        public func clusterCount(labels: Int) -> Int {
            Self.clusterCount(clusters, labels: labels)
        }

        /// The one rule for the number of clusters: `configured`, or one per label when it is `nil`.
        public static func clusterCount(_ configured: Int?, labels: Int) -> Int {
            configured ?? labels
        }
    }

    /// The grid search.
    public struct GridSection: Sendable, Equatable {
        /// Whether the grid is run.
        public var enabled: Bool
        /// Component counts tried.
        public var components: ClosedRange<Int>
        /// Cluster counts tried.
        public var clusters: ClosedRange<Int>
        /// k-means restarts per grid point.
        public var restarts: Int
    }

    /// The cluster-to-label map.
    public struct ClusterMapSection: Sendable, Hashable, Codable {
        /// How the map is made.
        public var method: ClusterMap.Method
        /// For `manual`: the label name of each cluster, in cluster order.
        public var manual: [String]
    }

    /// Mosaic sizes.
    public struct ImagesSection: Sendable, Equatable {
        /// Images nearest each cluster centre.
        public var nearest: Int
        /// Random images per cluster.
        public var random: Int
        /// Sample images per label on the exploration page.
        public var samplesPerClass: Int
        /// Training images the explorer shows at most (a seeded sample of them above it).
        public var explorer: Int
    }

    /// Figure options.
    public struct FiguresSection: Sendable, Equatable {
        /// File format of the figures.
        public enum Format: String, Sendable, CaseIterable {
            /// Raster images.
            case png
            /// Vector images.
            case svg
        }

        /// File format.
        public var format: Format
        /// Pixels per point of PNG figures.
        public var scale: Double
        /// Components shown in the explained-variance plot.
        public var screeComponents: Int
        /// Principal components shown as images.
        public var eigenfaces: Int
        /// Opacity of scatter points.
        public var pointAlpha: Double
        /// Size of scatter points in points.
        public var pointSize: Double
    }

    /// Feature settings and the features-page comparison.
    public struct FeaturesSection: Sendable, Equatable {
        /// HOG settings, for `hog`, `hog+lbp` and the aligned HOG.
        public var hog: HOG
        /// LBP settings, for `lbp` and `hog+lbp`.
        public var lbp: LBP
        /// How the landmark model is run, for `landmarks` and `aligned-hog`.
        public var landmarks: LandmarksSection
        /// Components each block keeps in a combination of blocks (`landmarks+aligned-hog`).
        public var blocks: BlocksSection
        /// Settings compared on the features page.
        public var compare: [FeatureSetting]
    }

    /// The facial landmark model and how it sees an image.
    public struct LandmarksSection: Sendable, Equatable {
        /// The dlib shape predictor file (Debian's `libdlib-data` installs the 68-point one).
        public var model: String
        /// How many times each image is enlarged (bilinear) before the model places its points.
        public var upscale: Int
        /// The crop face box: the enlarged image inset by this fraction of its size on every side.
        public var inset: Double
        /// Where the face box is: the crop box, or the largest face dlib's detector finds.
        public var face: LandmarkModel.FaceBox
    }

    /// Components each block is reduced to before blocks are put side by side.
    public struct BlocksSection: Sendable, Equatable {
        /// Components of the landmark shapes.
        public var landmarks: Int
        /// Components of the aligned HOG.
        public var alignedHOG: Int
    }

    /// How silhouettes of many rows are estimated.
    public struct SilhouetteSection: Sendable, Equatable {
        /// Rows above which silhouettes are the mean over seeded samples of this many rows; `nil` is always exact.
        public var sample: Int?
        /// Samples taken when sampling (their spread is reported).
        public var repeats: Int
    }

    /// Checks of how stable the results are.
    public struct StabilitySection: Sendable, Equatable {
        /// k-means reruns with other seeds (0 skips the check).
        public var seeds: Int
        /// Folds of the cross-validated silhouette (0 skips it).
        public var folds: Int
    }

    /// The silhouette sampling these settings ask for, seeded from the model seed.
    public var silhouetteSampling: SilhouetteSampling {
        SilhouetteSampling(threshold: silhouette.sample, repeats: silhouette.repeats, seed: models.seed &+ 0x51)
    }

    /// The second model's classifier (it has no config keys).
    public static let secondModelClassifier = LogisticRegression(c: 1, maxIterations: 500, tolerance: 1e-6)

    /// The number of principal components the reducers must provide.
    public var componentsNeeded: Int {
        max(
            models.components, grid.enabled ? grid.components.upperBound : 0, figures.screeComponents,
            figures.eigenfaces)
    }
}
