import FlyingFox
import Foundation

/// Serves the files of a site folder, and nothing outside it.
///
/// Only GET and HEAD are answered. A request path is percent-decoded once;
/// paths with `..` or `.` segments, NUL bytes or backslashes are refused, and
/// the resolved file (symbolic links followed) must still lie inside the
/// site folder. Folders serve their `index.html`. HTML pages get a small
/// script that reloads them when the site is rebuilt.
struct SiteHandler: HTTPHandler {
    /// The site folder (resolved again on every request: publishing swaps it).
    let root: String
    /// Inserted before `</body>` in HTML responses.
    let reloadSnippet: String

    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8", "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "json": "application/json", "png": "image/png",
        "svg": "image/svg+xml", "jpg": "image/jpeg", "jpeg": "image/jpeg", "txt": "text/plain; charset=utf-8",
    ]

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.method == .GET || request.method == .HEAD else {
            return Self.plain(.methodNotAllowed, "only GET and HEAD are supported\n", extra: [.init("Allow"): "GET, HEAD"])
        }
        guard let file = resolve(request.path) else { return Self.plain(.notFound, "not found\n") }
        guard var body = FileManager.default.contents(atPath: file) else { return Self.plain(.notFound, "not found\n") }
        let type = Self.contentTypes[(file as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
        if type.hasPrefix("text/html"), let page = String(data: body, encoding: .utf8), let end = page.range(of: "</body>", options: .backwards) {
            body = Data((page[..<end.lowerBound] + reloadSnippet + page[end.lowerBound...]).utf8)
        }
        var headers: HTTPHeaders = [.contentType: type, .init("Cache-Control"): "no-store",
                                             .init("X-Content-Type-Options"): "nosniff"]
        if request.method == .HEAD {
            headers[.contentLength] = "\(body.count)"
            return HTTPResponse(statusCode: .ok, headers: headers)
        }
        return HTTPResponse(statusCode: .ok, headers: headers, body: body)
    }

    /// The file a request path names inside the site, or `nil`.
    func resolve(_ requestPath: String) -> String? {
        guard let decoded = requestPath.removingPercentEncoding, !decoded.contains("\0"), !decoded.contains("\\") else { return nil }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !segments.contains(where: { $0 == ".." || $0 == "." }) else { return nil }
        guard let base = realPath(root) else { return nil }
        var candidate = segments.reduce(base) { ($0 as NSString).appendingPathComponent($1) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue { candidate = (candidate as NSString).appendingPathComponent("index.html") }
        guard let resolved = realPath(candidate), resolved == base || resolved.hasPrefix(base + "/") else { return nil }
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        return resolved
    }

    private func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func plain(_ status: HTTPStatusCode, _ text: String, extra: [HTTPHeader: String] = [:]) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: HTTPHeaders(extra.merging([.contentType: "text/plain; charset=utf-8"]) { $1 }),
                     body: Data(text.utf8))
    }
}
