import ArgumentParser
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
            let dataset = SyntheticFaces.generate(count: count, seed: seed)
            if let csv {
                try csv.write(CSVDatasetWriter.file(dataset, named: csv.path))
                note("wrote \(dataset.count) faces to \(csv.path)")
            }
            if let image {
                let grid = ImageMosaicFigure.samples(
                    of: dataset, perLabel: previewPerClass,
                    title: "Synthetic faces, \(previewPerClass) per emotion (seed \(seed))")
                try image.write(try grid.render(.png(scale: 1)))
                note("wrote a preview grid to \(image.path)")
            }
        }
    }
}
