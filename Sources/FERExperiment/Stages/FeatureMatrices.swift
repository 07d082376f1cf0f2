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
