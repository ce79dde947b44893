import CadetCore
import Fluent
import Foundation

/// Reads and writes `SignInThrottle` states in the database.
enum ThrottleStore {
    static func remainingLock(keys: [(String, SignInThrottle)], on database: any Database, now: Date = Date()) async throws -> TimeInterval? {
        var longest: TimeInterval?
        for (key, rule) in keys {
            let row = try await LoginThrottle.query(on: database).filter(\.$key == key).first()
            if let remaining = rule.remainingLock(row.map(state), now: now) {
                longest = max(longest ?? 0, remaining)
            }
        }
        return longest
    }

    static func recordFailure(keys: [(String, SignInThrottle)], on database: any Database, now: Date = Date()) async throws {
        for (key, rule) in keys {
            do {
                try await record(key: key, rule: rule, on: database, now: now)
            } catch let error as any DatabaseError where error.isConstraintFailure {
                // Two failures raced to create the row; the other one did. Count ours on it.
                try await record(key: key, rule: rule, on: database, now: now)
            }
        }
    }

    private static func record(key: String, rule: SignInThrottle, on database: any Database, now: Date) async throws {
        let row = try await LoginThrottle.query(on: database).filter(\.$key == key).first() ?? LoginThrottle(key: key, windowStartedAt: now)
        let next = rule.recordingFailure(row.id == nil ? nil : state(row), now: now)
        row.failures = next.failures
        row.windowStartedAt = next.windowStartedAt
        row.lockedUntil = next.lockedUntil
        try await row.save(on: database)
    }

    static func clear(key: String, on database: any Database) async throws {
        try await LoginThrottle.query(on: database).filter(\.$key == key).delete()
    }

    private static func state(_ row: LoginThrottle) -> SignInThrottle.State {
        .init(failures: row.failures, windowStartedAt: row.windowStartedAt, lockedUntil: row.lockedUntil)
    }
}
