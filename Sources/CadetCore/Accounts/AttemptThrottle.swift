import Foundation

/// Counts attempts in a window: after `limit` within `window`, further attempts are refused for
/// `lockout`. Sign-in failures are counted per account (one victim) and per address (one
/// attacker, many accounts, with a higher limit for shared NAT addresses); a browser that signed
/// in to the account before is not held back by either (see docs/security.md). Requests that
/// send mail (sign-up, reset links, unlock links) are counted per address so that nobody can
/// flood inboxes or probe which addresses have accounts.
public struct AttemptThrottle: Sendable, Equatable {
    public let limit: Int
    public let window: TimeInterval
    public let lockout: TimeInterval

    public static let perAccount = AttemptThrottle(limit: 5, window: 15 * 60, lockout: 15 * 60)
    public static let perAddress = AttemptThrottle(limit: 30, window: 15 * 60, lockout: 15 * 60)
    /// Failures from one trusted browser: a stolen device cookie still cannot guess for long.
    public static let perDevice = AttemptThrottle(limit: 10, window: 15 * 60, lockout: 15 * 60)
    /// Sign-ups, reset and unlock requests from one address: enough for a family or a lab.
    public static let mailRequestsPerAddress = AttemptThrottle(limit: 20, window: 60 * 60, lockout: 60 * 60)

    public init(limit: Int, window: TimeInterval, lockout: TimeInterval) {
        self.limit = limit
        self.window = window
        self.lockout = lockout
    }

    public struct State: Equatable, Sendable {
        public var failures: Int
        public var windowStartedAt: Date
        public var lockedUntil: Date?

        public init(failures: Int = 0, windowStartedAt: Date, lockedUntil: Date? = nil) {
            self.failures = failures
            self.windowStartedAt = windowStartedAt
            self.lockedUntil = lockedUntil
        }
    }

    /// Seconds left on a lock, or nil when an attempt may go ahead.
    public func remainingLock(_ state: State?, now: Date) -> TimeInterval? {
        guard let until = state?.lockedUntil, until > now else { return nil }
        return until.timeIntervalSince(now)
    }

    /// The state after one more failure at `now`.
    public func recordingFailure(_ state: State?, now: Date) -> State {
        var next = state ?? State(windowStartedAt: now)
        if now.timeIntervalSince(next.windowStartedAt) > window || (next.lockedUntil.map { $0 <= now } ?? false) {
            next = State(windowStartedAt: now)
        }
        next.failures += 1
        if next.failures >= limit {
            next.lockedUntil = now.addingTimeInterval(lockout)
        }
        return next
    }
}
