import FlyingFox
import Foundation

/// Tells every open page to reload when the site changes: each page holds a
/// WebSocket to the server; a watcher checks the site's `run.json` (rewritten
/// by every run) and sends `reload` to all sockets when it changes.
actor ReloadBroadcaster {
    private var clients: [UUID: AsyncStream<WSMessage>.Continuation] = [:]

    /// A new client's outgoing message stream.
    func subscribe() -> AsyncStream<WSMessage> {
        let (stream, continuation) = AsyncStream<WSMessage>.makeStream()
        let id = UUID()
        clients[id] = continuation
        continuation.onTermination = { _ in Task { await self.remove(id) } }
        return stream
    }

    private func remove(_ id: UUID) {
        clients[id] = nil
    }

    /// Sends `reload` to every client.
    func broadcast() {
        for client in clients.values { client.yield(.text("reload")) }
    }

    /// Number of connected pages.
    var count: Int { clients.count }
}

/// The WebSocket endpoint pages connect to.
struct ReloadSocket: WSMessageHandler {
    let broadcaster: ReloadBroadcaster

    func makeMessages(for client: AsyncStream<WSMessage>) async throws -> AsyncStream<WSMessage> {
        let outgoing = await broadcaster.subscribe()
        // Drain what the page sends (nothing but pings and the close).
        Task { for await _ in client {} }
        return outgoing
    }
}
