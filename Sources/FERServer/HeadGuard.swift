import NIOCore
import NIOHTTPTypes

/// FERLab's limits on a connection, first in its pipeline, before any HTTP
/// parsing: the connection must be admitted (`ConnectionRegistry`), and each
/// request head is read whole within `RequestHead`'s limits and within
/// `deadline` of the connection starting to wait for it, before its bytes
/// go on to the HTTP decoder. A head over a limit is answered 414 or 431,
/// one that does not arrive in time 408, a request with a body (which the
/// site never takes) 413, and the connection is closed; so a huge request
/// line, a flood of headers or a trickling client costs a bounded amount of
/// memory and time. `ResponseEndSignal` tells it when an answer has gone, so
/// that it reads the next head of a kept-alive connection.
final class HeadGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let connections: ConnectionRegistry
    private let deadline: TimeAmount
    /// Bytes received and not yet passed on: the start of the next head.
    private var pending: [UInt8] = []
    private var started = false
    private var answering = false
    private var finished = false
    /// Whether an answer has gone: after one, a connection idle at the deadline is closed without a 408.
    private var answeredOnce = false
    private var timer: Scheduled<Void>?

    init(connections: ConnectionRegistry, deadline: TimeAmount) {
        self.connections = connections
        self.deadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { begin(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        begin(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        connections.leave(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !finished else { return }
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        guard !answering else {
            // A client sending ahead while it is answered may only send one more head's worth.
            if pending.count > RequestHead.longestHead { finish(context) }
            return
        }
        passOnNextHead(context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is ResponseEndSignal.Ended else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        promise?.succeed(())
        guard !finished else { return }
        answering = false
        answeredOnce = true
        connections.reading(context.channel)
        startTimer(context)
        if !pending.isEmpty { passOnNextHead(context) }
    }

    private func begin(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        guard connections.admit(context.channel) else {
            refuse(context, 503, "Service Unavailable", "too many connections")
            return
        }
        startTimer(context)
    }

    /// Passes the next head on once it has all arrived, or refuses it.
    private func passOnNextHead(_ context: ChannelHandlerContext) {
        switch RequestHead.parse(pending) {
        case .incomplete:
            return
        case .refused(let status, let reason):
            let phrases = [400: "Bad Request", 414: "URI Too Long", 431: "Request Header Fields Too Large"]
            refuse(context, status, phrases[status] ?? "Bad Request", reason)
        case .complete(let head, let length):
            guard !head.declaresBody else {
                refuse(context, 413, "Content Too Large", "this server takes no request bodies")
                return
            }
            answering = true
            timer?.cancel()
            connections.answering(context.channel)
            let bytes = context.channel.allocator.buffer(bytes: pending[..<length])
            pending.removeFirst(length)
            context.fireChannelRead(wrapInboundOut(bytes))
            context.fireChannelReadComplete()
        }
    }

    private func startTimer(_ context: ChannelHandlerContext) {
        timer?.cancel()
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: deadline) {
            bound.value.handler.deadlinePassed(bound.value.context)
        }
    }

    /// No whole head arrived in time: a partial or first head is answered 408; an idle kept-alive connection is
    /// simply closed.
    private func deadlinePassed(_ context: ChannelHandlerContext) {
        guard !answering, !finished else { return }
        if !answeredOnce || !pending.isEmpty {
            refuse(
                context, 408, "Request Timeout",
                "the request head did not arrive within \(deadline.nanoseconds / 1_000_000_000) s")
        } else {
            finish(context)
        }
    }

    /// Answers `status` with `reason` as plain text, then closes the connection.
    private func refuse(_ context: ChannelHandlerContext, _ status: Int, _ phrase: String, _ reason: String) {
        let body = reason + "\n"
        let answer =
            "HTTP/1.1 \(status) \(phrase)\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
        finished = true
        timer?.cancel()
        pending = []
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: answer))).whenComplete { _ in
            bound.value.close(promise: nil)
        }
    }

    private func finish(_ context: ChannelHandlerContext) {
        finished = true
        timer?.cancel()
        pending = []
        context.close(promise: nil)
    }
}

/// Tells `HeadGuard` when an answer's last part has been written: placed
/// after the HTTP codec, it sees the answer's parts.
final class ResponseEndSignal: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The event sent towards the socket after an answer's end.
    struct Ended {}

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let isEnd = if case .end = unwrapOutboundIn(data) { true } else { false }
        context.write(data, promise: promise)
        if isEnd { context.triggerUserOutboundEvent(Ended(), promise: nil) }
    }
}
