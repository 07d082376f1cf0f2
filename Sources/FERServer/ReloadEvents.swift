import Hummingbird
import Synchronization

/// The pages listening for reloads, each through a server-sent event
/// stream, up to a limit.
final class ReloadEvents: Sendable {
    private struct Listeners {
        var next = 0
        var streams: [Int: AsyncStream<String>.Continuation] = [:]
    }

    private let listeners = Mutex(Listeners())
    /// Pages listening at once; more are answered 503.
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// The event stream's answer for one more page, listed before its headers go out so that it hears every later
    /// reload; `nil` when `limit` pages already listen.
    func listen() -> Response? {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let listed: Int? = listeners.withLock { listeners in
            guard listeners.streams.count < limit else { return nil }
            listeners.next += 1
            listeners.streams[listeners.next] = continuation
            return listeners.next
        }
        guard let listed else { return nil }
        continuation.onTermination = { [weak self] _ in
            self?.listeners.withLock { _ = $0.streams.removeValue(forKey: listed) }
        }
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: ": connected\n\n"))
            for await message in stream { try await writer.write(ByteBuffer(string: message)) }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }

    /// Sends `text` (whole events) to every page; a page that has gone ends its stream when the write fails.
    func send(_ text: String) {
        for stream in listeners.withLock({ Array($0.streams.values) }) { stream.yield(text) }
    }

    /// Ends every stream.
    func closeAll() {
        for stream in listeners.withLock({ Array($0.streams.values) }) { stream.finish() }
    }
}
