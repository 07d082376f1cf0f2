import FERCore
import FERData
import FERFeatures
import FERStages

/// What the embeddings stage reads: the file (its identity keys the stage) and where it is.
struct EmbeddingSettings: StageParameters {
    /// The file's name, content and width.
    var source: EmbeddingSource
    /// Where it is, as read from.
    var path: String

    /// The file named by `features.file`, when a setting reads it: its content hash and width, read once as the
    /// experiment is declared.
    /// - Throws: `ConfigProblem` naming `features.file` when no file is named or it cannot be read.
    static func of(_ config: ExperimentConfig, runner: StageRunner) throws -> EmbeddingSettings? {
        let kinds = [config.models.features] + config.features.compare.map(\.features)
        guard kinds.contains(where: { $0.method == FileEmbeddings.self }) else { return nil }
        guard let path = config.features.file else {
            throw ConfigProblem(
                path: "features.file",
                "names no file, but the models read file embeddings (models.features or features.compare is file)")
        }
        do {
            let content = try DataFingerprint.of(path: path, memo: runner.cache, trustMemo: !runner.force)
            let columns = try EmbeddingFile.columns(path: path, displayPath: path)
            guard columns >= 1 else { throw DataError(file: path, "holds no columns of numbers") }
            return EmbeddingSettings(
                source: EmbeddingSource(file: config.features.shownFile ?? path, content: content, columns: columns),
                path: path)
        } catch let error as DataError {
            throw ConfigProblem(path: "features.file", error.description)
        }
    }

    /// The embeddings of every image of `dataset`, matched by key (`nil` settings: none).
    static func read(_ settings: EmbeddingSettings?, dataset: Dataset) throws -> Embeddings {
        guard let settings else { return Embeddings(columns: 0, values: []) }
        let embeddings = try EmbeddingFile.read(
            path: settings.path, displayPath: settings.source.file, keys: try dataset.rowKeys(),
            keyColumn: dataset.keyColumn)
        guard embeddings.columns == settings.source.columns else {
            throw DataError(
                file: settings.source.file,
                "now has \(embeddings.columns) columns, not the \(settings.source.columns) it had when the run began")
        }
        return embeddings
    }
}

extension Dataset {
    /// The column of `images.csv` (and of a keyed embeddings file) that names each image: `file` for an image
    /// folder, else `row`.
    package var keyColumn: String { provenance.kind == .imageFolders ? "file" : "row" }

    /// Each image's key, by row: its file under the folder for an image folder, else its row number.
    package func rowKeys() throws -> [String] {
        provenance.kind == .imageFolders
            ? try ImageFolderReader.imageFiles(root: provenance.path) : (0..<count).map(String.init)
    }
}

extension Embeddings: CacheCodable {
    package func encode(to writer: inout BinaryWriter) {
        writer.write(Int64(columns))
        writer.write(values)
    }

    package init(from reader: inout BinaryReader) throws {
        let columns = Int(try reader.read(Int64.self))
        let values: [Float] = try reader.read()
        guard columns >= 0, columns == 0 ? values.isEmpty : values.count % columns == 0 else {
            throw CacheError.malformed
        }
        self.init(columns: columns, values: values)
    }
}
