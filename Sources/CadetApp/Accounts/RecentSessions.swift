import Foundation
import Synchronization
import Vapor

/// Sessions this process confirmed in the last minute, for the few routes that may use them
/// without asking the database again: a taker's saves and event reports, and the paper they open
/// right after starting. At 10,000 takers saves come 700 times a second, and reading the session,
/// the person and their roles for each was the one read on the hottest path of the morning (see
/// docs/exams.md). Every session the database confirms, on any route, is remembered.
///
/// What it costs: a session ended in *another* `cadet serve` process (signing out there, a
/// password reset) can still open its own paper and save its own answers here for up to `lifetime`. Ending a
/// session in this process forgets it at once, and every other route asks the database each time.
final class RecentSessions: Sendable {
    /// Longer than the pause between two saves of one taker (15 s), or nothing would be found.
    static let lifetime: TimeInterval = 60
    /// About 10 MB at most; beyond it the oldest half is dropped rather than growing.
    static let capacity = 40_000

    private struct Entry { let user: CurrentUser; let until: Date }
    private let entries = Mutex<[String: Entry]>([:])

    func user(tokenHash: String, now: Date = Date()) -> CurrentUser? {
        entries.withLock { entries in
            guard let entry = entries[tokenHash] else { return nil }
            guard entry.until > now else {
                entries[tokenHash] = nil
                return nil
            }
            return entry.user
        }
    }

    func remember(_ user: CurrentUser, tokenHash: String, now: Date = Date()) {
        entries.withLock { entries in
            if entries.count >= Self.capacity {
                entries = entries.filter { $0.value.until > now }
                if entries.count >= Self.capacity / 2 {
                    let cut = entries.values.map(\.until).sorted()[entries.count / 2]
                    entries = entries.filter { $0.value.until > cut }
                }
            }
            entries[tokenHash] = Entry(user: user, until: now.addingTimeInterval(Self.lifetime))
        }
    }

    /// Forgets the person's sessions, all of them or all but `keeping`.
    func forget(user: UUID, keeping: UUID? = nil) {
        entries.withLock { entries in
            entries = entries.filter { $0.value.user.id != user || $0.value.user.sessionID == keeping }
        }
    }

    func forget(session: UUID) {
        entries.withLock { entries in entries = entries.filter { $0.value.user.sessionID != session } }
    }

    var count: Int { entries.withLock { $0.count } }
}

extension Route {
    /// This route may take the session from `RecentSessions`; see there for what that costs.
    @discardableResult
    func acceptingRecentSession() -> Route {
        userInfo["cadet.acceptsRecentSession"] = true
        return self
    }

    var acceptsRecentSession: Bool { userInfo["cadet.acceptsRecentSession"] as? Bool ?? false }
}
