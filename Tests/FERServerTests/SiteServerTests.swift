@testable import FERServer
import FERTestSupport
import Foundation
import Testing

/// Runs blocking socket calls on a GCD thread, so the cooperative pool (two
/// threads on a two-core machine) stays free for the server under test.
func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: body()) }
    }
}

@Suite(.serialized) struct SiteServerTests {
    /// Starts a server for `root` on a free port and returns it with its task.
    private func start(_ root: String) async throws -> (port: UInt16, task: Task<Void, Error>) {
        for attempt in 0..<20 {
            let port = UInt16(20_000 + (Int(ProcessInfo.processInfo.processIdentifier) * 7 + attempt * 131) % 20_000)
            let ready = AsyncStream<Void>.makeStream()
            let task = Task { try await SiteServer(root: root, port: port).run { ready.continuation.yield() } }
            let started = await withTaskGroup(of: Bool.self) { group in
                group.addTask { for await _ in ready.stream { return true }; return false }
                group.addTask { try? await Task.sleep(nanoseconds: 2_000_000_000); return false }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            if started { return (port, task) }
            task.cancel()
        }
        throw POSIXError(.EADDRINUSE)
    }

    @Test func servesPagesAndTellsThemToReload() async throws {
        let folder = try TemporaryDirectory()
        try folder.write("site/index.html", text: "<html><body>hi</body></html>")
        try folder.write("site/run.json", text: "{}")
        let (port, task) = try await start(folder.file("site"))
        defer { task.cancel() }

        let response = await offPool { () -> String in
            guard let page = try? RawTCPClient(port: port) else { return "" }
            page.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            return String(decoding: page.receive(), as: UTF8.self)
        }
        #expect(response.hasPrefix("HTTP/1.1 200"))
        #expect(response.contains("/_ferlab/reload.js"))

        let socket = try RawTCPClient(port: port)
        socket.send("GET /_ferlab/live HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        let handshake = await offPool {
            String(decoding: socket.receive { String(decoding: $0, as: UTF8.self).contains("\r\n\r\n") }, as: UTF8.self)
        }
        #expect(handshake.hasPrefix("HTTP/1.1 101"))
        try await Task.sleep(nanoseconds: 400_000_000)
        try folder.write("site/run.json", text: "{\"rebuilt\": true}")
        let frame = await offPool { socket.receive { $0.count >= 8 } }
        #expect(frame.count >= 8 && String(decoding: frame.dropFirst(2).prefix(6), as: UTF8.self) == "reload")
    }

    @Test func survivesClientsThatLeaveAndManyAtOnce() async throws {
        let folder = try TemporaryDirectory()
        try folder.write("site/index.html", text: "<html><body>" + String(repeating: "x", count: 200_000) + "</body></html>")
        let (port, task) = try await start(folder.file("site"))
        defer { task.cancel() }
        // Clients that send a request and disconnect before reading the answer.
        await offPool {
            for _ in 0..<20 {
                let client = try? RawTCPClient(port: port)
                client?.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            }
        }
        // Then 200 concurrent requests all get the page.
        let served = await offPool { () -> Int in
            let count = LockedCounter()
            DispatchQueue.concurrentPerform(iterations: 200) { _ in
                guard let client = try? RawTCPClient(port: port) else { return }
                client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if String(decoding: client.receive().prefix(12), as: UTF8.self) == "HTTP/1.1 200" { count.increment() }
            }
            return count.value
        }
        #expect(served == 200)
    }
}

/// A counter shared by concurrent clients.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
