import FERCanvas
import FERCore
import FERData

/// The notebooks' `displayClasses`: a grid with a few sample images of each
/// label, one column per label, each image captioned with its label and row
/// number in the dataset.
public struct SampleGridFigure: Figure {
    /// How the sample rows of each label are chosen.
    public enum Selection: Equatable, Sendable {
        /// The first rows of each label, in file order.
        case first
        /// A seeded random choice within each label.
        case random(seed: UInt64)
    }

    /// The images drawn, per label: dataset row numbers.
    public let rowsByLabel: [[Int]]
    private let dataset: Dataset
    private let perLabel: Int
    private let title: String
    private let tileSize = 72.0
    private let gap = 10.0
    private let captionHeight = 30.0
    private let headerHeight = 44.0

    /// A grid of `perLabel` images for every label of `dataset`.
    public init(dataset: Dataset, perLabel: Int = 2, selection: Selection = .first, title: String? = nil) {
        self.dataset = dataset
        self.perLabel = max(1, perLabel)
        self.title = title ?? "\(max(1, perLabel)) sample images per label"
        var byLabel = [[Int]](repeating: [], count: dataset.labelNames.count)
        for row in 0..<dataset.count { byLabel[Int(dataset.labels[row])].append(row) }
        switch selection {
        case .first:
            rowsByLabel = byLabel.map { Array($0.prefix(max(1, perLabel))) }
        case .random(let seed):
            rowsByLabel = byLabel.enumerated().map { label, rows in
                var random = SeededGenerator(seed: seed, stream: UInt64(label))
                var chosen = rows
                random.shuffle(&chosen)
                return Array(chosen.prefix(max(1, perLabel))).sorted()
            }
        }
    }

    public var width: Int {
        Int(Theme.margin * 2 + Double(rowsByLabel.count) * (tileSize + gap) - gap)
    }

    public var height: Int {
        Int(headerHeight + Double(perLabel) * (tileSize + captionHeight) + Theme.margin)
    }

    public func draw(on canvas: Canvas) {
        canvas.setColor(Theme.ink)
        canvas.setFont(size: Theme.titleSize, weight: .bold)
        canvas.text(title, x: Double(width) / 2, y: Theme.margin + 12, alignment: .center)
        for (label, rows) in rowsByLabel.enumerated() {
            let x = Theme.margin + Double(label) * (tileSize + gap)
            for slot in 0..<perLabel {
                let y = headerHeight + Double(slot) * (tileSize + captionHeight)
                let center = x + tileSize / 2
                canvas.setFont(size: Theme.labelSize, weight: .bold)
                canvas.setColor(Theme.ink)
                canvas.text(fitted(dataset.labelNames[label], on: canvas), x: center, y: y + 11, alignment: .center)
                canvas.setFont(size: Theme.smallSize)
                canvas.setColor(Theme.mutedInk)
                let tileTop = y + captionHeight - 6
                guard slot < rows.count else {
                    canvas.text("no image", x: center, y: tileTop + tileSize / 2, alignment: .center)
                    continue
                }
                canvas.text("row \(rows[slot])", x: center, y: y + 22, alignment: .center)
                canvas.drawGray(dataset.image(rows[slot]), imageWidth: dataset.width, imageHeight: dataset.height,
                                x: x, y: tileTop, width: tileSize, height: tileSize)
            }
        }
    }

    /// `text` shortened with an ellipsis to fit a tile's width.
    private func fitted(_ text: String, on canvas: Canvas) -> String {
        var shown = text
        while shown.count > 1 && canvas.measure(shown).width > tileSize + gap - 2 {
            shown = String(shown.dropLast(shown.hasSuffix("…") ? 2 : 1)) + "…"
        }
        return shown
    }
}
