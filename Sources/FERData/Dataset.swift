import FERCore

/// A labelled set of equally sized grayscale images, held as one contiguous
/// byte buffer (`count` rows of `width * height` pixels) plus per-row labels
/// and, when the source has one, a per-row usage (split) name.
package struct Dataset: Sendable, Equatable {
    /// Image width in pixels.
    package let width: Int
    /// Image height in pixels.
    package let height: Int
    /// All images, row-major, one row after another.
    package private(set) var pixels: [UInt8]
    /// Per-row label code, an index into `labelNames`.
    package private(set) var labels: [Int32]
    /// Label names, indexed by code.
    package let labelNames: [String]
    /// Per-row usage code, an index into `usageNames`; `nil` when the source
    /// has no usage information at all.
    package private(set) var usage: [UInt16]?
    /// Usage names, indexed by usage code, in order of first appearance.
    /// The empty name stands for a row whose usage is missing.
    package let usageNames: [String]
    /// Where the data came from.
    package let provenance: DatasetProvenance

    /// Creates a dataset. Sizes must agree: `pixels.count == labels.count *
    /// width * height`, every label below `labelNames.count`, and `usage`,
    /// when present, one code per row below `usageNames.count`.
    package init(
        width: Int, height: Int, pixels: [UInt8], labels: [Int32], labelNames: [String],
        usage: [UInt16]?, usageNames: [String], provenance: DatasetProvenance
    ) {
        precondition(width > 0 && height > 0, "image size must be positive")
        precondition(pixels.count == labels.count * width * height, "pixel buffer must hold every row")
        precondition(labels.allSatisfy { $0 >= 0 && Int($0) < labelNames.count }, "labels must index labelNames")
        if let usage {
            precondition(usage.count == labels.count, "usage must have one code per row")
            precondition(usage.allSatisfy { Int($0) < usageNames.count }, "usage must index usageNames")
        }
        self.width = width
        self.height = height
        self.pixels = pixels
        self.labels = labels
        self.labelNames = labelNames
        self.usage = usage
        self.usageNames = usageNames
        self.provenance = provenance
    }

    /// Number of images.
    package var count: Int { labels.count }

    /// Pixels per image.
    package var pixelsPerImage: Int { width * height }

    /// The pixels of row `row`.
    package func image(_ row: Int) -> ArraySlice<UInt8> {
        let start = row * pixelsPerImage
        return pixels[start..<(start + pixelsPerImage)]
    }

    /// The label name of row `row`.
    package func labelName(_ row: Int) -> String {
        labelNames[Int(labels[row])]
    }

    /// The usage name of row `row`, or `nil` when it has none.
    package func usageName(_ row: Int) -> String? {
        guard let usage else { return nil }
        let name = usageNames[Int(usage[row])]
        return name.isEmpty ? nil : name
    }

    /// Images per label code (zero for labels with no rows).
    package var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: labelNames.count)
        for label in labels { counts[Int(label)] += 1 }
        return counts
    }

    /// A new dataset holding `rows` of this one, in the given order.
    package func subset(_ rows: [Int]) -> Dataset {
        let n = pixelsPerImage
        let newPixels = [UInt8](count: rows.count * n) { out in
            pixels.withUnsafeBufferPointer { source in
                for (index, row) in rows.enumerated() {
                    let from = UnsafeRawPointer(source.baseAddress! + row * n)
                    UnsafeMutableRawPointer(out.baseAddress! + index * n).copyMemory(from: from, byteCount: n)
                }
            }
        }
        return Dataset(
            width: width, height: height, pixels: newPixels,
            labels: rows.map { labels[$0] }, labelNames: labelNames,
            usage: usage.map { codes in rows.map { codes[$0] } }, usageNames: usageNames,
            provenance: provenance)
    }
}

/// Where a dataset came from and what its source looked like.
package struct DatasetProvenance: Sendable, Equatable, Codable {
    /// The kind of source.
    package enum Kind: String, Sendable, Codable {
        /// A CSV file in FER2013's layout (plain or gzip).
        case csv
        /// A folder tree of images, one folder per label.
        case imageFolders = "image-folders"
        /// FERLab's generated dataset.
        case synthetic
    }

    /// The kind of source.
    package let kind: Kind
    /// The path as the user gave it, or a description for generated data.
    package let path: String
    /// The source's columns (CSV header names, or the fields an image tree provides).
    package let columns: [String]
    /// Per-column count of rows whose value was missing (only optional columns can be).
    package let missing: [String: Int]
    /// Entries of the source passed over, each with why (an image folder's unreadable names, say).
    package let skipped: [String]

    /// Creates a provenance record.
    package init(kind: Kind, path: String, columns: [String], missing: [String: Int] = [:], skipped: [String] = []) {
        self.kind = kind
        self.path = path
        self.columns = columns
        self.missing = missing
        self.skipped = skipped
    }
}
