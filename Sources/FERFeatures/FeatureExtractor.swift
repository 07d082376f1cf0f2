/// A feature method with its settings, whichever of `FeatureMethods` it is:
/// what a stage's key and a model file hold. A model file writes it as
/// `{codingName: settings}`.
package struct FeatureExtractor: Sendable, Hashable, Codable {
    /// The method.
    package let method: any FeatureMethod

    /// `method` with its settings.
    package init(_ method: some FeatureMethod) {
        self.method = method
    }

    /// Length of the feature vector of a `width` x `height` image.
    package func dimension(width: Int, height: Int) -> Int { method.dimension(width: width, height: height) }
    /// Whether it reads the images' landmarks.
    package var needsLandmarks: Bool { type(of: method).needsLandmarks }
    /// Whether it reads a user's embeddings of the images.
    package var needsEmbeddings: Bool { type(of: method).needsEmbeddings }
    /// Where its embeddings come from, when it reads a user's.
    package var embeddingSource: EmbeddingSource? { (method as? any EmbeddingMethod)?.source }
    /// Whether it fits anything on training images.
    package var isFitted: Bool { method.isFitted }
    /// What in its settings lies outside what a config accepts, if anything.
    package var settingsProblem: String? { method.settingsProblem }

    package static func == (lhs: FeatureExtractor, rhs: FeatureExtractor) -> Bool {
        lhs.method.isEqual(to: rhs.method)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(type(of: method).codingName)
        hasher.combine(method)
    }

    private struct MethodKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: MethodKey.self)
        try container.encode(method, forKey: MethodKey(stringValue: type(of: method).codingName))
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: MethodKey.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "must name exactly one feature method"))
        }
        guard let method = FeatureMethods.coded(key.stringValue) else {
            let known = FeatureMethods.all.map { $0.codingName }.joined(separator: ", ")
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath + [key],
                    debugDescription: "\"\(key.stringValue)\" is not a feature method (\(known))"))
        }
        self.method = try Self.decode(method, from: container, key: key)
    }

    /// A `Method` read from `container` under `key`.
    private static func decode<Method: FeatureMethod>(
        _: Method.Type, from container: KeyedDecodingContainer<MethodKey>, key: MethodKey
    ) throws -> any FeatureMethod {
        try container.decode(Method.self, forKey: key)
    }
}
