import FERCanvas

/// Grayscale images in labelled groups: the notebooks' `displayClasses`
/// (a column per emotion), the images nearest each cluster centre or drawn
/// at random from each cluster (a block of rows per cluster), mean faces
/// and eigenfaces. Pixels are drawn crisp (no smoothing).
package struct ImageMosaicFigure: Figure {
    /// One image with an optional caption under it and lines drawn over it.
    package struct Tile: Sendable, Equatable {
        /// `imageWidth * imageHeight` gray levels, row-major.
        package var pixels: [UInt8]
        /// Text under the image.
        package var caption: String?
        /// Lines drawn over the image (facial landmarks), in its pixel-index coordinates.
        package var outlines: [Outline] = []

        /// A tile of 8-bit pixels.
        package init(pixels: [UInt8], caption: String? = nil, outlines: [Outline] = []) {
            self.pixels = pixels
            self.caption = caption
            self.outlines = outlines
        }

        /// A tile of real values (a mean face, an eigenface) stretched to the full gray range.
        package init(normalizing values: [Float], caption: String? = nil) {
            let finite = values.filter(\.isFinite)
            let low = finite.min() ?? 0, high = finite.max() ?? 1
            let span = high > low ? high - low : 1
            self.init(
                pixels: values.map { UInt8(max(0, min(255, (($0.isFinite ? $0 : low) - low) / span * 255 + 0.5))) },
                caption: caption)
        }
    }

    /// A titled group of tiles.
    package struct Group: Sendable, Equatable {
        /// Heading of the group.
        package var title: String
        /// Its images.
        package var tiles: [Tile]

        /// A group of tiles.
        package init(title: String, tiles: [Tile]) {
            self.title = title
            self.tiles = tiles
        }
    }

    /// How groups are arranged.
    package enum Layout: Equatable, Sendable {
        /// Each group is one column, its title on top.
        case columns
        /// Each group is a block of rows of up to `perLine` tiles, its title above.
        case rows(perLine: Int)
    }

    /// The groups, in order.
    package let groups: [Group]
    /// Width of every image in pixels.
    package let imageWidth: Int
    /// Height of every image in pixels.
    package let imageHeight: Int
    /// How groups are arranged.
    package let layout: Layout
    /// The figure title.
    package let title: String
    /// Drawn size of one image in points (a multiple of the image width keeps pixels square and crisp).
    package let tileWidth: Double
    /// The widest a tile is drawn: large images are shown reduced, so that a
    /// mosaic of photos stays the size of a mosaic of face crops.
    package static let largestTileWidth = 96.0
    private let gap = 6.0

    /// A mosaic of `groups` of `imageWidth` x `imageHeight` images.
    package init(
        groups: [Group], imageWidth: Int, imageHeight: Int, layout: Layout, title: String, tileWidth: Double? = nil
    ) {
        precondition(
            groups.allSatisfy { $0.tiles.allSatisfy { $0.pixels.count == imageWidth * imageHeight } },
            "every tile must have imageWidth * imageHeight pixels")
        self.groups = groups
        self.imageWidth = imageWidth
        self.imageHeight = imageHeight
        self.layout = layout
        self.title = title
        self.tileWidth = min(tileWidth ?? Double(imageWidth), Self.largestTileWidth)
    }

    private var tileHeight: Double { tileWidth * Double(imageHeight) / Double(imageWidth) }
    private var hasCaptions: Bool { groups.contains { $0.tiles.contains { $0.caption != nil } } }
    private var captionHeight: Double { hasCaptions ? 14 : 0 }
    private var headerTop: Double { Theme.margin + (title.isEmpty ? 0 : 28) }
    private var groupTitleHeight: Double { groups.allSatisfy { $0.title.isEmpty } ? 0 : 18 }

    /// Tiles per line and lines per group in the rows layout.
    private func lines(of group: Group, perLine: Int) -> Int {
        max(1, (group.tiles.count + perLine - 1) / perLine)
    }

    /// Where tile `index` of group `groupIndex` is drawn (top-left corner).
    func tileOrigin(group groupIndex: Int, tile index: Int) -> (x: Double, y: Double) {
        switch layout {
        case .columns:
            let columnWidth = max(tileWidth, 64) + gap
            let x = Theme.margin + Double(groupIndex) * columnWidth + (columnWidth - gap - tileWidth) / 2
            let y = headerTop + groupTitleHeight + Double(index) * (tileHeight + captionHeight + gap)
            return (x, y)
        case .rows(let perLine):
            var y = headerTop
            for previous in groups.prefix(groupIndex) {
                y +=
                    groupTitleHeight + Double(lines(of: previous, perLine: perLine))
                    * (tileHeight + captionHeight + gap) + gap
            }
            let line = index / perLine, column = index % perLine
            return (
                Theme.margin + Double(column) * (tileWidth + gap),
                y + groupTitleHeight + Double(line) * (tileHeight + captionHeight + gap)
            )
        }
    }

    package var width: Int {
        let tiles: Double
        var headings = Canvas.textWidth(title, size: Theme.titleSize, weight: .bold)
        switch layout {
        case .columns:
            tiles = Double(groups.count) * (max(tileWidth, 64) + gap) - gap
        case .rows(let perLine):
            let widest = min(perLine, groups.map(\.tiles.count).max() ?? 1)
            tiles = Double(max(1, widest)) * (tileWidth + gap) - gap
            headings = max(
                headings, groups.map { Canvas.textWidth($0.title, size: Theme.labelSize, weight: .bold) }.max() ?? 0)
        }
        return Int((Theme.margin * 2 + max(tiles, headings)).rounded(.up))
    }

    package var height: Int {
        switch layout {
        case .columns:
            let tallest = groups.map(\.tiles.count).max() ?? 1
            return Int(
                (headerTop + groupTitleHeight + Double(max(1, tallest)) * (tileHeight + captionHeight + gap)
                    + Theme.margin).rounded(.up))
        case .rows:
            let last = tileOrigin(group: groups.count, tile: 0)
            return Int((last.y - groupTitleHeight + Theme.margin).rounded(.up))
        }
    }

    package func draw(on canvas: Canvas) {
        if !title.isEmpty {
            canvas.setColor(Theme.ink)
            canvas.setFont(size: Theme.titleSize, weight: .bold)
            canvas.text(title, x: Double(width) / 2, y: Theme.margin + 14, alignment: .center)
        }
        for (groupIndex, group) in groups.enumerated() {
            let first = tileOrigin(group: groupIndex, tile: 0)
            canvas.setColor(Theme.ink)
            canvas.setFont(size: Theme.labelSize, weight: .bold)
            switch layout {
            case .columns:
                canvas.text(
                    fitted(group.title, width: max(tileWidth, 64) + gap - 2, on: canvas),
                    x: first.x + tileWidth / 2, y: first.y - 6, alignment: .center)
            case .rows:
                canvas.text(group.title, x: first.x, y: first.y - 6)
            }
            if group.tiles.isEmpty {
                canvas.setFont(size: Theme.smallSize)
                canvas.setColor(Theme.mutedInk)
                canvas.text("no images", x: first.x, y: first.y + 12)
            }
            for (index, tile) in group.tiles.enumerated() {
                let origin = tileOrigin(group: groupIndex, tile: index)
                // Enlarged tiles keep their pixels sharp; reduced ones are filtered, not decimated.
                canvas.drawGray(
                    tile.pixels[...], imageWidth: imageWidth, imageHeight: imageHeight,
                    x: origin.x, y: origin.y, width: tileWidth, height: tileHeight,
                    smooth: tileWidth < Double(imageWidth))
                if !tile.outlines.isEmpty {
                    let scale = tileWidth / Double(imageWidth)
                    canvas.setColor(Theme.landmarkInk)
                    canvas.setLineWidth(1)
                    for outline in tile.outlines {
                        outline.trace(on: canvas) { (origin.x + ($0 + 0.5) * scale, origin.y + ($1 + 0.5) * scale) }
                        canvas.stroke()
                    }
                }
                if let caption = tile.caption {
                    canvas.setFont(size: Theme.smallSize)
                    canvas.setColor(Theme.mutedInk)
                    canvas.text(
                        fitted(caption, width: tileWidth + gap, on: canvas),
                        x: origin.x + tileWidth / 2, y: origin.y + tileHeight + 11, alignment: .center)
                }
            }
        }
    }

    /// `text` shortened with an ellipsis to fit `width`.
    private func fitted(_ text: String, width: Double, on canvas: Canvas) -> String {
        var shown = text
        while shown.count > 1 && canvas.measure(shown).width > width {
            shown = String(shown.dropLast(shown.hasSuffix("…") ? 2 : 1)) + "…"
        }
        return shown
    }
}
