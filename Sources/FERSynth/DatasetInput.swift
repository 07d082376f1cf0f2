import FERData

/// The dataset a command works on: a CSV file or image folder given by path,
/// or, when no path (or `synthetic`) is given, the built-in synthetic faces.
public enum DatasetInput {
    /// The name that selects the built-in dataset.
    public static let builtInName = SyntheticFaces.sourceName

    /// Loads `path`, or generates the built-in dataset when `path` is `nil`
    /// or `synthetic`. The built-in dataset is always 48x48 and ignores `options`.
    public static func load(_ path: String?, options: DatasetOptions = DatasetOptions()) throws -> Dataset {
        guard let path, path != builtInName else { return SyntheticFaces.generate() }
        return try DatasetLoader.load(path: path, options: options)
    }
}
