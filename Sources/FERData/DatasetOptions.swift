/// How to read a dataset: the image size (every CSV row must have
/// width x height values; image files are resized to it) and, for a CSV,
/// the label names.
///
/// Without a size, it comes from the data: a CSV whose first row has a square
/// number of values holds square images of that side (otherwise FER2013's
/// 48x48 is assumed); an image folder takes the size of its first image.
package struct DatasetOptions: Sendable, Equatable {
    /// Image width in pixels, or `nil` to take it from the data.
    package var width: Int?
    /// Image height in pixels, or `nil` to take it from the data.
    package var height: Int?
    /// Names of the label codes `0..<labelNames.count` of a CSV file; `nil`
    /// means FER2013's seven emotions. Image folders take their names from
    /// the folder names and ignore this.
    package var labelNames: [String]?

    /// FER2013's image side, assumed when a CSV does not say.
    package static let fer2013Side = 48

    /// The largest width or height a dataset's images may be configured to.
    package static let largestSide = 4096

    /// The largest width or height taken from the data when none is
    /// configured: a larger first image is more likely a photo than a face
    /// crop, and working at its size would need far more memory than the
    /// user expects, so the user is asked to choose a size.
    package static let largestInferredSide = 512

    /// Creates options; without a size, it comes from the data.
    package init(width: Int? = nil, height: Int? = nil, labelNames: [String]? = nil) {
        self.width = width
        self.height = height
        self.labelNames = labelNames
    }
}
