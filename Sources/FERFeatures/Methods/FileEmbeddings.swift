import FERMath

/// Where a run's file embeddings come from: the file as the config names it, its content hash and the numbers
/// per image it holds. Stages and model files key on it, so another file, or the same file changed, refits.
package struct EmbeddingSource: Sendable, Hashable, Codable {
    /// The file, as the config names it.
    package var file: String
    /// Its content hash.
    package var content: String
    /// Numbers per image.
    package var columns: Int

    package init(file: String, content: String, columns: Int) {
        self.file = file
        self.content = content
        self.columns = columns
    }
}

/// Embeddings computed elsewhere (by a large pretrained model, say), read
/// from a file (`features.file`): each image's row, as it is.
package struct FileEmbeddings: FeatureMethod {
    package static let name = "file"
    package static let title = "file embeddings"
    package static let codingName = "file"
    package static let summary = "each image's row of the embeddings file `features.file`"
    package static let needsEmbeddings = true

    /// The file the embeddings came from.
    package var source: EmbeddingSource

    package init(configuration: FeatureConfiguration) {
        source = configuration.embeddings ?? EmbeddingSource(file: "", content: "", columns: 0)
    }

    package func dimension(width: Int, height: Int) -> Int { source.columns }

    package var settingsProblem: String? {
        source.columns >= 1 ? nil : "the embeddings have \(source.columns) columns"
    }

    package func features(of batch: FaceBatch, fitted: FittedFeatures) -> Matrix {
        Matrix(rows: batch.rows, columns: source.columns, values: Array(batch.embeddings))
    }
}
