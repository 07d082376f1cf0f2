import FERCore
import FERData

extension ImageMosaicFigure {
    /// How sample rows of each label are chosen.
    public enum SampleSelection: Equatable, Sendable {
        /// The first rows of each label, in file order.
        case first
        /// A seeded random choice within each label.
        case random(seed: UInt64)
    }

    /// The dataset rows shown per label by `samples(of:perLabel:selection:)`.
    public static func sampleRows(of dataset: Dataset, perLabel: Int, selection: SampleSelection) -> [[Int]] {
        var byLabel = [[Int]](repeating: [], count: dataset.labelNames.count)
        for row in 0..<dataset.count { byLabel[Int(dataset.labels[row])].append(row) }
        switch selection {
        case .first:
            return byLabel.map { Array($0.prefix(perLabel)) }
        case .random(let seed):
            return byLabel.enumerated().map { label, rows in
                var random = SeededGenerator(seed: seed, stream: UInt64(label))
                var chosen = rows
                random.shuffle(&chosen)
                return Array(chosen.prefix(perLabel)).sorted()
            }
        }
    }

    /// The notebooks' `displayClasses`: `perLabel` images of every label, one
    /// column per label, each captioned with its row number.
    public static func samples(of dataset: Dataset, perLabel: Int = 2, selection: SampleSelection = .first,
                               title: String? = nil) -> ImageMosaicFigure {
        let rows = sampleRows(of: dataset, perLabel: max(1, perLabel), selection: selection)
        let groups = zip(dataset.labelNames, rows).map { name, rows in
            Group(title: name, tiles: rows.map { Tile(pixels: Array(dataset.image($0)), caption: "row \($0)") })
        }
        return ImageMosaicFigure(groups: groups, imageWidth: dataset.width, imageHeight: dataset.height,
                                 layout: .columns, title: title ?? "\(max(1, perLabel)) sample images per label",
                                 tileWidth: Double(dataset.width) * (dataset.width <= 48 ? 2 : 1))
    }
}
