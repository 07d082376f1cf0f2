import FERData
import FERFeatures
import FERMath
import FERStages
import Foundation

// How each stage value is stored in the cache.

extension Dataset: CacheCodable {
    package func encode(to writer: inout BinaryWriter) {
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

    package init(from reader: inout BinaryReader) throws {
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
    package func encode(to writer: inout BinaryWriter) {
        writer.write(rows)
        writer.write(train)
        writer.write(test)
        writer.write(byUsage)
        groups.encode(to: &writer)
        writer.write(Int64(movedToKeepGroups))
    }

    package init(from reader: inout BinaryReader) throws {
        self.init(
            rows: try reader.read(), train: try reader.read(), test: try reader.read(), byUsage: try reader.read(),
            groups: try ImageGroups(from: &reader), movedToKeepGroups: Int(try reader.read(Int64.self)))
    }
}

extension Matrix: CacheCodable {
    package func encode(to writer: inout BinaryWriter) {
        writer.write(Int64(rows))
        writer.write(Int64(columns))
        writer.write(values)
    }

    package init(from reader: inout BinaryReader) throws {
        let rows = Int(try reader.read(Int64.self)), columns = Int(try reader.read(Int64.self))
        let values = try reader.read([Float].self)
        guard rows >= 0, columns >= 0, values.count == rows * columns else { throw CacheError.malformed }
        self.init(rows: rows, columns: columns, values: values)
    }
}

extension Reduction: CacheCodable {
    package func encode(to writer: inout BinaryWriter) {
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

    package init(from reader: inout BinaryReader) throws {
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
    package func encode(to writer: inout BinaryWriter) {
        clustering.centroids.encode(to: &writer)
        writer.write(clustering.labels)
        writer.write(clustering.inertia)
        writer.write(Int64(clustering.iterations))
        writer.write(testLabels)
        writer.writeOptionalJSON(mixture)
        writer.writeOptionalJSON(tree)
    }

    package init(from reader: inout BinaryReader) throws {
        let centroids = try Matrix(from: &reader)
        let labels = try reader.read([Int32].self)
        guard labels.allSatisfy({ $0 >= 0 && Int($0) < centroids.rows }) else { throw CacheError.malformed }
        let clustering = Clustering(
            centroids: centroids, labels: labels, inertia: try reader.read(),
            iterations: Int(try reader.read(Int64.self)))
        self.init(
            clustering: clustering, testLabels: try reader.read(), mixture: try reader.readOptionalJSON(),
            tree: try reader.readOptionalJSON())
    }
}

extension BinaryWriter {
    /// `value` as sorted-key JSON after a flag saying whether there is one.
    fileprivate mutating func writeOptionalJSON<Value: Encodable>(_ value: Value?) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = value.flatMap { try? encoder.encode($0) }
        write(bytes != nil)
        write([UInt8](bytes ?? Data()))
    }
}

extension BinaryReader {
    /// What `BinaryWriter.writeOptionalJSON` wrote.
    fileprivate mutating func readOptionalJSON<Value: Decodable>(_: Value.Type = Value.self) throws -> Value? {
        let present: Bool = try read()
        let bytes = try read([UInt8].self)
        guard present else { return nil }
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(bytes)) else { throw CacheError.malformed }
        return value
    }
}

extension SilhouetteResult: CacheCodable {
    package func encode(to writer: inout BinaryWriter) {
        writer.write(samples)
        writer.write(sampledRows != nil)
        writer.write((sampledRows ?? []).map(Int64.init))
        writer.write(score)
        writer.write(perSample)
        writer.write(baseline)
    }

    package init(from reader: inout BinaryReader) throws {
        let samples: [Double] = try reader.read()
        let sampled: Bool = try reader.read(), rows: [Int64] = try reader.read()
        self.init(
            samples: samples, sampledRows: sampled ? rows.map(Int.init) : nil, score: try reader.read(),
            perSample: try reader.read(), baseline: try reader.read())
    }
}

extension DatasetSummary: JSONCacheCodable {}
extension ModelMetrics: JSONCacheCodable {}
extension SecondModelResult: JSONCacheCodable {}
extension StabilityResult: JSONCacheCodable {}

extension SeedRuns: JSONCacheCodable {}
extension Array: JSONCacheCodable, CacheCodable where Element == ClusterGrid.Cell {}
