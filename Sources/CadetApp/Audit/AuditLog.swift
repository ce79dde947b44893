import Fluent
import Foundation

/// Who is making a change: a signed-in person, or an operator's command line.
public struct Actor: Sendable {
    public let userID: UUID?
    public let label: String
    public let requestID: String?

    public init(userID: UUID?, label: String, requestID: String? = nil) {
        self.userID = userID
        self.label = label
        self.requestID = requestID
    }

    /// Changes made by `cadet` commands carry the operating-system user who ran them.
    public static var commandLine: Actor {
        Actor(userID: nil, label: "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")")
    }

    public static let demo = Actor(userID: nil, label: "demo")
}

/// One change to record. Snapshots are small value types encoded as JSON.
struct AuditEntry {
    let action: String
    let entityType: String
    let entityID: UUID?
    let summary: String
    var programmeID: UUID? = nil
    var cohortID: UUID? = nil
    var before: (any Encodable & Sendable)? = nil
    var after: (any Encodable & Sendable)? = nil
}

enum AuditLog {
    static func record(_ entry: AuditEntry, by actor: Actor, on database: any Database) async throws {
        let event = AuditEvent()
        event.occurredAt = Date()
        event.actorID = actor.userID
        event.actorLabel = actor.label
        event.action = entry.action
        event.entityType = entry.entityType
        event.entityID = entry.entityID
        event.summary = entry.summary
        event.programmeID = entry.programmeID
        event.cohortID = entry.cohortID
        event.beforeJSON = try entry.before.map(encode)
        event.afterJSON = try entry.after.map(encode)
        event.requestID = actor.requestID
        try await event.create(on: database)
    }

    private static func encode(_ value: any Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
