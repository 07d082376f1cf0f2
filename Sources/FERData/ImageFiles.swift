import FERCodecs

/// Loose image files (PNG or JPEG, of any size and colour) read as one
/// unlabelled dataset: each made gray and resized to `width` x `height`, as
/// image folders are.
package enum ImageFiles {
    /// The name of the one label loose files get.
    package static let unlabelled = "unlabelled"

    /// The images at `paths`, in order.
    /// - Throws: `DataError` naming the first file that cannot be read or decoded.
    package static func read(_ paths: [String], width: Int, height: Int) throws -> Dataset {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(paths.count * width * height)
        for path in paths {
            let image = try ImageFolderReader.decode(path: path, displayPath: path)
            pixels += ImageResizer.resize(image, width: width, height: height).pixels
        }
        return Dataset(
            width: width, height: height, pixels: pixels, labels: [Int32](repeating: 0, count: paths.count),
            labelNames: [unlabelled], usage: nil, usageNames: [],
            provenance: DatasetProvenance(kind: .imageFolders, path: paths.first ?? "", columns: ["file"]))
    }
}
