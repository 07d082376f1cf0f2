import FERMath

/// The images features are computed from: their pixels, one image after
/// another, and, when the features need them, their 68 landmarks.
public struct FaceBatch: Sendable {
    /// Gray pixels, `rows` images of `width` x `height`.
    public var pixels: ArraySlice<UInt8>
    /// Images.
    public var rows: Int
    /// Image width.
    public var width: Int
    /// Image height.
    public var height: Int
    /// Per image, x and y of each of the 68 points; empty when no features need them.
    public var landmarks: ArraySlice<Float>

    /// A batch.
    public init(pixels: ArraySlice<UInt8>, rows: Int, width: Int, height: Int, landmarks: ArraySlice<Float> = []) {
        self.pixels = pixels
        self.rows = rows
        self.width = width
        self.height = height
        self.landmarks = landmarks
    }
}

/// A feature extractor with everything it fits fitted on training images:
/// the pixel statistics of standardized pixels, the mean shape of landmark
/// shapes, each block's standardiser and whitened PCA. Applied unchanged to
/// held-out images and new ones.
public struct FittedFeatures: Sendable, Equatable, Codable {
    /// The extractor.
    public let extractor: FeatureExtractor
    private let statistics: Scaling.PixelStatistics?
    private let procrustes: Procrustes?
    private let blocks: [Block]

    /// One block of a `blocks` extractor, fitted.
    private struct Block: Sendable, Equatable, Codable {
        let features: FittedFeatures
        let standardizer: Standardizer
        let projection: Projection
    }

    /// `extractor` fitted on `train`, and the training images' features.
    /// - Throws: when a block's PCA cannot be fitted (fewer rows or values than its components).
    public static func fit(_ extractor: FeatureExtractor, on train: FaceBatch) throws -> (FittedFeatures, Matrix) {
        switch extractor {
        case .pixels(let scaling):
            let statistics = scaling.fitted(on: train.pixels, rows: train.rows, columns: train.width * train.height)
            let fitted = FittedFeatures(extractor: extractor, statistics: statistics, procrustes: nil, blocks: [])
            return (fitted, fitted.apply(train))
        case .landmarks:
            let shapes = innerShapes(train)
            let procrustes = Procrustes(fitting: shapes, count: train.rows, points: FaceShape.inner.count)
            let fitted = FittedFeatures(extractor: extractor, statistics: nil, procrustes: procrustes, blocks: [])
            return (fitted, fitted.apply(train))
        case .blocks(let parts, let components, let seed):
            var blocks: [Block] = []
            var matrices: [Matrix] = []
            for (part, count) in zip(parts, components) {
                let (features, matrix) = try fit(part, on: train)
                let standardizer = Standardizer(fitting: matrix)
                let standardized = standardizer.apply(matrix)
                let projection = try PCA(components: count, seed: seed).fit(standardized)
                blocks.append(Block(features: features, standardizer: standardizer, projection: projection))
                matrices.append(projection.scores(of: standardized, whiten: true))
            }
            let fitted = FittedFeatures(extractor: extractor, statistics: nil, procrustes: nil, blocks: blocks)
            return (fitted, Matrix(concatenatingColumns: matrices, rows: train.rows))
        case .hog, .lbp, .hogLBP, .alignedHOG:
            let fitted = FittedFeatures(extractor: extractor, statistics: nil, procrustes: nil, blocks: [])
            return (fitted, fitted.apply(train))
        }
    }

    /// Whether what was fitted fits together and matches `width` x `height` images (a model file read from
    /// disk is checked with this before use).
    /// Whether every fitted number is finite.
    public var valuesAreFinite: Bool {
        let statisticsFinite = statistics.map { ($0.means + $0.deviations).allSatisfy(\.isFinite) } ?? true
        let shapeFinite = procrustes.map { $0.mean.allSatisfy(\.isFinite) } ?? true
        return statisticsFinite && shapeFinite
            && blocks.allSatisfy { block in
                block.features.valuesAreFinite
                    && (block.standardizer.means + block.standardizer.scales).allSatisfy(\.isFinite)
                    && block.projection.mean.allSatisfy(\.isFinite)
                    && block.projection.components.values.allSatisfy(\.isFinite)
            }
    }

    public func isConsistent(width: Int, height: Int) -> Bool {
        switch extractor {
        case .pixels(let scaling):
            guard let statistics else { return scaling != .standardized }
            return statistics.means.count == width * height && statistics.deviations.count == width * height
        case .landmarks:
            return procrustes.map { $0.points == FaceShape.inner.count && $0.mean.count == $0.points * 2 } ?? false
        case .blocks(let parts, let components, _):
            return parts.count == blocks.count && components.count == blocks.count
                && zip(blocks, zip(parts, components)).allSatisfy { block, part in
                    let length = part.0.dimension(width: width, height: height)
                    return block.features.extractor == part.0
                        && block.features.isConsistent(width: width, height: height)
                        && block.standardizer.means.count == length && block.standardizer.scales.count == length
                        && block.projection.components.columns == length && block.projection.mean.count == length
                        && block.projection.componentCount == part.1
                        && block.projection.explainedVariance.count == part.1
                }
        case .hog, .lbp, .hogLBP, .alignedHOG:
            return true
        }
    }

    /// The features of `batch`, with what was fitted.
    public func apply(_ batch: FaceBatch) -> Matrix {
        switch extractor {
        case .landmarks:
            guard let procrustes else { preconditionFailure("landmark shapes are fitted") }
            let shapes = Self.innerShapes(batch), length = FaceShape.inner.count * 2
            var values = [Float](repeating: 0, count: batch.rows * length)
            for row in 0..<batch.rows {
                let aligned = procrustes.align(shapes, shape: row)
                for index in 0..<length { values[row * length + index] = Float(aligned[index]) }
            }
            return Matrix(rows: batch.rows, columns: length, values: values)
        case .blocks:
            return Matrix(
                concatenatingColumns: blocks.map {
                    $0.projection.scores(of: $0.standardizer.apply($0.features.apply(batch)), whiten: true)
                }, rows: batch.rows)
        case .pixels, .hog, .lbp, .hogLBP, .alignedHOG:
            return extractor.features(
                of: batch.pixels, rows: batch.rows, width: batch.width, height: batch.height, statistics: statistics,
                landmarks: batch.landmarks)
        }
    }

    /// The inner-face points of every image of `batch`, x and y pairs, one image after another.
    private static func innerShapes(_ batch: FaceBatch) -> [Float] {
        precondition(
            batch.landmarks.count == batch.rows * FaceShape.pointCount * 2,
            "landmark shapes need every image's landmarks")
        return FaceShape.innerShapes(batch.landmarks)
    }

}
