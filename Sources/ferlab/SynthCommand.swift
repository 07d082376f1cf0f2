import ArgumentParser
import FERCodecs
import FERCore
import FERData
import FERFigures
import FERSynth
import Foundation

/// `ferlab synth`: generates the built-in synthetic dataset.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate synthetic 48x48 faces, one class per FER2013 emotion, as a FER2013-layout CSV.",
        discussion: """
            Faces differ by expression (brows, eyes, mouth) and, like real photos, by pose, \
            lighting, skin and hair tone, glasses and noise. Classes follow FER2013's \
            proportions; rows are split 80/10/10 into Training, PublicTest and PrivateTest. \
            The same --seed and --count always give the same bytes.
            """
    )

    @Option(name: .shortAndLong, help: "Number of faces.")
    var count: Int = SyntheticFaces.defaultCount

    @Option(help: "Random seed.")
    var seed: UInt64 = SyntheticFaces.defaultSeed

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Where to write the CSV (.gz compresses it; default synthetic.csv, or none when only --preview is given).",
            valueName: "path"))
    var output: String?

    @Option(help: ArgumentHelp("Write a PNG grid of sample faces per emotion to this path.", valueName: "png"))
    var preview: String?

    @Option(help: "Faces per emotion in the preview grid.")
    var previewPerClass: Int = 4

    @Flag(help: "Replace existing files at -o and --preview (never a folder, link, device or FIFO).")
    var force = false

    func validate() throws {
        guard (1...1_000_000).contains(count) else { throw ValidationError("--count must be between 1 and 1000000") }
        guard (1...50).contains(previewPerClass) else {
            throw ValidationError("--preview-per-class must be between 1 and 50")
        }
    }

    func run() throws {
        try reportingErrors {
            // Both files are checked before any work: an existing file is replaced only with --force.
            let csv = (output ?? (preview == nil ? "synthetic.csv" : nil)).map { OutputFile($0, force: force) }
            let image = preview.map { OutputFile($0, force: force) }
            try csv?.check()
            try image?.check()
            let labels = SyntheticFaces.shuffledLabels(count: count, seed: seed)
            if let csv {
                try write(csv, labels: labels)
                note("wrote \(count) faces to \(csv.path)")
            }
            if let image {
                // The preview's faces are among the first rows: only those are drawn.
                let firsts = (0..<EmotionLabels.fer2013.count).compactMap { code in
                    labels.indices.filter { labels[$0] == code }.prefix(previewPerClass).last
                }
                let shown = SyntheticFaces.generate(
                    count: count, seed: seed, rows: 0..<((firsts.max() ?? 0) + 1), labels: labels)
                let grid = ImageMosaicFigure.samples(
                    of: shown, perLabel: previewPerClass,
                    title: "Synthetic faces, \(previewPerClass) per emotion (seed \(seed))")
                try image.write(try grid.render(.png(scale: 1)))
                note("wrote a preview grid to \(image.path)")
            }
        }
    }

    /// Faces drawn and written at a time: a few tens of megabytes of text, however many faces there are.
    static let piece = 4096

    /// Writes the CSV a piece at a time (gzip-compressed as it goes for a `.gz` path), so that a million faces
    /// never sit in memory at once, saying how far it is every tenth of a large set.
    private func write(_ csv: OutputFile, labels: [Int32]) throws {
        let file = try csv.streamed()
        let gzip = csv.path.hasSuffix(".gz") ? GzipStream() : nil
        var start = 0
        var reported = 0
        while start < count {
            let rows = start..<min(count, start + Self.piece)
            let faces = SyntheticFaces.generate(count: count, seed: seed, rows: rows, labels: labels)
            let text = CSVDatasetWriter.encode(faces, header: start == 0)
            try file.write(gzip.map { stream in text.withUnsafeBytes { stream.compress($0) } } ?? text)
            start = rows.upperBound
            if count >= 100_000 && start * 10 / count > reported {
                reported = start * 10 / count
                note("\(start) of \(count) faces written")
            }
        }
        if let gzip { try file.write(gzip.finish()) }
        try csv.commit(file)
    }
}
