import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// A small SMTP client: `smtp://[user:password@]host[:port]` (plain, port 25 by default) or
/// `smtps://…` (TLS from the first byte, port 465). Bodies go as base64 UTF-8 text, so Korean
/// arrives intact and no line of the body can be mistaken for the end of the message.
struct SMTPMailer: Sendable {
    let host: String
    let port: Int
    let tls: Bool
    let username: String?
    let password: String?
    let from: String
    let logger: Logger

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(url: URL, from: String, logger: Logger) {
        host = url.host ?? "localhost"
        tls = url.scheme == "smtps"
        port = url.port ?? (tls ? 465 : 25)
        username = url.user?.removingPercentEncoding
        password = url.password?.removingPercentEncoding
        self.from = from
        self.logger = logger
    }

    /// The bare address inside `Name <address>`.
    var fromAddress: String {
        guard let open = from.lastIndex(of: "<"), let close = from.lastIndex(of: ">"), open < close else { return from }
        return String(from[from.index(after: open)..<close])
    }

    func send(to recipient: String, subject: String, body: String) async throws {
        guard ![recipient, subject, from].contains(where: { $0.contains("\r") || $0.contains("\n") }) else {
            throw Failure(description: "line breaks in a header")
        }
        let host = self.host, tls = self.tls
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if tls {
                        let context = try NIOSSLContext(configuration: .makeClientConfiguration())
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: host))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            try await session.expect(220)
            try await session.command("EHLO cadet", expect: 250)
            if let username, let password {
                let credentials = Data(("\0" + username + "\0" + password).utf8).base64EncodedString()
                try await session.command("AUTH PLAIN \(credentials)", expect: 235)
            }
            try await session.command("MAIL FROM:<\(fromAddress)>", expect: 250)
            try await session.command("RCPT TO:<\(recipient)>", expect: 250, 251)
            try await session.command("DATA", expect: 354)
            try await session.command(message(to: recipient, subject: subject, body: body) + "\r\n.", expect: 250)
            try? await session.command("QUIT", expect: 221)
        }
    }

    /// Whether a server answers with an SMTP greeting (used to wait for a test server).
    func probe() async throws -> Bool {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(2))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            try await session.expect(220)
            try? await session.command("QUIT", expect: 221)
            return true
        }
    }

    func message(to recipient: String, subject: String, body: String) -> String {
        let encodedBody = Data(body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8)
            .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let headers = [
            "From: \(from)",
            "To: <\(recipient)>",
            "Subject: =?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?=",
            "Date: \(Date().formatted(.dateTime.locale(Locale(identifier: "en_US_POSIX"))))",
            "Message-ID: <\(UUID().uuidString.lowercased())@cadet>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + encodedBody
    }
}

/// Reads SMTP replies (possibly multi-line: `250-…` then `250 …`) and writes commands.
private struct SMTPSession {
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var pending = ""

    mutating func command(_ line: String, expect codes: Int...) async throws {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
        try await expect(codes)
    }

    mutating func expect(_ codes: Int...) async throws {
        try await expect(codes)
    }

    mutating func expect(_ codes: [Int]) async throws {
        while true {
            let line = try await nextLine()
            guard line.count >= 3, let code = Int(line.prefix(3)) else {
                throw SMTPMailer.Failure(description: "unexpected reply: \(line.prefix(100))")
            }
            if line.count > 3, line[line.index(line.startIndex, offsetBy: 3)] == "-" { continue }
            guard codes.contains(code) else { throw SMTPMailer.Failure(description: "server said: \(line.prefix(200))") }
            return
        }
    }

    private mutating func nextLine() async throws -> String {
        while true {
            if let range = pending.range(of: "\r\n") ?? pending.range(of: "\n") {
                let line = String(pending[..<range.lowerBound])
                pending.removeSubrange(..<range.upperBound)
                return line
            }
            guard let chunk = try await inbound.next() else { throw SMTPMailer.Failure(description: "connection closed") }
            pending += String(buffer: chunk)
            if pending.utf8.count > 64 << 10 { throw SMTPMailer.Failure(description: "reply too long") }
        }
    }
}
