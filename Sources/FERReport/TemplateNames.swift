import Mustache

/// Checks that every name a Mustache template uses exists in the values it is
/// rendered with, so a misspelt `{{silhouete}}` stops the run with the
/// template's file and line instead of rendering as an empty string.
///
/// Names resolve as Mustache resolves them: the first part of a dotted name
/// through the enclosing sections from the innermost out, the rest inside
/// it. Inside a section over a list, a name must exist in some element or
/// around the section. Every name must exist, a section's too: the values
/// hold false for what a run does not have (a figure it does not draw is
/// false among `figures`; a choice holds a flag for each of its values,
/// `TemplateChoice`), so a missing name is misspelt or unknown. Only what is
/// rendered is checked: the body of a section over false or an empty list, or
/// of an inverted section over anything else, may name values that exist
/// only in other runs. A partial (`{{> findings}}`) must exist, and its names
/// are checked where it is included. Comments and pragmas are passed over.
struct TemplateNames {
    /// A name the values do not hold.
    struct Unknown: Error, Equatable {
        /// The name as written.
        let name: String
        /// Its line in the template (from 1).
        let line: Int
        /// The partial it is in, `nil` for the template itself.
        var partial: String? = nil
    }

    /// Throws `Unknown` for the first name of `text` (or of a partial it includes, from `partials` by name)
    /// that `values` do not hold.
    static func check(_ text: String, against values: [String: Any], partials: [String: String] = [:]) throws {
        try check(text, scopes: [[values]], partials: partials, inside: nil)
    }

    private static func check(
        _ text: String, scopes: [[Any]], partials: [String: String], inside partial: String?
    ) throws {
        let tags = Self.tags(in: text)
        var index = 0
        do {
            try checkBody(tags, from: &index, scopes: scopes, closing: nil, partials: partials)
        } catch var unknown as Unknown where unknown.partial == nil {
            unknown.partial = partial
            throw unknown
        }
    }

    /// The partials `text` includes (`{{> name}}`), with their lines.
    static func includes(in text: String) -> [(name: String, line: Int)] {
        tags(in: text).filter { $0.kind == ">" }.map { ($0.name, $0.line) }
    }

    /// One `{{...}}` tag: its kind (`#`, `^`, `/`, or "" for a value), name and line.
    private struct Tag {
        let kind: Character?
        let name: String
        let line: Int
    }

    private static func tags(in text: String) -> [Tag] {
        var tags: [Tag] = []
        var line = 1
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            line += rest[..<open.lowerBound].filter { $0 == "\n" }.count
            var body = rest[open.upperBound...]
            let triple = body.hasPrefix("{")
            if triple { body = body.dropFirst() }
            guard let close = body.range(of: triple ? "}}}" : "}}") else { break }
            let content = body[..<close.lowerBound]
            rest = body[close.upperBound...]
            let tagLine = line
            line += content.filter { $0 == "\n" }.count
            var trimmed = content.trimmingWhitespace
            guard let first = trimmed.first else { continue }
            switch first {
            case "!", "%", "=":
                continue
            case ">":
                tags.append(Tag(kind: ">", name: String(trimmed.dropFirst().trimmingWhitespace), line: tagLine))
            case "#", "^", "/", "&":
                trimmed = trimmed.dropFirst().trimmingWhitespace
                tags.append(Tag(kind: first == "&" ? nil : first, name: String(trimmed), line: tagLine))
            default:
                tags.append(Tag(kind: nil, name: String(trimmed), line: tagLine))
            }
        }
        return tags
    }

    /// Checks tags from `index` until the section named `closing` ends (or the template does).
    /// `scopes` holds, innermost last, the candidate values of each enclosing section.
    private static func checkBody(
        _ tags: [Tag], from index: inout Int, scopes: [[Any]], closing: String?, partials: [String: String]
    ) throws {
        while index < tags.count {
            let tag = tags[index]
            index += 1
            switch tag.kind {
            case "/":
                if tag.name == closing { return }
            case ">":
                guard let partial = partials[tag.name] else {
                    throw Unknown(name: "> \(tag.name)", line: tag.line)
                }
                try check(partial, scopes: scopes, partials: partials, inside: tag.name)
            case "#", "^":
                let found = try resolve(tag, in: scopes)
                let elements = found.flatMap { value -> [Any] in
                    if let list = value as? [Any] { return list }
                    if let flag = value as? Bool { return flag ? [true] : [] }
                    return [value]
                }
                // Only a body that is rendered must name existing values: a section over false or an empty list,
                // or an inverted section over anything else, is skipped.
                guard elements.isEmpty == (tag.kind == "^") else {
                    skipSection(tags, from: &index, named: tag.name)
                    continue
                }
                var inner = scopes
                if tag.kind == "#" { inner.append(elements) }
                try checkBody(tags, from: &index, scopes: inner, closing: tag.name, partials: partials)
            default:
                _ = try resolve(tag, in: scopes)
            }
        }
    }

    private static func skipSection(_ tags: [Tag], from index: inout Int, named name: String) {
        var depth = 1
        while index < tags.count {
            let tag = tags[index]
            index += 1
            if tag.kind == "#" || tag.kind == "^", tag.name == name { depth += 1 }
            if tag.kind == "/", tag.name == name {
                depth -= 1
                if depth == 0 { return }
            }
        }
    }

    /// The values `tag`'s name stands for in the innermost scope that holds its first part.
    private static func resolve(_ tag: Tag, in scopes: [[Any]]) throws -> [Any] {
        if tag.name == "." { return scopes.last ?? [] }
        let parts = tag.name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for scope in scopes.reversed() {
            let holders = scope.compactMap { ($0 as? MustacheParent)?.child(named: parts[0]) }
            guard !holders.isEmpty else { continue }
            var current = holders
            for part in parts.dropFirst() {
                current = current.compactMap { ($0 as? MustacheParent)?.child(named: part) }
                if current.isEmpty { throw Unknown(name: tag.name, line: tag.line) }
            }
            return current
        }
        throw Unknown(name: tag.name, line: tag.line)
    }
}

private extension Substring {
    var trimmingWhitespace: Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result = result.dropFirst() }
        while let last = result.last, last.isWhitespace { result = result.dropLast() }
        return result
    }
}
