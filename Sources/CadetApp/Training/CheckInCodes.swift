import CadetCore
import Foundation

/// The code shown in the room: for each session and each rotation window, a token for the QR
/// link and a six-digit code to type, both HMACs of the session and the window under a key
/// derived from the academy's secret. A code is good in its own window and the one after, so a
/// photo sent to someone at home stops working within two rotations.
struct CheckInCodes: Sendable {
    let secret: String
    let rotation: Int

    private var key: String { Tokens.hmac("cadet-check-in", key: secret) }

    func token(session: UUID, window: Int64) -> String {
        String(Tokens.hmac("\(session.uuidString):\(window)", key: key).prefix(22))
    }

    func shortCode(session: UUID, window: Int64) -> String {
        let digest = Tokens.hmac("code:\(session.uuidString):\(window)", key: key)
        let number = digest.utf8.prefix(8).reduce(UInt64(0)) { $0 &* 131 &+ UInt64($1) } % 1_000_000
        return String(format: "%06llu", number)
    }

    func current(session: UUID, at now: Date) -> (token: String, code: String, window: Int64) {
        let window = CheckIn.window(at: now, rotation: rotation)
        return (token(session: session, window: window), shortCode(session: session, window: window), window)
    }

    /// Whether `presented` (a token or a typed code) is this window's or the last one's.
    func accepts(_ presented: String, session: UUID, at now: Date) -> Bool {
        let window = CheckIn.window(at: now, rotation: rotation)
        let text = presented.trimmingCharacters(in: .whitespaces)
        return [window, window - 1].contains { w in
            Tokens.constantTimeEqual(text, token(session: session, window: w)) || Tokens.constantTimeEqual(text, shortCode(session: session, window: w))
        }
    }
}
