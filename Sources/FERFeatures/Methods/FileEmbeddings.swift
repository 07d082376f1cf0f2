import FERMath

/// Where a run's embeddings come from (a file, or a program's output): what names it, its content hash and the
/// numbers per image it holds. Stages and model files key on it, so other embeddings, or the same source changed,
/// refit.
package struct EmbeddingSource: Sendable, Hashable, Codable {
    /// The file as the config names it, or the program's command line.
    package var file: String
    /// The content hash of the file, or of the program's output.
    package var content: String
    /// Numbers per image.
    package var columns: Int

    package init(file: String, content: String, columns: Int) {
        self.file = file
        self.content = content
        self.columns = columns
    }
}

/// A feature method whose features are each image's row of embeddings made
/// elsewhere, as they are: it fits nothing.
package protocol EmbeddingMethod: FeatureMethod {
    /// Where the embeddings come from.
    var source: EmbeddingSource { get }
}

extension EmbeddingMethod {
    package static var needsEmbeddings: Bool { true }

    package func dimension(width: Int, height: Int) -> Int { source.columns }

    package var settingsProblem: String? {
        source.columns >= 1 ? nil : "the embeddings have \(source.columns) columns"
    }

    package func features(of batch: FaceBatch, fitted: FittedFeatures) -> Matrix {
        Matrix(rows: batch.rows, columns: source.columns, values: Array(batch.embeddings))
    }
}

/// Embeddings computed elsewhere (by a large pretrained model, say), read
/// from a file (`features.file`).
package struct FileEmbeddings: EmbeddingMethod {
    package static let name = "file"
    package static let title = "file embeddings"
    package static let codingName = "file"
    package static let summary = "each image's row of the embeddings file `features.file`"

    package var source: EmbeddingSource

    package init(configuration: FeatureConfiguration) {
        source = configuration.embeddings ?? EmbeddingSource(file: "", content: "", columns: 0)
    }
}

/// Embeddings a user's program computes from the images (`features.command`).
package struct ProgramEmbeddings: EmbeddingMethod {
    package static let name = "command"
    package static let title = "program embeddings"
    package static let codingName = "command"
    package static let summary = "each image's row of what the program `features.command` writes"

    package var source: EmbeddingSource

    package init(configuration: FeatureConfiguration) {
        source = configuration.programEmbeddings ?? EmbeddingSource(file: "", content: "", columns: 0)
    }
}
