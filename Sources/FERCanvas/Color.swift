/// An sRGB colour with alpha, components in 0...1.
package struct Color: Equatable, Hashable, Sendable {
    /// Red.
    package var red: Double
    /// Green.
    package var green: Double
    /// Blue.
    package var blue: Double
    /// Opacity.
    package var alpha: Double

    /// Creates a colour from components in 0...1.
    package init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// A gray with intensity `level` in 0...1.
    package init(gray level: Double, alpha: Double = 1) {
        self.init(red: level, green: level, blue: level, alpha: alpha)
    }

    /// A colour from a hex value such as `0x0072B2`.
    package init(hex: UInt32, alpha: Double = 1) {
        self.init(
            red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
            blue: Double(hex & 0xFF) / 255, alpha: alpha)
    }

    /// The colour as CSS writes it, `#0072B2` (opacity left out).
    package var hexText: String {
        let hex = [red, green, blue].map { component -> String in
            let text = String(Int((min(1, max(0, component)) * 255).rounded()), radix: 16, uppercase: true)
            return text.count == 1 ? "0" + text : text
        }
        return "#" + hex.joined()
    }

    /// The same colour with another opacity.
    package func withAlpha(_ alpha: Double) -> Color {
        Color(red: red, green: green, blue: blue, alpha: alpha)
    }

    /// Black.
    package static let black = Color(gray: 0)
    /// White.
    package static let white = Color(gray: 1)
}
