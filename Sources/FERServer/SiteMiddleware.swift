import Foundation
import HTTPTypes
import Hummingbird

/// Answers only requests whose `Host` names this machine's loopback
/// interface or the address served (421 otherwise), unless the network is
/// served on purpose: a page elsewhere cannot read the site through a DNS
/// name rebound to 127.0.0.1.
struct LoopbackHostMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The address served.
    let host: String
    /// Whether every `Host` is answered (`--host`).
    let acceptsAnyHost: Bool

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard acceptsAnyHost || isLocal(request.head.authority) else {
            return Response(
                .plain(421, "Misdirected Request", "this server answers requests for \(host) and localhost only\n"),
                method: request.method)
        }
        return try await next(request, context)
    }

    /// Whether a `Host` names this machine's loopback interface or the address served (no `Host` does).
    func isLocal(_ hostHeader: String?) -> Bool {
        guard let hostHeader, !hostHeader.isEmpty else { return true }
        var name = hostHeader.lowercased()
        if name.hasPrefix("["), let end = name.firstIndex(of: "]") {
            name = String(name[name.index(after: name.startIndex)..<end])
        } else if let colon = name.lastIndex(of: ":") {
            name = String(name[..<colon])
        }
        return ["localhost", "127.0.0.1", "::1", host.lowercased()].contains(name) || name.hasSuffix(".localhost")
    }
}

/// Answers every request outside `/_ferlab/` from the site's files
/// (`SiteHandler`); the server's own paths go on to the router.
struct SiteFilesMiddleware<Context: RequestContext>: RouterMiddleware {
    let files: SiteHandler

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.uri.path.hasPrefix(SiteServer.ownPrefix) { return try await next(request, context) }
        return Response(
            files.respond(method: request.method.rawValue, target: request.head.path ?? "/"), method: request.method)
    }
}

extension Response {
    /// `site` as Hummingbird sends it: a file in pieces read just before each is sent, a HEAD answer without its
    /// body.
    init(_ site: SiteResponse, method: HTTPRequest.Method) {
        var fields = HTTPFields()
        for (name, value) in site.headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        let body =
            if let file = site.file {
                ResponseBody(contentLength: file.size) { writer in
                    try await file.send(to: &writer)
                    try await writer.finish(nil)
                }
            } else {
                ResponseBody(byteBuffer: ByteBuffer(bytes: site.body))
            }
        self.init(status: .init(code: site.status, reasonPhrase: site.reason), headers: fields, body: body)
        if method == .head { self = createHeadResponse() }
    }
}

extension OpenFile {
    /// The bytes of one piece: memory stays flat whatever the file's size.
    static let pieceSize = 256 << 10

    /// Writes the file to `writer` piece by piece; throws when it shrank meanwhile, so that the connection ends
    /// instead of promising bytes it does not send.
    func send(to writer: inout any ResponseBodyWriter) async throws {
        var offset = 0
        while offset < size {
            var piece = ByteBuffer()
            piece.reserveCapacity(min(Self.pieceSize, size - offset))
            let count = piece.writeWithUnsafeMutableBytes(minimumWritableBytes: 0) { space in
                var count = -1
                repeat {
                    count = pread(descriptor, space.baseAddress, min(space.count, size - offset), off_t(offset))
                } while count < 0 && errno == EINTR
                return max(count, 0)
            }
            guard count > 0 else { throw POSIXError(.EIO) }
            offset += count
            try await writer.write(piece)
        }
    }
}
