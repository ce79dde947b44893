import Foundation
import NIOCore

/// Which address a request came from, for throttles, sessions and the audit log.
enum ClientAddress {
    /// `remote` is the peer of the connection; `forwardedFor` the X-Forwarded-For headers in
    /// order. With `trustedProxies` proxies in front, the peer is the last proxy and the entries
    /// they appended are the rightmost `trustedProxies - 1`; the one before them is the client.
    /// A value that is not an IP address is ignored, and so is everything to its left.
    static func resolve(remote: String?, forwardedFor: [String], trustedProxies: Int) -> String {
        let peer = remote ?? "unknown"
        guard trustedProxies > 0 else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        // Walk from the right over the entries the trusted proxies wrote.
        var candidate = peer
        for (index, hop) in hops.reversed().enumerated() where index < trustedProxies {
            guard isIPAddress(hop) else { break }
            candidate = hop
        }
        return candidate
    }

    static func isIPAddress(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 45 else { return false }
        return (try? SocketAddress(ipAddress: text, port: 0)) != nil
    }

    /// True for 127.0.0.0/8 and ::1.
    static func isLoopback(_ text: String?) -> Bool {
        guard let text else { return false }
        return text == "::1" || text.hasPrefix("127.") || text == "::ffff:127.0.0.1"
    }
}
