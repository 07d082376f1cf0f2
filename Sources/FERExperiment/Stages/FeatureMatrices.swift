import FERData
import FERFeatures
import FERMath
import Foundation

extension ExperimentConfig {
    /// The extractor of `kind` with this config's scaling and feature settings.
    func extractor(_ kind: FeatureKind) -> FeatureExtractor {
        kind.extractor(
            FeatureConfiguration(
                scaling: preprocessing.scaling, hog: features.hog, lbp: features.lbp,
                landmarkComponents: features.blocks.landmarks, alignedHOGComponents: features.blocks.alignedHOG,
                seed: models.seed, embeddings: embeddingSource, programEmbeddings: programSource))
    }
}

/// The features of a sample's training and held-out rows, extracted each
/// time a stage asks and never kept: extraction is quick beside the fits that
/// use it, and keeping every kind's matrices for the whole run would hold
/// several times the data (at 150,000 faces, 4.6 GB instead of under 2).
/// Whatever the features fit is fitted on the training rows and applied
/// unchanged to the held-out rows.
enum FeatureMatrices {
    /// The extractor fitted on the training rows, and the features of the training and held-out rows.
    static func of(
        _ extractor: FeatureExtractor, lighting: Lighting, dataset: Dataset, split: SampleSplit,
        landmarks: LandmarkSet, embeddings: Embeddings
    ) throws -> (features: FittedFeatures, train: Matrix, test: Matrix) {
        let (fitted, train) = try fitted(
            extractor, lighting: lighting, dataset: dataset, split: split, landmarks: landmarks,
            embeddings: embeddings)
        return (
            fitted, train,
            fitted.apply(
                faces(
                    extractor, lighting: lighting, dataset: dataset, rows: split.test,
                    landmarks: landmarks, embeddings: embeddings))
        )
    }

    /// The extractor fitted on the training rows, and the training rows' features.
    static func fitted(
        _ extractor: FeatureExtractor, lighting: Lighting, dataset: Dataset, split: SampleSplit,
        landmarks: LandmarkSet, embeddings: Embeddings
    ) throws -> (features: FittedFeatures, train: Matrix) {
        try FittedFeatures.fit(
            extractor,
            on: faces(
                extractor, lighting: lighting, dataset: dataset, rows: split.train, landmarks: landmarks,
                embeddings: embeddings))
    }

    /// The images of `rows` of `dataset` with what they read beside their pixels (their landmarks and
    /// embeddings, each one per image of `dataset`, or none).
    static func faces(
        _ extractor: FeatureExtractor, lighting: Lighting, dataset: Dataset, rows: [Int], landmarks: LandmarkSet,
        embeddings: Embeddings
    ) -> FaceBatch {
        faces(
            extractor, lighting: lighting, dataset: dataset.subset(rows),
            landmarks: LandmarkSet(points: landmarks.subset(rows)),
            embeddings: extractor.needsEmbeddings ? embeddings.subset(rows)[...] : [])
    }

    /// Every image of `dataset`, normalised by `lighting`, with its landmarks (one per image of `dataset`, or
    /// none) when `extractor` reads them: what fitted features are applied to.
    static func faces(
        _ extractor: FeatureExtractor, lighting: Lighting, dataset: Dataset, landmarks: LandmarkSet,
        embeddings: ArraySlice<Float> = []
    ) -> FaceBatch {
        let pixels =
            lighting == .none
            ? dataset.pixels
            : lighting.apply(dataset.pixels[...], rows: dataset.count, width: dataset.width, height: dataset.height)
        return FaceBatch(
            pixels: pixels[...], rows: dataset.count, width: dataset.width, height: dataset.height,
            landmarks: extractor.needsLandmarks ? landmarks.points[...] : [],
            embeddings: extractor.needsEmbeddings ? embeddings : [])
    }
}

extension FeatureMatrices {
    /// Rows a block of the streamed scores extracts at once: about 75 MB of 48x48 pixels as floats.
    static let scoreBlock = 8_192

    /// The component scores of `rows` of `dataset` under each model (its fitted features and projection),
    /// extracted and projected a block of rows at a time, so the features of all of them are never held.
    /// Models that share their fitted features share each block's extraction.
    static func scores(
        of rows: [Int], models: [(features: FittedFeatures, projection: Projection)], whiten: Bool,
        lighting: Lighting, dataset: Dataset, landmarks: LandmarkSet, embeddings: Embeddings, block: Int = scoreBlock
    ) -> [Matrix] {
        var values = models.map { [Float](repeating: 0, count: rows.count * $0.projection.componentCount) }
        var start = 0
        while start < rows.count {
            let blockRows = Array(rows[start..<min(rows.count, start + block)])
            var extracted: [(features: FittedFeatures, x: Matrix)] = []
            for (index, model) in models.enumerated() {
                let x: Matrix
                if let done = extracted.first(where: { $0.features == model.features }) {
                    x = done.x
                } else {
                    x = model.features.apply(
                        faces(
                            model.features.extractor, lighting: lighting, dataset: dataset, rows: blockRows,
                            landmarks: landmarks, embeddings: embeddings))
                    extracted.append((model.features, x))
                }
                let k = model.projection.componentCount
                let scores = model.projection.scores(of: x, whiten: whiten)
                values[index].replaceSubrange(start * k..<(start + blockRows.count) * k, with: scores.values)
            }
            start += blockRows.count
        }
        return zip(models, values).map { Matrix(rows: rows.count, columns: $0.projection.componentCount, values: $1) }
    }
}
