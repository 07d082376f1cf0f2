import Foundation

/// A parameter sweep: config keys, each with the values to try; its points
/// are the cross product (the first key varies slowest). Given with
/// `--sweep models.clusters=5,7,9` or a config's `sweep:` section.
package struct Sweep: Sendable, Equatable {
    /// One swept key and its values, as `--set` would take them.
    package struct Axis: Sendable, Equatable {
        /// The key path, like `models.clusters`.
        package let key: String
        /// Its values, as YAML text.
        package let values: [String]

        /// An axis of `key` over `values`.
        package init(key: String, values: [String]) {
            self.key = key
            self.values = values
        }

        /// Reads `key.path=a,b,c` (commas inside brackets belong to a value: `grid.components=[2, 5],[2, 3]`).
        /// - Throws: `ConfigError` naming the `--sweep` argument when it is not of that form.
        package init(parsing text: String) throws {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ConfigError(
                    file: "--sweep \(text)", line: nil, path: "",
                    "needs key=value,value,..., like models.clusters=5,7,9")
            }
            var values: [String] = [], current = "", depth = 0
            for character in text[text.index(after: equals)...] {
                if character == "[" || character == "{" { depth += 1 }
                if character == "]" || character == "}" { depth -= 1 }
                if character == "," && depth == 0 {
                    values.append(current.trimmingCharacters(in: .whitespaces))
                    current = ""
                } else {
                    current.append(character)
                }
            }
            values.append(current.trimmingCharacters(in: .whitespaces))
            guard values.count >= 1, values.allSatisfy({ !$0.isEmpty }) else {
                throw ConfigError(file: "--sweep \(text)", line: nil, path: "", "has an empty value")
            }
            self.init(key: String(text[..<equals]), values: values)
        }
    }

    /// One point: its readable name and the `key=value` overrides that make it.
    package struct Point: Sendable, Equatable {
        /// The point's folder name: `clusters-7_features-hog`.
        package let name: String
        /// Its overrides, one per axis.
        package let overrides: [String]
    }

    /// The swept keys.
    package let axes: [Axis]

    /// A sweep over `axes`.
    package init(axes: [Axis]) {
        self.axes = axes
    }

    /// The most points a sweep may have: each is a whole experiment with its own site.
    package static let largestPointCount = 1_000

    /// How many points the sweep has (`nil` when the count overflows), without building them.
    package var pointCount: Int? {
        axes.reduce(Optional(1)) { count, axis in
            count.flatMap { count in
                let (product, overflow) = count.multipliedReportingOverflow(by: axis.values.count)
                return overflow ? nil : product
            }
        }
    }

    /// Refuses a sweep of more than `largestPointCount` points, before any point is built.
    /// - Throws: `ConfigError` saying how many points the axes make.
    package func checkSize() throws {
        if let count = pointCount, count <= Self.largestPointCount { return }
        let sizes = axes.map { "\($0.key): \($0.values.count)" }.joined(separator: ", ")
        throw ConfigError(
            file: "--sweep and sweep:", line: nil, path: "",
            "make \(pointCount.map { "\($0)" } ?? "more than \(Int.max)") points (\(sizes) values); a sweep runs at most "
                + "\(Self.largestPointCount) experiments: sweep fewer values or fewer keys")
    }

    /// Whether there is nothing to sweep.
    package var isEmpty: Bool { axes.isEmpty }

    /// Every point, the first axis varying slowest.
    package var points: [Point] {
        // Name each axis by its last key part, or by its whole path when two axes share the last part.
        let lasts = axes.map { $0.key.split(separator: ".").last.map(String.init) ?? $0.key }
        let labels = axes.indices.map { index in
            lasts.filter { $0 == lasts[index] }.count > 1
                ? axes[index].key.replacingOccurrences(of: ".", with: "-")
                : lasts[index]
        }
        var points: [[(label: String, key: String, value: String)]] = [[]]
        for (axis, label) in zip(axes, labels) {
            points = points.flatMap { point in axis.values.map { point + [(label, axis.key, $0)] } }
        }
        return points.map { parts in
            Point(
                name: parts.map { "\($0.label)-\(Self.fileSafe($0.value))" }.joined(separator: "_"),
                overrides: parts.map { "\($0.key)=\($0.value)" })
        }
    }

    /// `value` as a folder name: letters, digits, `.`, `+` and `-` kept, runs of anything else one `-`.
    package static func fileSafe(_ value: String) -> String {
        var text = ""
        for character in value {
            if character.isLetter || character.isNumber || ".+".contains(character) {
                text.append(character)
            } else if !text.hasSuffix("-") {
                text.append("-")
            }
        }
        while text.hasSuffix("-") { text.removeLast() }
        while text.hasPrefix("-") { text.removeFirst() }
        return text.isEmpty ? "value" : text
    }
}
