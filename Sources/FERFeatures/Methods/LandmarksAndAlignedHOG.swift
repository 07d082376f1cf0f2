import FERMath

/// Landmark shapes and aligned HOG, each block standardised and reduced by whitened PCA to its number of
/// components, fitted on the training images, then the blocks side by side, so that a long block does not drown
/// a short one.
package struct LandmarksAndAlignedHOG: FeatureMethod {
    package static let name = "landmarks+aligned-hog"
    package static let title = "landmarks+aligned HOG"
    package static let codingName = "blocks"
    package static let summary = "both, each standardised and reduced by whitened PCA on its own, then side by side"

    /// The components a block may be reduced to.
    package static let blockComponents = 1...1024

    /// HOG's settings for the aligned HOG.
    package var hog: HOG
    /// Components of the landmark shapes' block, then of the aligned HOG's.
    package var components: [Int]
    /// Seed of the blocks' PCA.
    package var seed: UInt64

    /// The blocks with these settings.
    package init(hog: HOG, landmarkComponents: Int, alignedHOGComponents: Int, seed: UInt64) {
        self.hog = hog
        self.components = [landmarkComponents, alignedHOGComponents]
        self.seed = seed
    }

    package init(configuration: FeatureConfiguration) {
        self.init(
            hog: configuration.hog, landmarkComponents: configuration.landmarkComponents,
            alignedHOGComponents: configuration.alignedHOGComponents, seed: configuration.seed)
    }

    /// The blocks, in order.
    private var parts: [FeatureExtractor] { [FeatureExtractor(LandmarkShapes()), FeatureExtractor(AlignedHOG(hog))] }

    private enum CodingKeys: String, CodingKey {
        case parts = "_0"
        case components, seed
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(parts, forKey: .parts)
        try container.encode(components, forKey: .components)
        try container.encode(seed, forKey: .seed)
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let parts = try container.decode([FeatureExtractor].self, forKey: .parts)
        let components = try container.decode([Int].self, forKey: .components)
        guard parts.count == 2, parts[0].method is LandmarkShapes, let aligned = parts[1].method as? AlignedHOG,
            components.count == 2
        else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: container.codingPath + [CodingKeys.parts],
                    debugDescription: "the blocks must be landmarks then aligned HOG, with a number of components each"
                ))
        }
        self.init(
            hog: aligned.hog, landmarkComponents: components[0], alignedHOGComponents: components[1],
            seed: try container.decode(UInt64.self, forKey: .seed))
    }

    package func dimension(width: Int, height: Int) -> Int { components.reduce(0, +) }

    package static let needsLandmarks = true
    package var isFitted: Bool { true }

    package var settingsProblem: String? {
        components.allSatisfy(Self.blockComponents.contains)
            ? hog.settingsProblem : "its blocks' components lie outside \(Self.blockComponents)"
    }

    /// Fits each block's features, standardiser and PCA on the training images.
    /// - Throws: when a block's PCA cannot be fitted (fewer rows or values than its components).
    package func fit(on train: FaceBatch) throws -> (FittedFeatures, Matrix) {
        var blocks: [FittedFeatures.Block] = []
        var matrices: [Matrix] = []
        for (part, count) in zip(parts, components) {
            let (features, matrix) = try part.method.fit(on: train)
            let standardizer = Standardizer(fitting: matrix)
            let standardized = standardizer.apply(matrix)
            let projection = try PCA(components: count, seed: seed).fit(standardized)
            blocks.append(.init(features: features, standardizer: standardizer, projection: projection))
            matrices.append(projection.scores(of: standardized, whiten: true))
        }
        return (
            FittedFeatures(FeatureExtractor(self), blocks: blocks),
            Matrix(concatenatingColumns: matrices, rows: train.rows)
        )
    }

    package func features(of batch: FaceBatch, fitted: FittedFeatures) -> Matrix {
        Matrix(
            concatenatingColumns: fitted.blocks.map {
                $0.projection.scores(of: $0.standardizer.apply($0.features.apply(batch)), whiten: true)
            }, rows: batch.rows)
    }

    package func isConsistent(_ fitted: FittedFeatures, width: Int, height: Int) -> Bool {
        fitted.blocks.count == parts.count
            && zip(fitted.blocks, zip(parts, components)).allSatisfy { block, part in
                let length = part.0.dimension(width: width, height: height)
                return block.features.extractor == part.0
                    && block.features.isConsistent(width: width, height: height)
                    && block.standardizer.means.count == length && block.standardizer.scales.count == length
                    && block.projection.components.columns == length && block.projection.mean.count == length
                    && block.projection.componentCount == part.1
                    && block.projection.explainedVariance.count == part.1
            }
    }
}
