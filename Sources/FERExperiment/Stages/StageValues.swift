import FERData
import FERFeatures
import FERMath
import Foundation

/// The rows an experiment uses: the per-class subset, split into the rows
/// the models are fitted on and the held-out rows. All are dataset row
/// numbers in file order.
public struct SampleSplit: Sendable, Equatable {
    /// Every row used (training and held out).
    public var rows: [Int]
    /// Rows the models are fitted on.
    public var train: [Int]
    /// Held-out rows.
    public var test: [Int]
    /// Whether the held-out rows were chosen by their usage (else by a seeded stratified fraction).
    public var byUsage: Bool
    /// Each image's group, kept wholly on one side (`ImageGroups.none` when the experiment names none).
    public var groups: ImageGroups = .none
    /// Rows of a usage split on the other side than their usage says, to keep their group together.
    public var movedToKeepGroups: Int = 0

    /// The group codes of `rows` (dataset rows), for drawing whole groups; `nil` when ungrouped.
    public func groupCodes(of rows: [Int]) -> [Int32]? {
        groups.codes(of: rows)
    }
}

/// A fitted reducer and the component scores of the training and held-out
/// rows (the held-out rows projected with the fitted model, never refitted).
public struct Reduction: Sendable, Equatable {
    /// The features as fitted on the training rows.
    public var features: FittedFeatures
    /// The fitted model.
    public var projection: Projection
    /// Scores of the training rows.
    public var train: Matrix
    /// Scores of the held-out rows.
    public var test: Matrix
}

/// k-means on the training scores and the clusters it predicts for the held-out rows.
public struct ClusterFit: Sendable, Equatable {
    /// The fit.
    public var clustering: Clustering
    /// Predicted cluster of each held-out row.
    public var testLabels: [Int32]
}

/// The silhouette of a clustering and the structureless baseline for it.
public struct SilhouetteResult: Sendable, Equatable {
    /// Per training row, or per row of the first sample when sampled.
    public var samples: [Double]
    /// The training rows `samples` belong to when sampled (`nil`: all, in order).
    public var sampledRows: [Int]?
    /// Mean over the training rows, or over the samples' means.
    public var score: Double
    /// Each sample's mean (one value when exact).
    public var perSample: [Double]
    /// The mean silhouette the same k-means reaches on a Gaussian cloud shaped like the data.
    public var baseline: Double
}

/// How well clusters, read as labels, match the true labels.
public struct ModelMetrics: Sendable, Equatable, Codable {
    /// The map used for the headline accuracy (the configured method).
    public var map: ClusterMap
    /// The one-to-one optimal map.
    public var hungarian: ClusterMap
    /// The most-common-label map.
    public var majority: ClusterMap
    /// Held-out rows through the configured map.
    public var test: ClassificationReport
    /// Training rows through the configured map.
    public var train: ClassificationReport
    /// Held-out accuracy with the Hungarian map.
    public var testHungarianAccuracy: Double
    /// Held-out accuracy with the majority map.
    public var testMajorityAccuracy: Double
    /// Chance levels of the held-out rows.
    public var chance: ChanceLevels
    /// Agreement of the held-out rows' clusters with their labels.
    public var nmi: Double
    /// Adjusted Rand index of the held-out rows.
    public var ari: Double
    /// Training accuracy with the Hungarian map (the clustering literature's "clustering accuracy").
    public var trainHungarianAccuracy: Double
    /// Agreement of the training rows' clusters with their labels.
    public var trainNMI: Double
    /// Adjusted Rand index of the training rows.
    public var trainARI: Double
    /// Purity of the training clusters.
    public var purity: Double
    /// Training rows per (cluster, label).
    public var contingency: Contingency
    /// 95% intervals of the held-out numbers.
    public var intervals: HeldOutIntervals
}

/// 95% percentile-bootstrap intervals of a model's held-out numbers (`Bootstrap`), each `nil` without held-out
/// rows.
public struct HeldOutIntervals: Sendable, Equatable, Codable {
    /// Accuracy with the configured map.
    public var accuracy: ClosedRange<Double>?
    /// Accuracy with the Hungarian map.
    public var accuracyHungarian: ClosedRange<Double>?
    /// Accuracy with the majority map.
    public var accuracyMajority: ClosedRange<Double>?
    /// Normalised mutual information of clusters and labels.
    public var nmi: ClosedRange<Double>?
}

/// A drawn figure: its file content and the values its caption template reads.
public struct FigureFile: Sendable, Equatable {
    /// File content (PNG or SVG).
    public var bytes: [UInt8]
    /// Formatted values of what it shows (`count`, `seed`, ...), by name.
    public var texts: [String: String]
    /// Flags its caption chooses words by, by name.
    public var flags: [String: Bool]
    /// Its size in points (a PNG has `scale` pixels per point).
    public var width: Int, height: Int

    /// A figure file.
    public init(bytes: [UInt8], texts: [String: String], flags: [String: Bool], width: Int, height: Int) {
        self.bytes = bytes
        self.texts = texts
        self.flags = flags
        self.width = width
        self.height = height
    }

    /// The texts and flags as template values.
    public var captionValues: [String: Any] {
        var values: [String: Any] = texts
        for (name, flag) in flags { values[name] = flag }
        return values
    }
}

// MARK: Cache encodings

extension Dataset: CacheCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(Int64(width))
        writer.write(Int64(height))
        writer.write(pixels)
        writer.write(labels)
        writer.write(labelNames)
        writer.write(usage != nil)
        writer.write(usage ?? [])
        writer.write(usageNames)
        writer.write(provenance.kind.rawValue)
        writer.write(provenance.path)
        writer.write(provenance.columns)
        let missing = provenance.missing.sorted { $0.key < $1.key }
        writer.write(missing.map(\.key))
        writer.write(missing.map { Int64($0.value) })
        writer.write(provenance.skipped)
    }

    public init(from reader: inout BinaryReader) throws {
        let width = Int(try reader.read(Int64.self)), height = Int(try reader.read(Int64.self))
        let pixels = try reader.read([UInt8].self), labels = try reader.read([Int32].self)
        let labelNames = try reader.read([String].self)
        let hasUsage = try reader.read(Bool.self)
        let usage = try reader.read([UInt16].self), usageNames = try reader.read([String].self)
        guard let kind = DatasetProvenance.Kind(rawValue: try reader.read(String.self)) else {
            throw CacheError.malformed
        }
        let path = try reader.read(String.self), columns = try reader.read([String].self)
        let missingKeys = try reader.read([String].self), missingValues = try reader.read([Int64].self)
        let skipped = try reader.read([String].self)
        guard width > 0, height > 0, pixels.count == labels.count * width * height,
            labels.allSatisfy({ $0 >= 0 && Int($0) < labelNames.count }), missingKeys.count == missingValues.count,
            !hasUsage || (usage.count == labels.count && usage.allSatisfy { Int($0) < usageNames.count })
        else {
            throw CacheError.malformed
        }
        self.init(
            width: width, height: height, pixels: pixels, labels: labels, labelNames: labelNames,
            usage: hasUsage ? usage : nil, usageNames: usageNames,
            provenance: DatasetProvenance(
                kind: kind, path: path, columns: columns,
                missing: Dictionary(zip(missingKeys, missingValues.map(Int.init))) { first, _ in first },
                skipped: skipped))
    }
}

extension SampleSplit: CacheCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(rows)
        writer.write(train)
        writer.write(test)
        writer.write(byUsage)
        groups.encode(to: &writer)
        writer.write(Int64(movedToKeepGroups))
    }

    public init(from reader: inout BinaryReader) throws {
        self.init(
            rows: try reader.read(), train: try reader.read(), test: try reader.read(), byUsage: try reader.read(),
            groups: try ImageGroups(from: &reader), movedToKeepGroups: Int(try reader.read(Int64.self)))
    }
}

extension Matrix: CacheCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(Int64(rows))
        writer.write(Int64(columns))
        writer.write(values)
    }

    public init(from reader: inout BinaryReader) throws {
        let rows = Int(try reader.read(Int64.self)), columns = Int(try reader.read(Int64.self))
        let values = try reader.read([Float].self)
        guard rows >= 0, columns >= 0, values.count == rows * columns else { throw CacheError.malformed }
        self.init(rows: rows, columns: columns, values: values)
    }
}

extension Reduction: CacheCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(projection.method.rawValue)
        writer.write(projection.mean)
        projection.components.encode(to: &writer)
        writer.write(projection.explainedVariance)
        writer.write(projection.explainedVarianceRatio)
        writer.write(projection.singularValues)
        writer.write(Int64(projection.samples))
        train.encode(to: &writer)
        test.encode(to: &writer)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        writer.write([UInt8]((try? encoder.encode(features)) ?? Data()))
    }

    public init(from reader: inout BinaryReader) throws {
        guard let method = Projection.Method(rawValue: try reader.read(String.self)) else { throw CacheError.malformed }
        let projection = Projection(
            method: method, mean: try reader.read(), components: try Matrix(from: &reader),
            explainedVariance: try reader.read(), explainedVarianceRatio: try reader.read(),
            singularValues: try reader.read(), samples: Int(try reader.read(Int64.self)))
        let train = try Matrix(from: &reader), test = try Matrix(from: &reader)
        guard let features = try? JSONDecoder().decode(FittedFeatures.self, from: Data(try reader.read([UInt8].self)))
        else { throw CacheError.malformed }
        self.init(features: features, projection: projection, train: train, test: test)
    }
}

extension ClusterFit: CacheCodable {
    public func encode(to writer: inout BinaryWriter) {
        clustering.centroids.encode(to: &writer)
        writer.write(clustering.labels)
        writer.write(clustering.inertia)
        writer.write(Int64(clustering.iterations))
        writer.write(testLabels)
    }

    public init(from reader: inout BinaryReader) throws {
        let centroids = try Matrix(from: &reader)
        let labels = try reader.read([Int32].self)
        guard labels.allSatisfy({ $0 >= 0 && Int($0) < centroids.rows }) else { throw CacheError.malformed }
        let clustering = Clustering(
            centroids: centroids, labels: labels, inertia: try reader.read(),
            iterations: Int(try reader.read(Int64.self)))
        self.init(clustering: clustering, testLabels: try reader.read())
    }
}

extension SilhouetteResult: CacheCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(samples)
        writer.write(sampledRows != nil)
        writer.write((sampledRows ?? []).map(Int64.init))
        writer.write(score)
        writer.write(perSample)
        writer.write(baseline)
    }

    public init(from reader: inout BinaryReader) throws {
        let samples: [Double] = try reader.read()
        let sampled: Bool = try reader.read(), rows: [Int64] = try reader.read()
        self.init(
            samples: samples, sampledRows: sampled ? rows.map(Int.init) : nil, score: try reader.read(),
            perSample: try reader.read(), baseline: try reader.read())
    }
}

extension FigureFile: CacheCodable {
    public func encode(to writer: inout BinaryWriter) {
        writer.write(bytes)
        let texts = texts.sorted { $0.key < $1.key }, flags = flags.sorted { $0.key < $1.key }
        writer.write(texts.map(\.key))
        writer.write(texts.map(\.value))
        writer.write(flags.map(\.key))
        writer.write(flags.map { UInt8($0.value ? 1 : 0) })
        writer.write(width)
        writer.write(height)
    }

    public init(from reader: inout BinaryReader) throws {
        let bytes: [UInt8] = try reader.read()
        let textNames: [String] = try reader.read(), texts: [String] = try reader.read()
        let flagNames: [String] = try reader.read(), flags: [UInt8] = try reader.read()
        guard textNames.count == texts.count, flagNames.count == flags.count,
            Set(textNames).count == textNames.count, Set(flagNames).count == flagNames.count,
            flags.allSatisfy({ $0 <= 1 })
        else { throw CacheError.malformed }
        self.init(
            bytes: bytes, texts: Dictionary(uniqueKeysWithValues: zip(textNames, texts)),
            flags: Dictionary(uniqueKeysWithValues: zip(flagNames, flags.map { $0 == 1 })),
            width: try reader.read(), height: try reader.read())
    }
}

/// A small `Codable` stage value, cached as sorted-key JSON inside the binary entry.
public protocol JSONCacheCodable: CacheCodable, Codable {}

extension JSONCacheCodable {
    public func encode(to writer: inout BinaryWriter) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        writer.write([UInt8]((try? encoder.encode(self)) ?? Data()))
    }

    public init(from reader: inout BinaryReader) throws {
        guard let value = try? JSONDecoder().decode(Self.self, from: Data(try reader.read([UInt8].self))) else {
            throw CacheError.malformed
        }
        self = value
    }
}

extension DatasetSummary: JSONCacheCodable {}
extension ModelMetrics: JSONCacheCodable {}
extension SecondModelResult: JSONCacheCodable {}
extension StabilityResult: JSONCacheCodable {}

extension SeedRuns: JSONCacheCodable {}
extension Array: JSONCacheCodable, CacheCodable where Element == ClusterGrid.Cell {}
