import Foundation

/// What the audit log records of each record: the fields a person edits.
struct ProgrammeSnapshot: Codable, Sendable, Equatable {
    let slug: String
    let name: String
    let description: String

    init(_ p: Programme) {
        slug = p.slug
        name = p.name
        description = p.description
    }
}

struct CohortSnapshot: Codable, Sendable, Equatable {
    let slug: String
    let name: String
    let capacity: Int
    let startsOn: String
    let endsOn: String
    let targetHours: Int?

    init(_ c: Cohort) {
        slug = c.slug
        name = c.name
        capacity = c.capacity
        startsOn = c.startsOn
        endsOn = c.endsOn
        targetHours = c.targetHours
    }
}

struct PhaseSnapshot: Codable, Sendable {
    let position: Int
    let name: String
    let hours: Int

    init(_ p: CohortPhase) {
        position = p.position
        name = p.name
        hours = p.hours
    }
}

struct ClassSnapshot: Codable, Sendable, Equatable {
    let name: String
    let instructor: String?
    let assistant: String?
}
