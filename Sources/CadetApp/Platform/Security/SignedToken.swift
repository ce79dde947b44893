import Foundation

/// Stateless, signed, expiring tokens for links sent by e-mail (verify an address, unlock
/// sign-in) and for cookies that only need to prove what they say (a browser the account signed
/// in from before). `payload.mac`: the payload names the purpose, the subject and the expiry;
/// the MAC is HMAC-SHA256 under a key derived for that purpose from the academy's secret, so a
/// token made for one purpose never opens another.
enum SignedToken {
    enum Purpose: String {
        case verifyEmail = "verify-email"
        case unlockSignIn = "unlock-sign-in"
        case knownDevice = "known-device"
        /// A trainee who opened a fresh check-in link may confirm within a minute or so.
        case checkIn = "check-in"
        /// A person's calendar feed, for calendar programs that cannot sign in.
        case calendarFeed = "calendar-feed"
    }

    static func make(_ purpose: Purpose, subject: String, expires: Date, secret: String) -> String {
        let payload = Tokens.base64URL(Data("\(purpose.rawValue)\n\(subject)\n\(Int(expires.timeIntervalSince1970))".utf8))
        return payload + "." + Tokens.hmac(payload, key: key(for: purpose, secret: secret))
    }

    /// The subject, when the token is intact, made for this purpose and not expired.
    static func open(_ token: String, _ purpose: Purpose, secret: String, now: Date = Date()) -> String? {
        guard token.utf8.count < 1_000 else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let payload = String(parts[0])
        guard Tokens.constantTimeEqual(String(parts[1]), Tokens.hmac(payload, key: key(for: purpose, secret: secret))),
              let data = Tokens.data(base64URL: payload), let text = String(data: data, encoding: .utf8) else { return nil }
        let fields = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0] == purpose.rawValue, let expiry = Int(fields[2]),
              Date(timeIntervalSince1970: TimeInterval(expiry)) > now else { return nil }
        return String(fields[1])
    }

    private static func key(for purpose: Purpose, secret: String) -> String {
        Tokens.hmac("cadet-signed-token:" + purpose.rawValue, key: secret)
    }
}
