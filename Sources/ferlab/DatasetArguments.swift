import ArgumentParser
import FERData
import FERSynth

/// Options shared by every command that reads a dataset.
struct DatasetArguments: ParsableArguments {
    @Argument(help: "A FER2013-layout CSV (.csv or .csv.gz), an image folder, or 'synthetic' (the default).")
    var data: String?

    @Option(
        help:
            "Image width in pixels: CSV rows must have width x height values; images are resized to it (default: from the data)."
    )
    var width: Int?

    @Option(help: "Image height in pixels (default: from the data).")
    var height: Int?

    @Option(
        help: ArgumentHelp(
            "Comma-separated names of the label codes 0, 1, ... of a CSV file (default: FER2013's seven emotions).",
            valueName: "names"))
    var labels: String?

    func validate() throws {
        let sides = 1...DatasetOptions.largestSide
        guard (width.map(sides.contains) ?? true), (height.map(sides.contains) ?? true) else {
            throw ValidationError("--width and --height must be between 1 and \(DatasetOptions.largestSide)")
        }
        if let names = labelNames {
            if names.contains(where: \.isEmpty) {
                throw ValidationError("--labels must be a comma-separated list of non-empty names, like a,b,c")
            }
            if let twice = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
                throw ValidationError("--labels names \"\(twice)\" twice; each label needs its own name")
            }
        }
    }

    private var labelNames: [String]? {
        labels?.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    var options: DatasetOptions {
        DatasetOptions(width: width, height: height, labelNames: labelNames)
    }

    /// The dataset named: the file or folder at `data`, or the built-in faces when none (or `synthetic`) is
    /// named, always 48x48 (the options do not apply to them).
    func load() throws -> Dataset {
        guard let data, data != SyntheticFaces.sourceName else { return SyntheticFaces.generate() }
        return try DatasetLoader.load(path: data, options: options)
    }
}
