import FERCore
import FERData
import FERStages
import FERTestSupport
import Foundation
import Testing

@testable import FERExperiment

/// Embeddings computed elsewhere, read from a file: matched to the images
/// by key, never silently misaligned, refused with the file and the first
/// offending key, and needed again by `predict`.
@Suite struct FileEmbeddingsTests {
    /// The tiny experiment's images, with embeddings that carry each image's label (a noisy one-hot code), as
    /// CSV lines `row,e0,...` in a shuffled order.
    private static func labelledEmbeddings() throws -> [String] {
        let cache = try TemporaryDirectory()
        let experiment = try Experiment(
            config: try tinyConfig(), configFile: "tiny.yaml",
            runner: StageRunner(cache: CacheStore(directory: cache.path)))
        let dataset = try experiment.dataset.get()
        var random = SeededGenerator(seed: 5)
        var lines = (0..<dataset.count).map { row in
            "\(row),"
                + (0..<8).map { column in
                    let value =
                        (column == Int(dataset.labels[row]) ? 3.0 : 0) + Double.random(in: -0.5...0.5, using: &random)
                    return String(format: "%.5f", value)
                }.joined(separator: ",")
        }
        lines.shuffle(using: &random)
        return lines
    }

    private static let header = "row," + (0..<8).map { "e\($0)" }.joined(separator: ",")

    /// A run of the tiny experiment on the embeddings file `text` (named `name`).
    private static func run(
        _ text: String, name: String = "embeddings.csv"
    ) throws -> (
        results: ExperimentResults, experiment: Experiment, folder: TemporaryDirectory
    ) {
        try run(bytes: Array(text.utf8), name: name)
    }

    private static func run(
        bytes: [UInt8], name: String
    ) throws -> (
        results: ExperimentResults, experiment: Experiment, folder: TemporaryDirectory
    ) {
        let folder = try TemporaryDirectory()
        let path = folder.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let config = try tinyConfig([
            "models.features=file", "features.file=\(path)", "models.components=6", "models.clusters=7",
            "figures.scree_components=8", "figures.eigenfaces=3", "features.compare=[]",
        ])
        let experiment = try Experiment(
            config: config, configFile: "tiny.yaml",
            runner: StageRunner(cache: CacheStore(directory: folder.file("cache"))))
        try experiment.validate()
        return (try experiment.results(), experiment, folder)
    }

    @Test func embeddingsThatCarryTheLabelsAreClusteredByThemWhateverTheRowOrder() throws {
        let lines = try Self.labelledEmbeddings()
        let shuffled = try Self.run(([Self.header] + lines).joined(separator: "\n") + "\n")
        let final = try #require(shuffled.results.models.first { $0.name == shuffled.results.finalModel })
        #expect(final.accuracyHungarian > 0.9)
        #expect(final.title == "file embeddings, PCA 6")
        // The same file in the dataset's order gives the same features, so the same numbers.
        let sorted = lines.sorted { Int($0.prefix { $0 != "," })! < Int($1.prefix { $0 != "," })! }
        let ordered = try Self.run(([Self.header] + sorted).joined(separator: "\n") + "\n")
        #expect(ordered.results.models == shuffled.results.models)
        // A model trained on them needs the new images' embeddings.
        let model = try shuffled.experiment.trainedModel.get()
        let dataset = try shuffled.experiment.dataset.get()
        let missing = #expect(throws: ModelFileError.self) { try model.predict(dataset, modelFile: "m.ferlab") }
        #expect(
            missing?.message.contains("give the new images' embeddings, made the same way, with --embeddings") == true)
    }

    @Test func missingExtraRepeatedAndNonFiniteRowsAreRefusedWithTheKey() throws {
        let lines = try Self.labelledEmbeddings()
        func problem(_ body: [String]) -> String {
            do {
                _ = try Self.run(([Self.header] + body).joined(separator: "\n") + "\n")
                return "ran"
            } catch {
                return "\(error)"
            }
        }
        let key = { (line: String) in String(line.prefix { $0 != "," }) }
        #expect(
            problem(Array(lines.dropFirst())).contains(
                "embeddings.csv: has no row for row \(key(lines[0])) (1 of the dataset's 210 images have none)"))
        #expect(
            problem(lines + [lines[3]]).contains(
                "embeddings.csv:\(lines.count + 2): row \(key(lines[3])) appears a second time"))
        #expect(
            problem(lines + ["99999," + Array(repeating: "0", count: 8).joined(separator: ",")]).contains(
                "row 99999 is not an image of the dataset"))
        var withNaN = lines
        withNaN[2] = String(lines[2].prefix { $0 != "," }) + ",nan" + String(repeating: ",0", count: 7)
        #expect(problem(withNaN).contains("row \(key(lines[2])): e0 is \"nan\", not a finite number"))
    }

    /// One run sets clusterers and the user's embeddings side by side on the features page, each with its
    /// interval, and the embeddings that carry the labels win.
    @Test func theFeaturesPageComparesClusterersAndEmbeddingsSideBySide() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("embeddings.csv")
        try Data((([Self.header] + (try Self.labelledEmbeddings())).joined(separator: "\n") + "\n").utf8).write(
            to: URL(fileURLWithPath: path))
        let config = try tinyConfig([
            "features.file=\(path)", "models.clusters=7",
            """
            features.compare=[{features: pixels, reducer: pca, components: 6}, \
            {features: pixels, reducer: pca, components: 6, method: ward}, \
            {features: file, reducer: pca, components: 6}, {features: file, reducer: pca, components: 6, method: gmm}]
            """,
        ])
        let experiment = try Experiment(
            config: config, configFile: "tiny.yaml",
            runner: StageRunner(cache: CacheStore(directory: folder.file("cache"))))
        try experiment.validate()
        let compared = try experiment.results().comparison
        #expect(
            compared.map(\.title) == [
                "pixels, PCA 6", "pixels, PCA 6, Ward clustering", "file embeddings, PCA 6",
                "file embeddings, PCA 6, Gaussian mixture",
            ])
        #expect(compared.allSatisfy { $0.accuracyHungarianInterval != nil })
        #expect(compared[2].accuracyHungarian > 0.9 && compared[3].accuracyHungarian > 0.9)
        #expect(compared[0].accuracyHungarian < compared[2].accuracyHungarian)
    }

    /// A `.npy` table of `rows` x `columns` zeros, as NumPy writes it.
    private static func zeros(rows: Int, columns: Int) -> [UInt8] {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
            + [UInt8](repeating: 0, count: rows * columns * 4)
    }

    @Test func aNumPyTableMustHaveOneRowPerImage() throws {
        let refused = #expect(throws: (any Error).self) {
            _ = try Self.run(bytes: Self.zeros(rows: 209, columns: 8), name: "e.npy")
        }
        #expect(
            "\(refused.map { "\($0)" } ?? "")".contains(
                "e.npy: has 209 rows, but the dataset has 210 images; a .npy file holds one row per image, in the dataset's order"
            ))
    }
}
