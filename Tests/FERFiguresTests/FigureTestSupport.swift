import FERCanvas
import FERTestSupport

@testable import FERFigures

/// Renders `figure` at one pixel per point and decodes it.
func render(_ figure: some Figure) throws -> RenderedImage {
    try RenderedImage(png: figure.render(.png(scale: 1)))
}

/// A theme colour as 0-255 channels.
func rgb(_ color: Color) -> (red: Int, green: Int, blue: Int) {
    (Int((color.red * 255).rounded()), Int((color.green * 255).rounded()), Int((color.blue * 255).rounded()))
}

/// `color` blended over white with opacity `alpha`, as 0-255 channels.
func overWhite(_ color: Color, alpha: Double) -> (red: Int, green: Int, blue: Int) {
    func blend(_ value: Double) -> Int { Int(((value * alpha + (1 - alpha)) * 255).rounded()) }
    return (blend(color.red), blend(color.green), blend(color.blue))
}
