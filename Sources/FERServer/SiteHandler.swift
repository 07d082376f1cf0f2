import Foundation

/// One answer of the site server.
struct SiteResponse: Sendable {
    /// The status code and its phrase.
    var status: Int, reason: String
    /// Headers besides `Content-Length` and `Connection`, which the server adds.
    var headers: [(String, String)]
    /// The body (sent only for GET).
    var body: [UInt8]
    /// A file sent in pieces as the body instead (a site's large files are never read whole).
    var file: OpenFile? = nil

    /// The body's length in bytes.
    var length: Int { file?.size ?? body.count }

    /// A plain-text answer.
    static func plain(_ status: Int, _ reason: String, _ text: String, extra: [(String, String)] = []) -> SiteResponse {
        SiteResponse(
            status: status, reason: reason, headers: [("Content-Type", "text/plain; charset=utf-8")] + extra,
            body: Array(text.utf8))
    }
}

/// A file opened for one response, closed when the response is done with it.
final class OpenFile: @unchecked Sendable {
    /// Its descriptor, read from its start.
    let descriptor: Int32
    /// Its size when opened: the number of bytes sent.
    let size: Int

    /// Opens the regular file at `path` without blocking; `nil` when it is not one.
    init?(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        size = Int(info.st_size)
    }

    /// The whole file, when it is at most `limit` bytes.
    func contents(limit: Int) -> [UInt8]? {
        guard size <= limit else { return nil }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let count = bytes.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress! + done, size - done, off_t(done))
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            done += count
        }
        return bytes
    }

    deinit { close(descriptor) }
}

/// Serves the files of a site folder, and nothing outside it.
///
/// Only GET and HEAD are answered. A request path is percent-decoded once;
/// paths with `..` or `.` segments, NUL bytes or backslashes are refused, and
/// the resolved file (symbolic links followed) must still lie inside the
/// site folder. Folders serve their `index.html`. HTML pages get a small
/// script that reloads them when the site is rebuilt; other files (and
/// pages over 8 MB) are sent from the open file in pieces.
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

    /// The largest page the reload script is added to.
    static let largestEditedPage = 8 << 20

    /// The answer to `method` on `target` (a path, with or without a query).
    func respond(method: String, target: String) -> SiteResponse {
        guard method == "GET" || method == "HEAD" else {
            return .plain(
                405, "Method Not Allowed", "only GET and HEAD are supported\n", extra: [("Allow", "GET, HEAD")])
        }
        let path = String(target.prefix { $0 != "?" && $0 != "#" })
        guard let file = resolve(path), let opened = OpenFile(file) else {
            // Browsers ask for an icon on every page: no icon is not an error worth a console line.
            if path == "/favicon.ico" { return SiteResponse(status: 204, reason: "No Content", headers: [], body: []) }
            return .plain(404, "Not Found", "not found\n")
        }
        let type = Self.contentTypes[(file as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
        var response = SiteResponse(
            status: 200, reason: "OK",
            headers: [
                ("Content-Type", type), ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ], body: [], file: opened)
        if type.hasPrefix("text/html"), let bytes = opened.contents(limit: Self.largestEditedPage),
            let page = String(validating: bytes, as: UTF8.self),
            let end = page.range(of: "</body>", options: .backwards)
        {
            response.body = Array((page[..<end.lowerBound] + reloadSnippet + page[end.lowerBound...]).utf8)
            response.file = nil
        }
        return response
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
