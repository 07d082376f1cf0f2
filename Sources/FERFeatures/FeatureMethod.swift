import FERMath

/// One way of describing each image as a vector of numbers: a plug-in of
/// `FeatureMethods`. A method says what a config calls it and how pages name
/// it, takes its settings from a `FeatureConfiguration`, and computes the
/// features of a batch of images, fitting on the training batch whatever it
/// fits (`FittedFeatures` keeps that and applies it unchanged to other
/// images). Its own `Codable` form is its entry in model files, under
/// `codingName`.
package protocol FeatureMethod: Sendable, Hashable, Codable {
    /// What a config calls it (`models.features`, `features.compare`).
    static var name: String { get }
    /// How pages name it.
    static var title: String { get }
    /// The key model files store it under.
    static var codingName: String { get }
    /// What it is, for the README's table of config keys (empty when its name says it).
    static var summary: String { get }
    /// The method with a config's settings.
    init(configuration: FeatureConfiguration)

    /// Length of the feature vector of a `width` x `height` image.
    func dimension(width: Int, height: Int) -> Int
    /// Whether it reads the images' 68 landmarks.
    static var needsLandmarks: Bool { get }
    /// Whether it reads a user's embeddings of the images (`features.file`).
    static var needsEmbeddings: Bool { get }
    /// Whether it fits anything on training images: then every set of rows a model is fitted on refits it.
    var isFitted: Bool { get }
    /// What in its settings lies outside what a config accepts (a hand-edited model file), if anything.
    var settingsProblem: String? { get }

    /// The method fitted on `train`, and the training images' features.
    /// - Throws: when it cannot be fitted on these images.
    func fit(on train: FaceBatch) throws -> (FittedFeatures, Matrix)
    /// The features of `batch`, with what `fitted` holds of this method fitted on training images.
    func features(of batch: FaceBatch, fitted: FittedFeatures) -> Matrix
    /// Whether `fitted` holds what this method fits, sized for `width` x `height` images.
    func isConsistent(_ fitted: FittedFeatures, width: Int, height: Int) -> Bool
}

extension FeatureMethod {
    package static var summary: String { "" }
    package static var needsLandmarks: Bool { false }
    package static var needsEmbeddings: Bool { false }
    package var isFitted: Bool { false }
    package var settingsProblem: String? { nil }

    /// Fits nothing: the features of `train` as they are.
    package func fit(on train: FaceBatch) throws -> (FittedFeatures, Matrix) {
        let fitted = FittedFeatures(FeatureExtractor(self))
        return (fitted, features(of: train, fitted: fitted))
    }

    package func isConsistent(_ fitted: FittedFeatures, width: Int, height: Int) -> Bool { true }

    /// Whether `other` is this same method with the same settings.
    func isEqual(to other: any FeatureMethod) -> Bool {
        (other as? Self) == self
    }
}

/// The settings a config gives feature methods.
package struct FeatureConfiguration: Sendable, Hashable {
    /// How pixels are scaled.
    package var scaling: Scaling
    /// HOG's settings.
    package var hog: HOG
    /// LBP's settings.
    package var lbp: LBP
    /// Components of the landmark shapes' block in a combination of blocks.
    package var landmarkComponents: Int
    /// Components of the aligned HOG's block in a combination of blocks.
    package var alignedHOGComponents: Int
    /// Seed of anything a method fits at random (the blocks' PCA).
    package var seed: UInt64
    /// The embeddings file, when the config names one.
    package var embeddings: EmbeddingSource?
    /// The embeddings of the program `features.command` names, when a setting reads them.
    package var programEmbeddings: EmbeddingSource?

    /// The settings.
    package init(
        scaling: Scaling, hog: HOG, lbp: LBP, landmarkComponents: Int, alignedHOGComponents: Int, seed: UInt64,
        embeddings: EmbeddingSource? = nil, programEmbeddings: EmbeddingSource? = nil
    ) {
        self.embeddings = embeddings
        self.programEmbeddings = programEmbeddings
        self.scaling = scaling
        self.hog = hog
        self.lbp = lbp
        self.landmarkComponents = landmarkComponents
        self.alignedHOGComponents = alignedHOGComponents
        self.seed = seed
    }
}
