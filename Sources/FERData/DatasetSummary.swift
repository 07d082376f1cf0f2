/// What the data-exploration milestone reports about a dataset: its size,
/// columns, label codes and counts, usage values and missing values.
package struct DatasetSummary: Codable, Equatable, Sendable {
    /// Rows per label.
    package struct LabelCount: Codable, Equatable, Sendable {
        /// The label code.
        package var code: Int
        /// The label name.
        package var name: String
        /// Rows with this label.
        package var count: Int
    }

    /// Rows per usage value.
    package struct UsageCount: Codable, Equatable, Sendable {
        /// The usage value.
        package var name: String
        /// Rows with this usage.
        package var count: Int
    }

    /// The path or description of the source.
    package var source: String
    /// `csv`, `image-folders` or `synthetic`.
    package var kind: String
    /// Number of images.
    package var rows: Int
    /// The source's columns.
    package var columns: [String]
    /// Image width in pixels.
    package var width: Int
    /// Image height in pixels.
    package var height: Int
    /// Pixel values per row; every row was checked to have exactly this many when read.
    package var pixelsPerRow: Int
    /// Rows per label, in code order, including labels with no rows.
    package var labels: [LabelCount]
    /// Rows per usage value, in order of first appearance; empty when the source has none.
    package var usage: [UsageCount]
    /// Per-column count of missing values.
    package var missingValues: [String: Int]
    /// Entries of the source passed over, each with why.
    package var skipped: [String]
    /// How many images differ, and how many are one gray level.
    package var variety: Dataset.ImageVariety

    /// Summarises `dataset`.
    package init(_ dataset: Dataset) {
        source = dataset.provenance.path
        kind = dataset.provenance.kind.rawValue
        rows = dataset.count
        columns = dataset.provenance.columns
        width = dataset.width
        height = dataset.height
        pixelsPerRow = dataset.pixelsPerImage
        labels = zip(dataset.labelNames.indices, dataset.classCounts).map {
            LabelCount(code: $0, name: dataset.labelNames[$0], count: $1)
        }
        var usageCounts = [Int](repeating: 0, count: dataset.usageNames.count)
        for code in dataset.usage ?? [] { usageCounts[Int(code)] += 1 }
        usage = zip(dataset.usageNames, usageCounts).compactMap { name, count in
            name.isEmpty ? nil : UsageCount(name: name, count: count)
        }
        missingValues = dataset.provenance.missing
        skipped = dataset.provenance.skipped
        variety = dataset.imageVariety()
    }

    /// A plain-text report, aligned for a terminal.
    package func text() -> String {
        var lines: [String] = []
        func field(_ name: String, _ value: String) {
            lines.append(name.padding(to: 15) + value)
        }
        field("source", "\(source) (\(kind))")
        field("rows", Self.grouped(rows))
        field("columns", columns.joined(separator: ", "))
        field("pixels", "\(Self.grouped(pixelsPerRow)) per row (\(width)x\(height) grayscale), checked on every row")
        let nameWidth = max(8, labels.map(\.name.count).max() ?? 0)
        let countWidth = Self.grouped(labels.map(\.count).max() ?? 0).count
        let codeWidth = String(max(0, labels.count - 1)).count
        for (index, label) in labels.enumerated() {
            let share = rows > 0 ? Double(label.count) * 100 / Double(rows) : 0
            let value =
                String(label.code).leftPadded(to: codeWidth) + " " + label.name.padding(to: nameWidth + 1)
                + Self.grouped(label.count).leftPadded(to: countWidth) + "  " + Self.percent(share)
            field(index == 0 ? "labels" : "", value)
        }
        if usage.isEmpty {
            field("usage", "no usage column")
        } else {
            let usageWidth = usage.map(\.name.count).max() ?? 0
            let usageCountWidth = Self.grouped(usage.map(\.count).max() ?? 0).count
            for (index, entry) in usage.enumerated() {
                field(
                    index == 0 ? "usage" : "",
                    entry.name.padding(to: usageWidth + 1) + Self.grouped(entry.count).leftPadded(to: usageCountWidth))
            }
        }
        let missing = missingValues.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        field(
            "missing values",
            missing.isEmpty
                ? "none"
                : missing.map { "\($0.key): \(Self.grouped($0.value))" }.joined(separator: ", "))
        field(
            "distinct",
            "\(Self.grouped(variety.distinct)) distinct images, \(Self.grouped(variety.constant)) of one gray level")
        for (index, line) in skipped.enumerated() { field(index == 0 ? "passed over" : "", line) }
        return lines.joined(separator: "\n")
    }

    /// `35887` as `35,887`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }

    /// A percentage with one decimal, right-aligned in six characters.
    static func percent(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)%".leftPadded(to: 6)
    }
}

extension String {
    /// The string padded with spaces on the right to at least `width` characters.
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// The string padded with spaces on the left to at least `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
