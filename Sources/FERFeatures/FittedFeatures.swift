import FERMath

/// The images features are computed from: their pixels, one image after
/// another, and, when the features need them, their 68 landmarks.
package struct FaceBatch: Sendable {
    /// Gray pixels, `rows` images of `width` x `height`.
    package var pixels: ArraySlice<UInt8>
    /// Images.
    package var rows: Int
    /// Image width.
    package var width: Int
    /// Image height.
    package var height: Int
    /// Per image, x and y of each of the 68 points; empty when no features need them.
    package var landmarks: ArraySlice<Float>
    /// Per image, its row of a user's embeddings; empty when no features need them.
    package var embeddings: ArraySlice<Float>

    /// A batch.
    package init(
        pixels: ArraySlice<UInt8>, rows: Int, width: Int, height: Int, landmarks: ArraySlice<Float> = [],
        embeddings: ArraySlice<Float> = []
    ) {
        self.pixels = pixels
        self.rows = rows
        self.width = width
        self.height = height
        self.landmarks = landmarks
        self.embeddings = embeddings
    }
}

/// A feature method with everything it fits fitted on training images, in
/// the forms methods fit: the pixel statistics of standardized pixels, the
/// mean shape of landmark shapes, each block's features, standardiser and
/// whitened PCA. Applied unchanged to held-out images and new ones.
package struct FittedFeatures: Sendable, Equatable, Codable {
    /// The method and its settings.
    package let extractor: FeatureExtractor
    /// The training images' pixel statistics, for standardized pixels.
    package let statistics: Scaling.PixelStatistics?
    /// The training images' mean shape, for landmark shapes.
    package let procrustes: Procrustes?
    /// Each block fitted, for a combination of blocks.
    package let blocks: [Block]

    /// One block of a combination of blocks, fitted.
    package struct Block: Sendable, Equatable, Codable {
        /// The block's features.
        package let features: FittedFeatures
        /// Its standardiser.
        package let standardizer: Standardizer
        /// Its reducer.
        package let projection: Projection

        /// A fitted block.
        package init(features: FittedFeatures, standardizer: Standardizer, projection: Projection) {
            self.features = features
            self.standardizer = standardizer
            self.projection = projection
        }
    }

    /// `extractor` with what it fitted.
    package init(
        _ extractor: FeatureExtractor, statistics: Scaling.PixelStatistics? = nil, procrustes: Procrustes? = nil,
        blocks: [Block] = []
    ) {
        self.extractor = extractor
        self.statistics = statistics
        self.procrustes = procrustes
        self.blocks = blocks
    }

    /// `extractor` fitted on `train`, and the training images' features.
    /// - Throws: when the method cannot be fitted on these images.
    package static func fit(_ extractor: FeatureExtractor, on train: FaceBatch) throws -> (FittedFeatures, Matrix) {
        try extractor.method.fit(on: train)
    }

    /// Whether every fitted number is finite.
    package var valuesAreFinite: Bool {
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

    /// Whether what was fitted fits together and matches `width` x `height` images (a model file read from
    /// disk is checked with this before use).
    package func isConsistent(width: Int, height: Int) -> Bool {
        extractor.method.isConsistent(self, width: width, height: height)
    }

    /// The features of `batch`, with what was fitted.
    package func apply(_ batch: FaceBatch) -> Matrix {
        extractor.method.features(of: batch, fitted: self)
    }
}
