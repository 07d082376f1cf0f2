import Foundation

/// One answer of the site server.
struct SiteResponse: Sendable {
    /// The status code and its phrase.
    var status: Int, reason: String
    /// Headers besides `Content-Length` and `Connection`, which the server adds.
    var headers: [(String, String)]
    /// The body (sent only for GET).
    var body: [UInt8]

    /// A plain-text answer.
    static func plain(_ status: Int, _ reason: String, _ text: String, extra: [(String, String)] = []) -> SiteResponse {
        SiteResponse(
            status: status, reason: reason, headers: [("Content-Type", "text/plain; charset=utf-8")] + extra,
            body: Array(text.utf8))
    }
}

/// Serves the files of a site folder, and nothing outside it.
///
/// Only GET and HEAD are answered. A request path is percent-decoded once;
/// paths with `..` or `.` segments, NUL bytes or backslashes are refused, and
/// the resolved file (symbolic links followed) must still lie inside the
/// site folder. Folders serve their `index.html`. HTML pages get a small
/// script that reloads them when the site is rebuilt.
struct SiteHandler: Sendable {
    /// The site folder (resolved again on every request: publishing swaps it).
    let root: String
    /// Inserted before `</body>` in HTML responses.
    let reloadSnippet: String

    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8", "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "json": "application/json", "png": "image/png",
        "svg": "image/svg+xml", "jpg": "image/jpeg", "jpeg": "image/jpeg", "txt": "text/plain; charset=utf-8",
        "pdf": "application/pdf", "csv": "text/csv; charset=utf-8",
    ]

    /// The answer to `method` on `target` (a path, with or without a query).
    func respond(method: String, target: String) -> SiteResponse {
        guard method == "GET" || method == "HEAD" else {
            return .plain(
                405, "Method Not Allowed", "only GET and HEAD are supported\n", extra: [("Allow", "GET, HEAD")])
        }
        let path = String(target.prefix { $0 != "?" && $0 != "#" })
        guard let file = resolve(path), let data = FileManager.default.contents(atPath: file) else {
            // Browsers ask for an icon on every page: no icon is not an error worth a console line.
            if path == "/favicon.ico" { return SiteResponse(status: 204, reason: "No Content", headers: [], body: []) }
            return .plain(404, "Not Found", "not found\n")
        }
        var body = [UInt8](data)
        let type = Self.contentTypes[(file as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
        if type.hasPrefix("text/html"), let page = String(validating: body, as: UTF8.self),
            let end = page.range(of: "</body>", options: .backwards)
        {
            body = Array((page[..<end.lowerBound] + reloadSnippet + page[end.lowerBound...]).utf8)
        }
        return SiteResponse(
            status: 200, reason: "OK",
            headers: [
                ("Content-Type", type), ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ], body: body)
    }

    /// The file a request path names inside the site, or `nil`.
    func resolve(_ requestPath: String) -> String? {
        guard let decoded = requestPath.removingPercentEncoding, !decoded.contains("\0"), !decoded.contains("\\") else {
            return nil
        }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !segments.contains(where: { $0 == ".." || $0 == "." }) else { return nil }
        guard let base = realPath(root) else { return nil }
        var candidate = segments.reduce(base) { ($0 as NSString).appendingPathComponent($1) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { candidate = (candidate as NSString).appendingPathComponent("index.html") }
        guard let resolved = realPath(candidate), resolved == base || resolved.hasPrefix(base + "/") else { return nil }
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else {
            return nil
        }
        return resolved
    }

    private func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
