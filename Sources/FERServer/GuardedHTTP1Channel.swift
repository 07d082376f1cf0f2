import HummingbirdCore
import Logging
import NIOCore

/// HTTP/1.1 as Hummingbird serves it, with `HeadGuard` first in every
/// connection's pipeline and `ResponseEndSignal` after the HTTP codec.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http: HTTP1Channel
    let connections: ConnectionRegistry
    let headDeadline: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(HeadGuard(connections: connections, deadline: headDeadline))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return http.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await http.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 within FERLab's limits: at most `connections.limit` connections, each head within `headDeadline`.
    static func guardedHTTP1(connections: ConnectionRegistry, headDeadline: TimeAmount) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                http: HTTP1Channel(
                    responder: responder, configuration: .init(additionalChannelHandlers: [ResponseEndSignal()])),
                connections: connections, headDeadline: headDeadline)
        }
    }
}
