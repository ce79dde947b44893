import CadetCore
import Fluent
import Foundation

/// Reads and writes `AttemptThrottle` states in the database.
enum ThrottleStore {
    static func remainingLock(keys: [(String, AttemptThrottle)], on database: any Database, now: Date = Date()) async throws -> TimeInterval? {
        var longest: TimeInterval?
        for (key, rule) in keys {
            let row = try await LoginThrottle.query(on: database).filter(\.$key == key).first()
            if let remaining = rule.remainingLock(row.map(state), now: now) {
                longest = max(longest ?? 0, remaining)
            }
        }
        return longest
    }

    static func recordFailure(keys: [(String, AttemptThrottle)], on database: any Database, now: Date = Date()) async throws {
        for (key, rule) in keys {
            do {
                try await record(key: key, rule: rule, on: database, now: now)
            } catch let error as any DatabaseError where error.isConstraintFailure {
                // Two failures raced to create the row; the other one did. Count ours on it.
                try await record(key: key, rule: rule, on: database, now: now)
            }
        }
    }

    private static func record(key: String, rule: AttemptThrottle, on database: any Database, now: Date) async throws {
        let row = try await LoginThrottle.query(on: database).filter(\.$key == key).first() ?? LoginThrottle(key: key, windowStartedAt: now)
        let next = rule.recordingFailure(row.id == nil ? nil : state(row), now: now)
        row.failures = next.failures
        row.windowStartedAt = next.windowStartedAt
        row.lockedUntil = next.lockedUntil
        try await row.save(on: database)
    }

    /// Counts one request that sends mail, and refuses it when the address has sent too many.
    static func spendMailRequest(from address: String, on database: any Database, now: Date = Date()) async throws {
        let keys = [("mail:\(address)", AttemptThrottle.mailRequestsPerAddress)]
        if let remaining = try await remainingLock(keys: keys, on: database, now: now) {
            throw AccountError.tooManyRequests(minutes: Int((remaining / 60).rounded(.up)))
        }
        try await recordFailure(keys: keys, on: database, now: now)
    }

    static func clear(key: String, on database: any Database) async throws {
        try await LoginThrottle.query(on: database).filter(\.$key == key).delete()
    }

    private static func state(_ row: LoginThrottle) -> AttemptThrottle.State {
        .init(failures: row.failures, windowStartedAt: row.windowStartedAt, lockedUntil: row.lockedUntil)
    }
}
