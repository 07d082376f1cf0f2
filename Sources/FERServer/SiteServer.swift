import Foundation

/// The local server behind `ferlab serve`: the site's files on
/// `http://HOST:PORT/`, and live reload of open pages when the site is rebuilt.
///
/// Each connection has its own thread and answers one request. Request heads
/// are read within fixed limits (`RequestHead`), so a huge request line or a
/// flood of headers is refused (414, 431) at a bounded cost while other
/// requests keep being answered. A head must arrive whole within
/// `headDeadline`, and when every connection slot is taken, the connection
/// that has been sending its head the longest is closed to make room, so
/// idle or trickling sockets cannot keep a new request out. Pages listening
/// for reloads are counted apart, up to `listenerLimit`. Files are sent in
/// pieces from disk, never read whole. Unless told to serve the network, only
/// requests whose `Host` is this machine's loopback name or address are
/// answered, so a page elsewhere cannot read the site through a DNS name
/// rebound to 127.0.0.1. Pages reload through server-sent events: a watcher
/// polls the site's `run.json` (rewritten by every run) and tells every open
/// page when it changes.
public final class SiteServer: @unchecked Sendable {
    /// The site folder.
    public let root: String
    /// The address to listen on.
    public let host: String
    /// Whether requests for any host name are answered (when serving the network on purpose).
    public let acceptsAnyHost: Bool
    /// The port asked for (0: any free one).
    private let requestedPort: UInt16

    private let state = NSLock()
    private var listener: Int32 = -1
    private var boundPort: UInt16 = 0
    private var stopped = false
    private let events = ReloadEvents()

    /// The script pages load to reload themselves, and the event stream it listens to.
    static let reloadPath = "/_ferlab/reload.js"
    static let eventsPath = "/_ferlab/events"
    static let reloadScript = """
        (function () {
          if (!window.EventSource) { return; }
          var events = new EventSource("\(eventsPath)");
          events.onmessage = function (event) { if (event.data === "reload") { location.reload(); } };
        })();

        """
    /// Connections served at once; past it the oldest one still sending its head is closed, or, if none is,
    /// the new one is answered 503.
    static let connectionLimit = 256
    /// Pages listening for reloads at once; more are answered 503.
    static let listenerLimit = 64
    /// How long a client has to send its whole request head.
    static let headDeadline: Double = 10

    /// A server for `root` on `host:port`; `acceptsAnyHost` answers every `Host` (for `--host`).
    public init(root: String, host: String = "127.0.0.1", port: UInt16 = 8000, acceptsAnyHost: Bool = false) {
        self.root = root
        self.host = host
        self.requestedPort = port
        self.acceptsAnyHost = acceptsAnyHost
    }

    /// The port listened on (the one the system chose for port 0), once started.
    public var port: UInt16 { state.withLock { boundPort } }

    /// The site's address.
    public var url: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/" }

    /// Binds and listens, then serves on threads of its own until `stop()`.
    /// The site's current state is the baseline for reloads from now on.
    /// - Throws: `ServeError` saying in words why the address cannot be used.
    public func start() throws {
        let descriptor = try Self.listen(host: host, port: requestedPort)
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        let family = address.ss_family
        let port = withUnsafePointer(to: &address) { pointer -> UInt16 in
            family == sa_family_t(AF_INET6)
                ? pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    UInt16(bigEndian: $0.pointee.sin6_port)
                }
                : pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    UInt16(bigEndian: $0.pointee.sin_port)
                }
        }
        state.withLock {
            listener = descriptor
            boundPort = port
        }
        let baseline = Self.stamp(of: root)
        Thread.detachNewThread { self.acceptConnections(on: descriptor) }
        Thread.detachNewThread { self.watch(from: baseline) }
    }

    /// Stops listening and ends every open event stream.
    public func stop() {
        let descriptor: Int32 = state.withLock {
            stopped = true
            defer { listener = -1 }
            return listener
        }
        if descriptor >= 0 { shutdown(descriptor, Int32(SHUT_RDWR)); close(descriptor) }
        events.closeAll()
    }

    /// Tells every open page to reload now.
    func announceReload() {
        events.send("data: reload\n\n")
    }

    private var isStopped: Bool { state.withLock { stopped } }

    private static func listen(host: String, port: UInt16) throws -> Int32 {
        let isIPv6 = host.contains(":")
        let descriptor = socket(
            isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ServeError("cannot open a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32?
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            bound = inet_pton(AF_INET6, host, &address.sin6_addr) == 1 ? bind(descriptor, to: address) : nil
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            bound = inet_pton(AF_INET, host, &address.sin_addr) == 1 ? bind(descriptor, to: address) : nil
        }
        guard let bound else {
            close(descriptor)
            throw ServeError("\(host) is not an IP address to listen on")
        }
        guard bound == 0, Glibc.listen(descriptor, 128) == 0 else {
            let code = errno
            close(descriptor)
            switch code {
            case EADDRINUSE:
                throw ServeError(
                    "port \(port) on \(host) is in use by another program; pass another --port (0 lets the system choose)",
                    portInUse: true)
            case EACCES:
                throw ServeError("port \(port) on \(host) needs privileges this user lacks; use a port above 1023")
            case EADDRNOTAVAIL: throw ServeError("\(host) is not an address of this machine")
            default: throw ServeError("cannot listen on \(host):\(port): \(String(cString: strerror(code)))")
            }
        }
        return descriptor
    }

    /// Binds `descriptor` to a socket address (`sockaddr_in` or `sockaddr_in6`); `bind`'s result.
    private static func bind<Address>(_ descriptor: Int32, to address: Address) -> Int32 {
        withUnsafePointer(to: address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<Address>.size))
            }
        }
    }

    private func acceptConnections(on descriptor: Int32) {
        let connections = Connections()
        while !isStopped {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let client = accept(descriptor, nil, nil)
            guard client >= 0 else {
                // Out of descriptors (or another passing failure): wait instead of spinning on a ready socket.
                if errno != EINTR && errno != EAGAIN { usleep(50_000) }
                continue
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            guard connections.admit(client, limit: Self.connectionLimit) else {
                Self.send(.plain(503, "Service Unavailable", "too many connections\n"), method: "GET", to: client)
                close(client)
                continue
            }
            Thread.detachNewThread {
                let keep = self.serve(client, connections: connections)
                connections.leave(client)
                if !keep { close(client) }
            }
        }
    }

    /// Reads one request head within the limits and the deadline, and answers it; whether the connection stays
    /// open (a page listening for reloads).
    private func serve(_ client: Int32, connections: Connections) -> Bool {
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(Self.headDeadline * 1e9)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else {
                Self.send(
                    .plain(
                        408, "Request Timeout", "the request head did not arrive within \(Int(Self.headDeadline)) s\n"),
                    method: "GET", to: client)
                return false
            }
            var poller = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(1_000, (deadline - now) / 1_000_000 + 1)))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count < 0 && (errno == EAGAIN || errno == EINTR) { continue }
            guard count > 0 else { return false }
            received += buffer.prefix(count)
            switch RequestHead.parse(received) {
            case .incomplete:
                continue
            case .refused(let status, let reason):
                let phrases = [400: "Bad Request", 414: "URI Too Long", 431: "Request Header Fields Too Large"]
                Self.send(.plain(status, phrases[status] ?? "Bad Request", reason + "\n"), method: "GET", to: client)
                return false
            case .complete(let head, _):
                connections.headRead(client)
                return answer(head, on: client)
            }
        }
    }

    /// Answers a whole request head; whether the connection stays open (a page listening for reloads).
    private func answer(_ head: RequestHead, on client: Int32) -> Bool {
        guard acceptsAnyHost || isLocal(head.headers["host"]) else {
            Self.send(
                .plain(421, "Misdirected Request", "this server answers requests for \(host) and localhost only\n"),
                method: head.method, to: client)
            return false
        }
        let path = String(head.target.prefix { $0 != "?" })
        if path == Self.eventsPath && head.method == "GET" {
            let start =
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
                + "Connection: keep-alive\r\n\r\n: connected\n\n"
            // Listed as the headers go out, so a page that has them hears every later reload.
            guard events.add(client, greeting: start, limit: Self.listenerLimit) else {
                Self.send(
                    .plain(503, "Service Unavailable", "too many pages are listening for reloads\n"),
                    method: head.method, to: client)
                return false
            }
            return true
        }
        let response =
            path == Self.reloadPath
            ? SiteResponse(
                status: 200, reason: "OK", headers: [("Content-Type", "text/javascript; charset=utf-8")],
                body: Array(Self.reloadScript.utf8))
            : SiteHandler(root: root, reloadSnippet: "<script src=\"\(Self.reloadPath)\"></script>\n")
                .respond(method: head.method, target: head.target)
        Self.send(response, method: head.method, to: client)
        return false
    }

    /// Whether a `Host` header names this machine's loopback interface or the address served.
    private func isLocal(_ hostHeader: String?) -> Bool {
        guard let hostHeader, !hostHeader.isEmpty else { return true }
        var name = hostHeader.lowercased()
        if name.hasPrefix("["), let end = name.firstIndex(of: "]") {
            name = String(name[name.index(after: name.startIndex)..<end])
        } else if let colon = name.lastIndex(of: ":") {
            name = String(name[..<colon])
        }
        return ["localhost", "127.0.0.1", "::1", host.lowercased()].contains(name) || name.hasSuffix(".localhost")
    }

    private static func send(_ response: SiteResponse, method: String, to client: Int32) {
        var head = "HTTP/1.1 \(response.status) \(response.reason)\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(response.length)\r\nConnection: close\r\n\r\n"
        guard method != "HEAD" else {
            write(Array(head.utf8), to: client)
            return
        }
        guard let file = response.file else {
            write(Array(head.utf8) + response.body, to: client)
            return
        }
        guard write(Array(head.utf8), to: client) else { return }
        // The file in pieces, each read just before it is sent: memory stays flat whatever its size.
        var piece = [UInt8](repeating: 0, count: 256 << 10)
        var offset = 0
        while offset < file.size {
            let count = piece.withUnsafeMutableBytes {
                pread(file.descriptor, $0.baseAddress, min($0.count, file.size - offset), off_t(offset))
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0, write(Array(piece.prefix(count)), to: client) else { return }
            offset += count
        }
    }

    /// Writes all of `bytes`; false when the client went away (or, with
    /// `waiting` false, when it is not reading and its buffer is full).
    @discardableResult
    static func write(_ bytes: [UInt8], to client: Int32, waiting: Bool = true) -> Bool {
        let flags = Int32(MSG_NOSIGNAL) | (waiting ? 0 : Int32(MSG_DONTWAIT))
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(client, $0.baseAddress! + done, bytes.count - done, flags) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            done += count
        }
        return true
    }

    /// Polls the site's `run.json` and announces a reload whenever it changes;
    /// a comment every 15 s finds the pages that have gone.
    private func watch(from baseline: String) {
        var last = baseline
        var ticks = 0
        while !isStopped {
            usleep(300_000)
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

/// The pages listening for reloads: their sockets, written to together.
final class ReloadEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var clients: [Int32] = []

    /// Sends a page its event-stream headers and adds it (or closes it if it has gone); false, with nothing
    /// sent, when `limit` pages already listen.
    func add(_ client: Int32, greeting: String, limit: Int) -> Bool {
        lock.withLock {
            guard clients.count < limit else { return false }
            if SiteServer.write(Array(greeting.utf8), to: client) { clients.append(client) } else { close(client) }
            return true
        }
    }

    /// Sends `text` to every page, closing those that have gone.
    func send(_ text: String) {
        lock.withLock {
            clients = clients.filter { client in
                if SiteServer.write(Array(text.utf8), to: client, waiting: false) { return true }
                close(client)
                return false
            }
        }
    }

    /// Ends every stream.
    func closeAll() {
        lock.withLock {
            for client in clients { close(client) }
            clients = []
        }
    }
}

/// The connections being served, bounded: each is counted from its accept
/// until its answer is sent, and is listed as reading while its head has not
/// all arrived, so that the one reading the longest can be closed to make
/// room for a new one.
private final class Connections: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var reading: [Int32: UInt64] = [:]

    /// Counts `client` in; at `limit`, closes the input of the connection reading its head the longest (its
    /// thread then ends) to make room, or refuses when none is reading.
    func admit(_ client: Int32, limit: Int) -> Bool {
        lock.withLock {
            if count >= limit {
                guard let oldest = reading.min(by: { $0.value < $1.value })?.key else { return false }
                reading.removeValue(forKey: oldest)
                shutdown(oldest, Int32(SHUT_RDWR))
            }
            count += 1
            reading[client] = DispatchTime.now().uptimeNanoseconds
            return true
        }
    }

    /// `client`'s head has arrived: it is no longer a candidate to close.
    func headRead(_ client: Int32) {
        lock.withLock { _ = reading.removeValue(forKey: client) }
    }

    /// `client` is done (called before its descriptor is closed, so a reused number is never mistaken for it).
    func leave(_ client: Int32) {
        lock.withLock {
            count -= 1
            reading.removeValue(forKey: client)
        }
    }
}

/// A server that could not start, said in words.
public struct ServeError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String
    /// Whether the port was taken (another port may do).
    public let portInUse: Bool

    init(_ description: String, portInUse: Bool = false) {
        self.description = description
        self.portInUse = portInUse
    }

    /// Every port of `ports` was taken.
    public static func noFreePort(in ports: ClosedRange<UInt16>) -> ServeError {
        ServeError(
            "ports \(ports.lowerBound)-\(ports.upperBound) are all in use; pass a free one with --port (0 lets the system choose)"
        )
    }
}
