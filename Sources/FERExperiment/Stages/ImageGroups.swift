import FERData
import FERStages
import Foundation

/// The group of each image (its subject, say), read from a CSV column or from
/// a pattern on image paths (`split.groups`). A group's images are kept
/// wholly on one side of every split and are resampled together.
package struct ImageGroups: Sendable, Equatable {
    /// Each dataset row's group, an index into `names`; empty when the experiment names no groups.
    package var codes: [Int32]
    /// Group names, in order of first appearance.
    package var names: [String]

    /// No groups: every image stands alone.
    package static let none = ImageGroups(codes: [], names: [])

    /// Whether the experiment names groups.
    package var isGrouped: Bool { !names.isEmpty }

    /// The group codes of `rows` (dataset rows); `nil` when ungrouped.
    package func codes(of rows: [Int]) -> [Int32]? {
        isGrouped ? rows.map { codes[$0] } : nil
    }

    /// What the groups stage reads: where the groups come from (the data is its input).
    package struct Settings: StageParameters {
        /// `split.groups`.
        package var source: ExperimentConfig.GroupSource?
    }

    /// The groups `settings` name in `dataset`.
    /// - Throws: `ConfigProblem` at `split.groups` when the source does not fit the data (a column a CSV lacks, a
    ///   pattern an image path does not match); `DataError` naming the line of a row with no group.
    static func read(_ settings: Settings, dataset: Dataset) throws -> ImageGroups {
        guard let source = settings.source else { return .none }
        let data = dataset.provenance.path
        let names: [String]
        switch (source, dataset.provenance.kind) {
        case (_, .synthetic):
            throw ConfigProblem(path: "split.groups", "names groups, but the built-in faces have no subjects to group")
        case (.column(let column), .csv):
            names = try columnValues(column, file: data)
        case (.pattern(let pattern), .imageFolders):
            names = try matches(pattern, root: data)
        case (.column(let column), .imageFolders):
            throw ConfigProblem(
                path: "split.groups",
                "names the column \"\(column)\", but \(data) is an image folder, which has no columns; use "
                    + "{pattern: REGEX} whose first capture group finds the group in each image's path")
        case (.pattern, .csv):
            throw ConfigProblem(
                path: "split.groups",
                "is a pattern on image paths, but \(data) is a CSV file; name the column that holds each row's group")
        }
        guard names.count == dataset.count else {
            throw DataError(file: data, "changed while it was read: it has \(names.count) images, not \(dataset.count)")
        }
        var codeOf: [String: Int32] = [:], ordered: [String] = []
        let codes = names.map { name in
            if let code = codeOf[name] { return code }
            let code = Int32(ordered.count)
            codeOf[name] = code
            ordered.append(name)
            return code
        }
        return ImageGroups(codes: codes, names: ordered)
    }

    /// The values of the CSV column `column`.
    private static func columnValues(_ column: String, file: String) throws -> [String] {
        guard let (values, lines) = try CSVDatasetReader.column(column, path: file) else {
            let columns = try CSVDatasetReader.columns(path: file).map { "\"\($0)\"" }.joined(separator: ", ")
            throw ConfigProblem(
                path: "split.groups", "names the column \"\(column)\", but \(file) has only \(columns)")
        }
        if let empty = values.firstIndex(where: \.isEmpty) {
            throw DataError(
                file: file, line: lines[empty],
                "has no value in the column \"\(column)\" that names each row's group (split.groups)")
        }
        return values
    }

    /// The first capture group of `pattern` in each image's path relative to `root`.
    private static func matches(_ pattern: String, root: String) throws -> [String] {
        guard let expression = try? NSRegularExpression(pattern: pattern) else {
            throw ConfigProblem(path: "split.groups.pattern", "is not a regular expression (\(pattern))")
        }
        let paths = try ImageFolderReader.imageFiles(root: root)
        var names: [String] = []
        names.reserveCapacity(paths.count)
        for (index, path) in paths.enumerated() {
            let whole = NSRange(path.startIndex..., in: path)
            guard let match = expression.firstMatch(in: path, range: whole),
                let range = Range(match.range(at: 1), in: path), !range.isEmpty
            else {
                let others = paths[(index + 1)...].count { path in
                    let range = NSRange(path.startIndex..., in: path)
                    return expression.firstMatch(in: path, range: range).flatMap { Range($0.range(at: 1), in: path) }
                        .map(\.isEmpty) ?? true
                }
                throw ConfigProblem(
                    path: "split.groups.pattern",
                    "(\(pattern)) finds no group in \"\(path)\"\(others > 0 ? " (nor in \(others) later paths)" : ""); "
                        + "its first capture group must match part of every image's path relative to \(root)")
            }
            names.append(String(path[range]))
        }
        return names
    }
}

extension ImageGroups: CacheCodable {
    package func encode(to writer: inout BinaryWriter) {
        writer.write(codes)
        writer.write(names)
    }

    package init(from reader: inout BinaryReader) throws {
        let codes: [Int32] = try reader.read(), names: [String] = try reader.read()
        guard codes.allSatisfy({ $0 >= 0 && Int($0) < names.count }) else { throw CacheError.malformed }
        self.init(codes: codes, names: names)
    }
}
