import FlyingFox
import FlyingSocks
import Foundation

/// The local server behind `ferlab serve`: the site's files on
/// `http://HOST:PORT/`, and live reload of open pages when the site is rebuilt.
public struct SiteServer: Sendable {
    /// The site folder.
    public let root: String
    /// The address to listen on (127.0.0.1 unless told otherwise).
    public let host: String
    /// The port.
    public let port: UInt16

    /// The script pages load to reload themselves.
    static let reloadPath = "/_ferlab/reload.js"
    static let socketPath = "/_ferlab/live"
    static let reloadScript = """
        (function () {
          function connect() {
            var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "\(socketPath)");
            socket.onmessage = function (event) { if (event.data === "reload") { location.reload(); } };
            socket.onclose = function () { setTimeout(connect, 1000); };
          }
          connect();
        })();

        """

    /// A server for `root` on `host:port`.
    public init(root: String, host: String = "127.0.0.1", port: UInt16 = 8000) {
        self.root = root
        self.host = host
        self.port = port
    }

    /// The site's address.
    public var url: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/" }

    /// Serves until cancelled; `ready` is called once listening.
    /// - Throws: `ServeError` when the address cannot be used.
    public func run(ready: @escaping @Sendable () -> Void = {}) async throws {
        let address: any SocketAddress
        do {
            address = host.contains(":") ? try sockaddr_in6.inet6(ip6: host, port: port) : try sockaddr_in.inet(ip4: host, port: port)
        } catch {
            throw ServeError("\(host) is not an IP address to listen on")
        }
        let broadcaster = ReloadBroadcaster()
        let server = HTTPServer(address: address, logger: .disabled)
        // Routes match in order: the two live-reload endpoints, then the site for everything else.
        await server.appendRoute(HTTPRoute("GET \(Self.reloadPath)")) { _ in
            HTTPResponse(statusCode: .ok, headers: [.contentType: "text/javascript; charset=utf-8"], body: Data(Self.reloadScript.utf8))
        }
        await server.appendRoute(HTTPRoute("GET \(Self.socketPath)"), to: .webSocket(ReloadSocket(broadcaster: broadcaster)))
        await server.appendRoute(HTTPRoute("*"),
                                 to: SiteHandler(root: root, reloadSnippet: "<script src=\"\(Self.reloadPath)\"></script>\n"))
        let watcher = Task { await Self.watch(root: root, broadcaster: broadcaster) }
        defer { watcher.cancel() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await server.run()
                } catch {
                    throw ServeError("cannot listen on \(host):\(port): \(error); is another server using the port? Pass --port")
                }
            }
            group.addTask {
                try await server.waitUntilListening()
                ready()
            }
            try await group.next()
            try await group.next()
        }
    }

    /// Polls the site's `run.json` and broadcasts a reload whenever it changes.
    static func watch(root: String, broadcaster: ReloadBroadcaster) async {
        var last = stamp(of: root)
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: 300_000_000)
            let current = stamp(of: root)
            if current != last {
                last = current
                await broadcaster.broadcast()
            }
        }
    }

    /// What identifies one build of the site: `run.json`'s inode, size and modification time.
    static func stamp(of root: String) -> String {
        var info = stat()
        guard stat((root as NSString).appendingPathComponent("run.json"), &info) == 0 else { return "" }
        return "\(info.st_ino)-\(info.st_size)-\(info.st_mtim.tv_sec)-\(info.st_mtim.tv_nsec)"
    }
}

/// A server that could not start.
public struct ServeError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
