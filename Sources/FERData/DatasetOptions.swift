/// How to read a dataset: the image size every row must have (CSV) or is
/// resized to (image folders), and optionally the label names.
public struct DatasetOptions: Sendable, Equatable {
    /// Image width in pixels (48 for FER2013).
    public var width: Int
    /// Image height in pixels (48 for FER2013).
    public var height: Int
    /// Names of the label codes `0..<labelNames.count` of a CSV file; `nil`
    /// means FER2013's seven emotions. Image folders take their names from
    /// the folder names and ignore this.
    public var labelNames: [String]?

    /// Creates options; the defaults read FER2013.
    public init(width: Int = 48, height: Int = 48, labelNames: [String]? = nil) {
        self.width = width
        self.height = height
        self.labelNames = labelNames
    }

    /// Pixels per image.
    public var pixelsPerImage: Int { width * height }
}
