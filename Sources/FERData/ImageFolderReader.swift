import FERCodecs
import FERCore
import Foundation

/// Reads a dataset stored as image files, one folder per label:
/// `ROOT/<label>/*.png|*.jpg`, or with a split level, `ROOT/<split>/<label>/*`
/// (the layout of the image version of FER2013: `train/happy/Training_10.jpg`).
///
/// Label names are the folder names; when all are FER2013 emotion names the
/// codes follow FER2013's order, otherwise the sorted names'. Usage comes from
/// a `Training_`, `PublicTest_` or `PrivateTest_` file-name prefix, else from
/// the split folder. Rows are in sorted path order. PNG and JPEG files of any
/// colour type and size are converted to gray and resized to the configured size.
package enum ImageFolderReader {
    /// File extensions read as images (case-insensitive); other files are skipped.
    package static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]

    private static let usagePrefixes = ["Training", "PublicTest", "PrivateTest"]

    /// One image file found in the tree.
    struct Entry {
        var relativePath: String
        var label: String
        var split: String?
    }

    /// Reads the tree under `root`.
    package static func read(root: String, options: DatasetOptions = DatasetOptions()) throws -> Dataset {
        let found = try scan(root: root)
        let entries = found.entries
        let (labelNames, codeOf) = labelTable(for: Set(entries.map(\.label)))
        let usageOfEntry: [String?] = entries.map { usage(of: $0) }
        let hasUsage = usageOfEntry.contains { $0 != nil }

        let count = entries.count
        let rootURL = URL(fileURLWithPath: root)
        let paths = entries.map { rootURL.appendingPathComponent($0.relativePath).path }
        let displayPaths = entries.map { (root as NSString).appendingPathComponent($0.relativePath) }
        var width = options.width ?? 0, height = options.height ?? 0
        if options.width == nil || options.height == nil {
            // The size of the first image (in sorted order) is the size of all; only its header is read.
            let first = try size(path: paths[0], displayPath: displayPaths[0])
            width = options.width ?? first.width
            height = options.height ?? first.height
            guard width <= DatasetOptions.largestInferredSide, height <= DatasetOptions.largestInferredSide else {
                throw DataError(
                    file: displayPaths[0],
                    """
                    is \(first.width)x\(first.height), and the first image's size is the size of every image \
                    when the config gives none; FERLab works on small face crops: set the size (dataset.width and dataset.height, \
                    or --width and --height; FER2013's are 48) to resize every image to it
                    """)
            }
        }
        let pixelsPerImage = width * height
        try PixelRoom.check(images: count, width: width, height: height, file: root)
        var failures: [DataError?] = []
        let pixels = try [UInt8](unsafeUninitializedCapacity: count * pixelsPerImage) { buffer, initialized in
            let out = SendablePointer(buffer.baseAddress!)
            let (targetWidth, targetHeight) = (width, height)
            failures = ParallelLoop.mapChunks(count: count, chunks: min(count, 64)) { _, range in
                for row in range {
                    do {
                        let image = try decode(path: paths[row], displayPath: displayPaths[row])
                        let sized = ImageResizer.resize(image, width: targetWidth, height: targetHeight)
                        sized.pixels.withUnsafeBufferPointer { source in
                            (out.pointer + row * pixelsPerImage).update(
                                from: source.baseAddress!, count: pixelsPerImage)
                        }
                    } catch let error as DataError {
                        return error
                    } catch {
                        return DataError(file: displayPaths[row], "\(error)")
                    }
                }
                return nil
            }
            if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
            initialized = count * pixelsPerImage
        }

        var usageNames: [String] = []
        var usageCodes: [UInt16]? = nil
        var missingUsage = 0
        if hasUsage {
            var index: [String: UInt16] = [:]
            usageCodes = usageOfEntry.map { name in
                let key = name ?? ""
                if name == nil { missingUsage += 1 }
                if let code = index[key] { return code }
                let code = UInt16(usageNames.count)
                usageNames.append(key)
                index[key] = code
                return code
            }
        }
        var columns = ["label (folder name)", "pixels (image file)"]
        if hasUsage { columns.append("Usage (file-name prefix or split folder)") }
        let provenance = DatasetProvenance(
            kind: .imageFolders, path: root, columns: columns,
            missing: hasUsage ? [columns[2]: missingUsage] : [:], skipped: found.skipped)
        return Dataset(
            width: width, height: height, pixels: pixels,
            labels: entries.map { Int32(codeOf[$0.label, default: 0]) }, labelNames: labelNames,
            usage: usageCodes, usageNames: usageNames, provenance: provenance)
    }

    /// The image files found in the tree, and what was passed over, with why.
    struct Scan {
        var entries: [Entry]
        var skipped: [String]
    }

    /// The paths, relative to `root` and in reading order, of the image files a dataset read from `root` holds.
    package static func imageFiles(root: String) throws -> [String] {
        try scan(root: root).entries.map(\.relativePath)
    }

    /// Finds the image files and works out the layout.
    static func scan(root: String) throws -> Scan {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
            throw DataError(file: root, "no such file or folder")
        }
        guard isDirectory.boolValue else { throw DataError(file: root, "is not a folder") }
        var lister = FolderLister()
        let top = try lister.list(root)
        if let stray = top.files.first(where: isImage) {
            throw DataError(
                file: (root as NSString).appendingPathComponent(stray),
                "images must sit in one folder per label (ROOT/<label>/image.png)")
        }
        guard !top.folders.isEmpty else {
            throw DataError(
                file: root, "has no label folders (expected ROOT/<label>/*.png or ROOT/<split>/<label>/*.jpg)")
        }
        var entries: [Entry] = []
        for folder in top.folders {
            let path = (root as NSString).appendingPathComponent(folder)
            let inner = try lister.list(path)
            let images = inner.files.filter(isImage)
            if !images.isEmpty && !inner.folders.isEmpty {
                throw DataError(
                    file: path, "holds both images and folders; use ROOT/<label>/* or ROOT/<split>/<label>/*")
            }
            if !images.isEmpty || inner.folders.isEmpty {
                entries += images.map { Entry(relativePath: "\(folder)/\($0)", label: folder, split: nil) }
                continue
            }
            for labelFolder in inner.folders {
                let labelPath = (path as NSString).appendingPathComponent(labelFolder)
                let listing = try lister.list(labelPath)
                let files = listing.files.filter(isImage)
                if files.isEmpty && !listing.folders.isEmpty {
                    throw try severalDatasets(root: root, folders: top.folders)
                }
                entries += files.map {
                    Entry(relativePath: "\(folder)/\(labelFolder)/\($0)", label: labelFolder, split: folder)
                }
            }
        }
        guard !entries.isEmpty else {
            throw DataError(file: root, "contains no .png or .jpg images" + lister.skippedSummary)
        }
        let sorted = entries.sorted { $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8) }
        return Scan(entries: sorted, skipped: lister.skipped)
    }

    /// The error for a tree with images deeper than `ROOT/<split>/<label>/`: a folder whose folders are datasets
    /// of their own (a folder of label folders beside a folder of split folders, say), saying what each holds,
    /// or, when every folder is that deep, a tree nested one level more than FERLab reads.
    private static func severalDatasets(root: String, folders: [String]) throws -> DataError {
        // A lister of its own: the scan's has marked these folders read.
        var lister = FolderLister()
        var kinds: [String] = [], deep: [String] = []
        for folder in folders {
            let path = (root as NSString).appendingPathComponent(folder)
            let inner = try lister.list(path)
            let nested = try inner.folders.filter {
                !(try lister.list((path as NSString).appendingPathComponent($0)).folders.isEmpty)
            }
            let names = inner.folders.prefix(4).joined(separator: ", ") + (inner.folders.count > 4 ? ", ..." : "")
            if !nested.isEmpty { deep.append("\(folder)/\(nested[0])") }
            kinds.append(
                inner.folders.isEmpty
                    ? "\(folder)/ (a label folder of \(inner.files.filter(isImage).count) images)"
                    : nested.isEmpty
                        ? "\(folder)/ (label folders \(names))"
                        : "\(folder)/ (split folders \(names), each with label folders)")
        }
        let layouts = "FERLab reads ROOT/<label>/* or ROOT/<split>/<label>/*"
        guard deep.count < folders.count else {
            return DataError(
                file: root,
                "is nested deeper than FERLab reads: \(deep[0])/ holds folders, not images (\(layouts)). Point the "
                    + "dataset's path one level down, or move each image into its label's folder")
        }
        let example = (root as NSString).appendingPathComponent(folders[0])
        return DataError(
            file: root,
            "holds more than one dataset, which FERLab does not merge: \(kinds.joined(separator: "; ")). "
                + "Read as one, the images in the deeper folders would be passed over. \(layouts): point the "
                + "dataset's path at one of them, like \(example)")
    }

    /// Label names and each name's code.
    static func labelTable(for names: Set<String>) -> ([String], [String: Int]) {
        let ferCodes = names.compactMap { name in EmotionLabels.fer2013Code(of: name).map { (name, $0) } }
        if ferCodes.count == names.count {
            return (EmotionLabels.fer2013, Dictionary(uniqueKeysWithValues: ferCodes))
        }
        let sorted = names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return (sorted, Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) }))
    }

    private static func usage(of entry: Entry) -> String? {
        let fileName = (entry.relativePath as NSString).lastPathComponent
        if let prefix = usagePrefixes.first(where: { fileName.hasPrefix($0 + "_") }) { return prefix }
        return entry.split
    }

    private static func isImage(_ name: String) -> Bool {
        imageExtensions.contains((name as NSString).pathExtension.lowercased())
    }

    static func decode(path: String, displayPath: String) throws -> GrayImage {
        try withImage(path: path, displayPath: displayPath, png: PNGCodec.decodeGray, jpeg: JPEGCodec.decodeGray)
    }

    /// An image's size from its header alone.
    private static func size(path: String, displayPath: String) throws -> (width: Int, height: Int) {
        try withImage(path: path, displayPath: displayPath, png: PNGCodec.size, jpeg: JPEGCodec.size)
    }

    /// What `png` or `jpeg` (by the file's signature) makes of the image file's bytes; errors name `displayPath`.
    private static func withImage<T>(
        path: String, displayPath: String, png: (UnsafeRawBufferPointer) throws -> T,
        jpeg: (UnsafeRawBufferPointer) throws -> T
    ) throws -> T {
        let file = try DataFile.read(path: path, displayPath: displayPath)
        guard !file.isEmpty else { throw DataError(file: displayPath, "image file is empty") }
        do {
            return try file.withUnsafeBytes { bytes in
                if PNGCodec.isPNG(bytes) { return try png(bytes) }
                if JPEGCodec.isJPEG(bytes) { return try jpeg(bytes) }
                throw DataError(file: displayPath, "is neither a PNG nor a JPEG image")
            }
        } catch let error as CodecError {
            throw DataError(file: displayPath, error.message)
        }
    }
}
