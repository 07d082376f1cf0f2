import Foundation

/// Reads a dataset from a path, choosing the reader by what the path is: a
/// folder is read as an image tree, a file as FER-layout CSV (plain or gzip).
package enum DatasetLoader {
    /// Loads the dataset at `path`.
    package static func load(path: String, options: DatasetOptions = DatasetOptions()) throws -> Dataset {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(file: path, "no such file or folder")
        }
        if isDirectory.boolValue {
            return try ImageFolderReader.read(root: path, options: options)
        }
        return try CSVDatasetReader.read(path: path, options: options)
    }
}
