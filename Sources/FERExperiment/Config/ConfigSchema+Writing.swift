extension ConfigSchema {
    /// The default experiment as a config file: every key the default file writes, with its default and comment.
    static var defaultFileText: String {
        var lines = [
            "# The default experiment: FERLab's built-in synthetic faces, no download needed.",
            "# Every key below has this value when a config file leaves it out.",
        ]
        var open: [String] = []
        let written = keys.filter { $0.defaultText != nil }
        var index = 0
        while index < written.count {
            let key = written[index]
            if let group = groups[key.section], group.inline {
                // The section's keys on its own line: `hog: {cell: 6, block: 2}`.
                let members = written[index...].prefix { $0.section == key.section }
                let parent = String(key.section.split(separator: ".").dropLast().joined(separator: "."))
                lines += openSections(parent, open: &open)
                let values = members.map { "\($0.name): \($0.defaultText ?? "")" }.joined(separator: ", ")
                lines.append(
                    commented(
                        indent(open.count) + "\(group.path.split(separator: ".").last ?? ""): {\(values)}",
                        group.comment))
                index += members.count
                continue
            }
            lines += openSections(key.section, open: &open)
            let text = key.defaultText ?? ""
            if text.hasPrefix("- ") {
                lines.append(commented(indent(open.count) + "\(key.name):", key.comment))
                lines += text.split(separator: "\n").map { indent(open.count + 1) + $0 }
            } else {
                lines.append(commented(indent(open.count) + "\(key.name): \(text)", key.comment))
            }
            index += 1
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The README's table of keys.
    static var readmeTable: String {
        (["| key | default | meaning |", "|---|---|---|"]
            + keys.map { "| `\($0.path)` | \($0.shownDefault) | \($0.meaning) |" }).joined(separator: "\n")
    }

    /// The header lines that take the file from the sections in `open` to `path`.
    private static func openSections(_ path: String, open: inout [String]) -> [String] {
        let wanted = path.isEmpty ? [] : path.split(separator: ".").map(String.init)
        var shared = 0
        while shared < min(open.count, wanted.count) && open[shared] == wanted[shared] { shared += 1 }
        open.removeSubrange(shared...)
        var lines: [String] = []
        for name in wanted[shared...] {
            let sectionPath = (open + [name]).joined(separator: ".")
            lines.append(commented(indent(open.count) + "\(name):", groups[sectionPath]?.comment))
            open.append(name)
        }
        return lines
    }

    private static func indent(_ depth: Int) -> String {
        String(repeating: "  ", count: depth)
    }

    /// `line` with `comment` after it, comments aligned in one column where the line leaves room.
    private static func commented(_ line: String, _ comment: String?) -> String {
        guard let comment else { return line }
        let column = 27
        let padding = line.count <= column - 2 ? column - line.count : 2
        return line + String(repeating: " ", count: padding) + "# " + comment
    }
}
