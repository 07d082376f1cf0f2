import FERData

extension ImageMosaicFigure {
    /// The notebooks' `displayClasses`: `perLabel` images of every label, one
    /// column per label, each captioned with its row number and drawn with the lines `outlines` gives for its row.
    package static func samples(
        of dataset: Dataset, perLabel: Int = 2, selection: Dataset.SampleOrder = .first,
        title: String? = nil, outlines: (Int) -> [Outline] = { _ in [] }
    ) -> ImageMosaicFigure {
        let rows = dataset.rows(perLabel: max(1, perLabel), order: selection)
        let groups = zip(dataset.labelNames, rows).map { name, rows in
            Group(
                title: name,
                tiles: rows.map {
                    Tile(pixels: Array(dataset.image($0)), caption: "row \($0)", outlines: outlines($0))
                })
        }
        return ImageMosaicFigure(
            groups: groups, imageWidth: dataset.width, imageHeight: dataset.height,
            layout: .columns, title: title ?? "\(max(1, perLabel)) sample images per label",
            tileWidth: Double(dataset.width) * (dataset.width <= 48 ? 2 : 1))
    }
}
