import FERCanvas

/// The look shared by every figure: text sizes, colours, the categorical
/// palette and the heatmap colormap.
package enum Theme {
    /// Figure titles.
    package static let titleSize = 15.0
    /// Axis titles, legends and tile captions.
    package static let labelSize = 11.0
    /// Tick labels and small print.
    package static let smallSize = 9.5
    /// Main text colour.
    package static let ink = Color(hex: 0x222222)
    /// Secondary text colour.
    package static let mutedInk = Color(hex: 0x666666)
    /// Grid lines.
    package static let gridLine = Color(hex: 0xE4E4E4)
    /// Axis lines.
    package static let axisLine = Color(hex: 0x888888)
    /// Bars and single-series marks.
    package static let accent = Color(hex: 0x0072B2)
    /// Reference lines (means, baselines): a dark gray no series uses, so a baseline never reads as a series.
    package static let reference = Color(hex: 0x555555)
    /// Landmark lines drawn over faces: bright enough to see on dark and light skin.
    package static let landmarkInk = Color(hex: 0x00E0A0)
    /// Outer margin in points.
    package static let margin = 16.0

    /// Categorical colours for clusters and series: the Okabe–Ito palette
    /// (distinguishable with the common colour-vision deficiencies), then
    /// Paul Tol's muted scheme for counts beyond eight.
    package static let palette: [Color] = [
        0x0072B2, 0xE69F00, 0x009E73, 0xD55E00, 0xCC79A7, 0x56B4E9, 0xF0E442, 0x000000,
        0x332288, 0x117733, 0x44AA99, 0x882255, 0xAA4499, 0x999933, 0xDDCC77, 0xCC6677,
    ].map { Color(hex: $0) }

    /// The colour of category `index` (the palette repeats past sixteen).
    package static func category(_ index: Int) -> Color {
        palette[((index % palette.count) + palette.count) % palette.count]
    }

    /// Viridis, a perceptually uniform colormap readable in gray and with
    /// colour-vision deficiencies, sampled at 17 points.
    private static let viridis: [UInt32] = [
        0x440154, 0x48186A, 0x472D7B, 0x424086, 0x3B528B, 0x33638D, 0x2C728E, 0x26828E, 0x21918C,
        0x1FA088, 0x28AE80, 0x3FBC73, 0x5EC962, 0x84D44B, 0xADDC30, 0xD8E219, 0xFDE725,
    ]

    /// The viridis colour at `t` in 0...1 (clamped), interpolated between samples.
    package static func colormap(_ t: Double) -> Color {
        let clamped = t.isFinite ? min(1, max(0, t)) : 0
        let position = clamped * Double(viridis.count - 1)
        let index = min(viridis.count - 2, Int(position))
        let fraction = position - Double(index)
        let low = Color(hex: viridis[index]), high = Color(hex: viridis[index + 1])
        return Color(
            red: low.red + (high.red - low.red) * fraction,
            green: low.green + (high.green - low.green) * fraction,
            blue: low.blue + (high.blue - low.blue) * fraction)
    }

    /// Black or white, whichever reads better on `background`.
    package static func textColor(on background: Color) -> Color {
        let luminance = 0.2126 * background.red + 0.7152 * background.green + 0.0722 * background.blue
        return luminance > 0.45 ? ink : .white
    }
}
