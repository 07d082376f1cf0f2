import FERTestSupport
import Foundation
import Testing

@testable import FERServer

/// The server over real sockets on loopback. Each test binds port 0 and uses
/// the port the system gave; reads wait against deadlines, never a fixed sleep.
@Suite struct SiteServerTests {
    /// A started server on a site with a page and a run log.
    private func serve(_ folder: TemporaryDirectory, acceptsAnyHost: Bool = false) async throws -> SiteServer {
        try folder.write("site/index.html", text: "<html><body>hi</body></html>")
        try folder.write("site/run.json", text: "{}")
        let server = SiteServer(root: folder.file("site"), port: 0, acceptsAnyHost: acceptsAnyHost)
        try await server.start()
        return server
    }

    private func get(_ path: String, port: UInt16, host: String = "127.0.0.1") -> String {
        guard let client = try? RawTCPClient(port: port) else { return "" }
        client.send("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
        return String(decoding: client.receive(), as: UTF8.self)
    }

    /// An open event stream, once its headers have arrived.
    private func events(port: UInt16) throws -> RawTCPClient {
        let client = try RawTCPClient(port: port)
        client.send(
            "GET \(SiteServer.eventsPath) HTTP/1.1\r\nHost: localhost:\(port)\r\nAccept: text/event-stream\r\n\r\n")
        let start = String(
            decoding: client.receive { String(decoding: $0, as: UTF8.self).contains(": connected\n\n") },
            as: UTF8.self)
        #expect(start.hasPrefix("HTTP/1.1 200") && start.contains("text/event-stream"), "\(start)")
        return client
    }

    @Test func servesPagesOnTheBoundPort() async throws {
        let folder = try TemporaryDirectory()
        let server = try await serve(folder)
        defer { server.stop() }
        #expect(server.port != 0)
        #expect(server.url == "http://127.0.0.1:\(server.port)/")
        let page = get("/", port: server.port)
        #expect(page.hasPrefix("HTTP/1.1 200") && page.contains(SiteServer.reloadPath), "\(page)")
        #expect(get(SiteServer.reloadPath, port: server.port).contains("EventSource"))
        #expect(get("/missing", port: server.port).hasPrefix("HTTP/1.1 404"))
    }

    @Test func aRebuildTellsOpenPagesToReload() async throws {
        let folder = try TemporaryDirectory()
        let server = try await serve(folder)
        defer { server.stop() }
        let page = try events(port: server.port)
        // The baseline was taken when the server started, so this change is seen whenever the watcher runs.
        try folder.write("site/run.json", text: "{\"rebuilt\": true}")
        let message = String(
            decoding: page.receive { String(decoding: $0, as: UTF8.self).contains("data: reload\n\n") },
            as: UTF8.self)
        #expect(message.contains("data: reload\n\n"))
    }

    @Test func everyOpenPageHearsAnAnnouncedReload() async throws {
        let folder = try TemporaryDirectory()
        let server = try await serve(folder)
        defer { server.stop() }
        let pages = try (0..<3).map { _ in try events(port: server.port) }
        server.announceReload()
        for page in pages {
            #expect(
                String(
                    decoding: page.receive { String(decoding: $0, as: UTF8.self).contains("data: reload") },
                    as: UTF8.self
                )
                .contains("data: reload"))
        }
    }

    @Test func otherHostNamesAreRefusedUnlessServingTheNetwork() async throws {
        let folder = try TemporaryDirectory()
        let local = try await serve(folder)
        defer { local.stop() }
        #expect(get("/", port: local.port, host: "rebound.example:\(local.port)").hasPrefix("HTTP/1.1 421"))
        for name in ["localhost:\(local.port)", "127.0.0.1", "[::1]:\(local.port)", "app.localhost"] {
            #expect(get("/", port: local.port, host: name).hasPrefix("HTTP/1.1 200"), "\(name)")
        }
        let open = SiteServer(root: folder.file("site"), port: 0, acceptsAnyHost: true)
        try await open.start()
        defer { open.stop() }
        #expect(get("/", port: open.port, host: "machine.example").hasPrefix("HTTP/1.1 200"))
    }

    @Test func aPortInUseIsSaidInWords() async throws {
        let folder = try TemporaryDirectory()
        let first = try await serve(folder)
        defer { first.stop() }
        do {
            try await SiteServer(root: folder.file("site"), port: first.port).start()
            Issue.record("a second server bound a port in use")
        } catch let error as ServeError {
            #expect(
                error.portInUse
                    && error.description.hasPrefix("port \(first.port) on 127.0.0.1 is in use by another program"))
        }
    }

    @Test func oversizedRequestsAreRefusedWhileOthersAreAnswered() async throws {
        let folder = try TemporaryDirectory()
        let server = try await serve(folder)
        defer { server.stop() }
        let port = server.port
        // A 1 MB request line and 10 MB of headers, each sent by two clients at once.
        let abusive: [(String, String)] = [
            ("GET /" + String(repeating: "a", count: 1 << 20) + " HTTP/1.1\r\n\r\n", "HTTP/1.1 414"),
            (
                "GET / HTTP/1.1\r\n"
                    + String(repeating: "X-Filler: " + String(repeating: "b", count: 1000) + "\r\n", count: 10_000),
                "HTTP/1.1 431"
            ),
        ]
        async let refusals: [Bool] = withTaskGroup(of: Bool.self) { group in
            for (request, expected) in abusive + abusive {
                group.addTask {
                    await offPool {
                        guard let client = try? RawTCPClient(port: port) else { return false }
                        client.send(request)
                        return String(decoding: client.receive(limit: 4096), as: UTF8.self).hasPrefix(expected)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        // Meanwhile ordinary requests keep being answered, each quickly.
        let latencies = await offPool { () -> [Double] in
            (0..<20).map { _ in
                let start = Date()
                let page = self.get("/", port: port)
                return page.hasPrefix("HTTP/1.1 200") ? Date().timeIntervalSince(start) : .infinity
            }
        }
        #expect(await refusals.allSatisfy { $0 }, "an oversized request was not refused with 414 or 431")
        #expect(latencies.allSatisfy { $0 < 1 }, "slowest ordinary request: \(latencies.max() ?? 0) s")
    }

    @Test func keptAliveConnectionsHaveEachHeadReadWithinTheLimits() async throws {
        let folder = try TemporaryDirectory()
        let server = try await serve(folder)
        defer { server.stop() }
        let port = server.port
        let answers = await offPool { () -> String in
            guard let client = try? RawTCPClient(port: port) else { return "" }
            // Two heads at once, then a third that brings a body, which the site never takes.
            client.send(
                "GET / HTTP/1.1\r\nHost: localhost\r\n\r\nHEAD /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello")
            return String(decoding: client.receive(), as: UTF8.self)
        }
        let statuses = answers.matches(of: /HTTP\/1\.1 [0-9]{3} [A-Za-z ]+\r\n/).map { String($0.output.dropLast()) }
        #expect(statuses == ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 413 Content Too Large"], "\(answers)")
        #expect(answers.components(separatedBy: "<html>").count == 2, "the HEAD answer had a body")
    }

    @Test func aHeadThatDoesNotArriveInTimeIsRefused() async throws {
        let folder = try TemporaryDirectory()
        try folder.write("site/index.html", text: "<html><body>hi</body></html>")
        let server = SiteServer(
            root: folder.file("site"), host: "127.0.0.1", port: 0, acceptsAnyHost: false,
            headDeadline: .milliseconds(300))
        try await server.start()
        defer { server.stop() }
        let port = server.port
        let answer = await offPool { () -> String in
            guard let client = try? RawTCPClient(port: port) else { return "" }
            client.send("GET / HT")
            return String(decoding: client.receive(), as: UTF8.self)
        }
        #expect(answer.hasPrefix("HTTP/1.1 408 Request Timeout"), "\(answer)")
    }

    @Test func survivesClientsThatLeaveAndManyAtOnce() async throws {
        let folder = try TemporaryDirectory()
        try folder.write(
            "site/big.html", text: "<html><body>" + String(repeating: "x", count: 200_000) + "</body></html>")
        let server = try await serve(folder)
        defer { server.stop() }
        let port = server.port
        // Clients that send a request and disconnect before reading the answer.
        await offPool {
            for _ in 0..<20 {
                let client = try? RawTCPClient(port: port)
                client?.send("GET /big.html HTTP/1.1\r\nHost: localhost\r\n\r\n")
            }
        }
        // Then 200 concurrent requests all get the page.
        let served = await offPool { () -> Int in
            let count = LockedCounter()
            DispatchQueue.concurrentPerform(iterations: 200) { _ in
                if self.get("/big.html", port: port).hasPrefix("HTTP/1.1 200") { count.increment() }
            }
            return count.value
        }
        #expect(served == 200)
    }
}

/// Runs blocking socket calls on a GCD thread, so the cooperative pool (two
/// threads on a two-core machine) stays free for the tests that share it.
func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: body()) }
    }
}

/// A counter shared by concurrent clients.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
