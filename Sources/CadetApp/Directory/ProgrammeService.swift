import CadetCore
import Fluent
import Foundation

/// Creating and editing programmes: the one path for pages, command line and demo, so that
/// validation and audit are the same everywhere.
struct ProgrammeService {
    let database: any Database
    let actor: Actor

    func create(_ values: [String: String]) async throws -> Programme {
        let draft = try ProgrammeDraft.parse(values)
        if try await Programme.query(on: database).filter(\.$slug == draft.slug).first() != nil {
            throw ValidationFailure([FieldIssue("slug", .alreadyTaken)])
        }
        let programme = Programme(slug: draft.slug, name: draft.name, description: draft.description)
        try await database.transaction { db in
            try await programme.create(on: db)
            try await AuditLog.record(AuditEntry(action: "programme.created", entityType: "programme", entityID: programme.id,
                                                 summary: draft.slug, programmeID: programme.id, after: ProgrammeSnapshot(programme)),
                                      by: actor, on: db)
        }
        return programme
    }

    /// The slug stays: it is in addresses and scripts. Name and description change.
    func update(_ programme: Programme, _ values: [String: String]) async throws {
        var fields = values
        fields["slug"] = programme.slug
        let draft = try ProgrammeDraft.parse(fields)
        let before = ProgrammeSnapshot(programme)
        programme.name = draft.name
        programme.description = draft.description
        guard ProgrammeSnapshot(programme) != before else { return }
        try await database.transaction { db in
            try await programme.update(on: db)
            try await AuditLog.record(AuditEntry(action: "programme.updated", entityType: "programme", entityID: programme.id,
                                                 summary: programme.slug, programmeID: programme.id,
                                                 before: before, after: ProgrammeSnapshot(programme)), by: actor, on: db)
        }
    }
}
