import FERTemplates
import Foundation

/// The files templates are read from: the user's templates folder first (when
/// one is given), then the templates built into the binary, so a folder needs
/// to hold only the files it changes.
struct TemplateFiles: Sendable {
    /// The user's folder, if any.
    let folder: String?
    /// What is built in, by path.
    let builtIn: [String: [UInt8]]

    /// The files of `folder` over `builtIn`.
    /// - Throws: `TemplateError` when `folder` is given but is not a folder.
    init(folder: String?, builtIn: [String: [UInt8]] = BuiltInTemplates.files) throws {
        if let folder {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
            else { throw TemplateError(file: folder, line: nil, "no such templates folder") }
        }
        self.folder = folder
        self.builtIn = builtIn
    }

    /// Where `name` is read from, as errors name it: its path in the folder, or `built-in Templates/<name>`.
    func place(of name: String) -> String {
        if let path = folderPath(of: name), FileManager.default.fileExists(atPath: path) { return path }
        return "built-in Templates/\(name)"
    }

    /// The bytes of `name`.
    /// - Throws: `TemplateError` when neither the folder nor the built-in set has it.
    func bytes(of name: String) throws -> [UInt8] {
        if let path = folderPath(of: name), let data = FileManager.default.contents(atPath: path) {
            return Array(data)
        }
        guard let bytes = builtIn[name] else {
            throw TemplateError(file: place(of: name), line: nil, "missing: FERLab has no template of this name")
        }
        return bytes
    }

    /// The text of `name` and where it came from.
    func text(of name: String) throws -> (text: String, file: String) {
        (String(decoding: try bytes(of: name), as: UTF8.self), place(of: name))
    }

    /// The names (without `.md.mustache`) of the templates in `subfolder`, built-in or the user's, sorted.
    func templates(in subfolder: String) -> [String] {
        let suffix = ".md.mustache", prefix = subfolder + "/"
        var names = Set(
            builtIn.keys.filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }.map {
                String($0.dropFirst(prefix.count))
            })
        if let path = folderPath(of: subfolder) {
            names.formUnion(
                ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(suffix) })
        }
        return names.filter { !$0.contains("/") }.sorted().map { String($0.dropLast(suffix.count)) }
    }

    /// The top-level `*.md.mustache` files of the user's folder that FERLab does not know: the user's own pages.
    func userPages(known: Set<String>) -> [String] {
        guard let folder else { return [] }
        let suffix = ".md.mustache"
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
            $0.hasSuffix(suffix) && !$0.hasPrefix(".") && !known.contains(String($0.dropLast(suffix.count)))
        }.sorted().map { String($0.dropLast(suffix.count)) }
    }

    /// Every other file of the user's folder (images, say), by path in it: not a template, nor a file FERLab
    /// builds in, nor hidden.
    func assets() throws -> [String: [UInt8]] {
        guard let folder else { return [:] }
        var assets: [String: [UInt8]] = [:]
        for name in (try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? [] {
            let path = (folder as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                !name.hasSuffix(".mustache"), builtIn[name] == nil,
                !name.split(separator: "/").contains(where: { $0.hasPrefix(".") })
            else { continue }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TemplateError(file: path, line: nil, "cannot be read")
            }
            assets[name] = Array(data)
        }
        return assets
    }

    private func folderPath(of name: String) -> String? {
        folder.map { ($0 as NSString).appendingPathComponent(name) }
    }
}
