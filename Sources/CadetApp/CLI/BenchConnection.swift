import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// One simulated browser's connection to a server: HTTP/1.1 kept alive, one request at a time,
/// as a page's script sends them (it waits for each answer before the next).
///
/// Written on NIO itself rather than AsyncHTTPClient because the takers share the server's two
/// cores: AsyncHTTPClient's connection pool, per-request timers and state machines cost the
/// takers about as much CPU a request as the server spent answering it, and every cycle the
/// load generator burns is one the measured server does not get (docs/exams.md).
final class BenchConnection: Sendable {
    struct Response: Sendable {
        let status: UInt
        let headers: HTTPHeaders
        let body: String
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let host: String
    private let port: Int
    private let channel = NIOLockedValueBox<(any Channel)?>(nil)

    init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    /// Sends one request and waits for the whole answer. A failed connection (the server killed,
    /// a timeout) is dropped; the next request opens a new one.
    func send(_ method: HTTPMethod, _ path: String, headers: [(String, String)], body: ByteBuffer? = nil,
              timeout: TimeAmount) async throws -> Response {
        let channel = try await connected()
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: "\(host):\(port)")
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        if let body { head.headers.add(name: "Content-Length", value: String(body.readableBytes)) }
        let promise = channel.eventLoop.makePromise(of: Response.self)
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(Failure(description: "no answer within \(timeout.nanoseconds / 1_000_000_000) s"))
            channel.close(promise: nil)
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        // A connection that closed just before the write is told at once, not at the timeout.
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { promise.fail($0) }
        channel.writeAndFlush(BenchExchange(head: head, body: body, answer: promise), promise: written)
        do {
            return try await promise.futureResult.get()
        } catch {
            drop(channel)
            throw error
        }
    }

    func close() {
        channel.withLockedValue { current in
            current?.close(promise: nil)
            current = nil
        }
    }

    private func connected() async throws -> any Channel {
        if let open = channel.withLockedValue({ $0 }), open.isActive { return open }
        let opened = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(BenchExchangeHandler())
                }
            }
            .connect(host: host, port: port).get()
        channel.withLockedValue { $0 = opened }
        return opened
    }

    private func drop(_ failed: any Channel) {
        failed.close(promise: nil)
        channel.withLockedValue { if $0 === failed { $0 = nil } }
    }
}

/// A request written to the pipeline, with the promise its answer completes.
struct BenchExchange: Sendable {
    let head: HTTPRequestHead
    let body: ByteBuffer?
    let answer: EventLoopPromise<BenchConnection.Response>
}

/// Writes a request's parts and gathers the answer's head and body into one response.
private final class BenchExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = BenchExchange
    typealias OutboundOut = HTTPClientRequestPart

    private var answer: EventLoopPromise<BenchConnection.Response>?
    private var head: HTTPResponseHead?
    private var body: ByteBuffer?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        guard answer == nil else {
            let busy = BenchConnection.Failure(description: "a request is already waiting on this connection")
            exchange.answer.fail(busy)
            promise?.fail(busy)
            return
        }
        answer = exchange.answer
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        if let body = exchange.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let received):
            head = received
            body = nil
        case .body(var part):
            if body == nil { body = part } else { body!.writeBuffer(&part) }
        case .end:
            guard let head, let answer else { return }
            self.answer = nil
            self.head = nil
            answer.succeed(.init(status: head.status.code, headers: head.headers, body: body.map { String(buffer: $0) } ?? ""))
            body = nil
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(BenchConnection.Failure(description: "the server closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    private func fail(_ error: any Error) {
        answer?.fail(error)
        answer = nil
    }
}
