import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The local server behind `ferlab serve`: the site's files on
/// `http://HOST:PORT/`, and live reload of open pages when the site is rebuilt.
///
/// It is a Hummingbird application. FERLab's limits come first in every
/// connection (`HeadGuard`): at most `connectionLimit` connections, the one
/// waiting longest for its request head closed to make room; each head read
/// whole within `RequestHead`'s limits and `headDeadline`, so a huge request
/// line, a flood of headers or a trickling client is refused at a bounded
/// cost while other requests keep being answered. Middleware then checks
/// the `Host` (`LoopbackHostMiddleware`) and answers from the site's files
/// (`SiteFilesMiddleware`), sent in pieces from disk, never read whole.
/// Pages reload through server-sent events: a watcher polls the site's
/// `run.json` (rewritten by every run) and tells every open page when it
/// changes; at most `listenerLimit` pages listen at once.
package final class SiteServer: Sendable {
    /// The site folder.
    package let root: String
    /// The address to listen on.
    package let host: String
    /// Whether requests for any host name are answered (when serving the network on purpose).
    package let acceptsAnyHost: Bool
    /// The port asked for (0: any free one).
    private let requestedPort: UInt16

    private let boundPort = Mutex<UInt16>(0)
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let events = ReloadEvents(limit: SiteServer.listenerLimit)
    private let executor = ServerExecutor()

    /// The server's own paths, which no site file shadows.
    static let ownPrefix = "/_ferlab/"
    /// The script pages load to reload themselves, and the event stream it listens to.
    static let reloadPath = ownPrefix + "reload.js"
    static let eventsPath = ownPrefix + "events"
    static let reloadScript = """
        (function () {
          if (!window.EventSource) { return; }
          var events = new EventSource("\(eventsPath)");
          events.onmessage = function (event) { if (event.data === "reload") { location.reload(); } };
        })();

        """
    /// Connections served at once; past it the one waiting longest for its head is closed, or, if none is, the new
    /// one is answered 503.
    static let connectionLimit = 256
    /// Pages listening for reloads at once; more are answered 503.
    static let listenerLimit = 64
    /// How long a client has to send a whole request head.
    let headDeadline: TimeAmount

    /// A server for `root` on `host:port`; `acceptsAnyHost` answers every `Host` (for `--host`).
    package convenience init(
        root: String, host: String = "127.0.0.1", port: UInt16 = 8000, acceptsAnyHost: Bool = false
    ) {
        self.init(root: root, host: host, port: port, acceptsAnyHost: acceptsAnyHost, headDeadline: .seconds(10))
    }

    init(root: String, host: String, port: UInt16, acceptsAnyHost: Bool, headDeadline: TimeAmount) {
        self.root = root
        self.host = host
        self.requestedPort = port
        self.acceptsAnyHost = acceptsAnyHost
        self.headDeadline = headDeadline
    }

    /// The port listened on (the one the system chose for port 0), once started.
    package var port: UInt16 { boundPort.withLock { $0 } }

    /// The site's address.
    package var url: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/" }

    /// Listens, and returns once requests are answered; serves until `stop()`.
    /// The site's current state is the baseline for reloads from now on.
    /// - Throws: `ServeError` saying in words why the address cannot be used.
    package func start() async throws {
        var address = in6_addr()
        guard inet_pton(host.contains(":") ? AF_INET6 : AF_INET, host, &address) == 1 else {
            throw ServeError("\(host) is not an IP address to listen on")
        }
        let (started, reportStart) = AsyncStream<Result<UInt16, ServeError>>.makeStream()
        let application = Application(
            router: router(),
            server: .guardedHTTP1(
                connections: ConnectionRegistry(limit: Self.connectionLimit), headDeadline: headDeadline),
            configuration: .init(address: .hostname(host, port: Int(requestedPort)), serverName: nil),
            onServerRunning: { channel in
                reportStart.yield(.success(UInt16(channel.localAddress?.port ?? 0)))
            },
            logger: Logger(label: "ferlab.serve", factory: { _ in SwiftLogNoOpLogHandler() }))
        let host = host
        let port = requestedPort
        let serving = Task(executorPreference: executor) {
            do {
                try await application.run()
            } catch {
                reportStart.yield(.failure(ServeError(listeningOn: host, port: port, failure: error)))
            }
            reportStart.finish()
        }
        tasks.withLock { $0.append(serving) }
        guard let outcome = await started.first(where: { _ in true }) else {
            throw ServeError("the server on \(host):\(port) stopped as it started")
        }
        let bound = try outcome.get()
        boundPort.withLock { $0 = bound }
        let baseline = Self.stamp(of: root)
        let watching = Task(executorPreference: executor) { await self.watch(from: baseline) }
        tasks.withLock { $0.append(watching) }
    }

    /// Stops listening and ends every open event stream.
    package func stop() {
        for task in tasks.withLock({ $0 }) { task.cancel() }
        events.closeAll()
    }

    /// Tells every open page to reload now.
    func announceReload() {
        events.send("data: reload\n\n")
    }

    /// The Host check, the site's files, the reload script and the event stream.
    private func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: LoopbackHostMiddleware(host: host, acceptsAnyHost: acceptsAnyHost))
        router.add(
            middleware: SiteFilesMiddleware(
                files: SiteHandler(root: root, reloadSnippet: "<script src=\"\(Self.reloadPath)\"></script>\n")))
        router.get(RouterPath(Self.reloadPath)) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: Self.reloadScript)))
        }
        let events = events
        router.get(RouterPath(Self.eventsPath)) { request, _ in
            events.listen()
                ?? Response(
                    .plain(503, "Service Unavailable", "too many pages are listening for reloads\n"),
                    method: request.method)
        }
        return router
    }

    /// Polls the site's `run.json` and announces a reload whenever it changes;
    /// a comment every 15 s finds the pages that have gone.
    private func watch(from baseline: String) async {
        var last = baseline
        var ticks = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(300))
            let current = Self.stamp(of: root)
            if current != last {
                last = current
                announceReload()
            }
            ticks += 1
            if ticks % 50 == 0 { events.send(": still here\n\n") }
        }
    }

    /// What identifies one build of the site: `run.json`'s inode, size and modification time.
    static func stamp(of root: String) -> String {
        var info = stat()
        guard stat((root as NSString).appendingPathComponent("run.json"), &info) == 0 else { return "" }
        return "\(info.st_ino)-\(info.st_size)-\(info.st_mtim.tv_sec)-\(info.st_mtim.tv_nsec)"
    }
}
