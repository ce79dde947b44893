import CadetCore
import Fluent
import Foundation

/// Creating and editing cohorts and their curriculum phases.
struct CohortService {
    let database: any Database
    let actor: Actor

    func create(in programme: Programme, _ values: [String: String]) async throws -> Cohort {
        let draft = try CohortDraft.parse(values)
        let programmeID = try programme.requireID()
        if try await Cohort.query(on: database).filter(\.$programme.$id == programmeID).filter(\.$slug == draft.slug).first() != nil {
            throw ValidationFailure([FieldIssue("slug", .alreadyTaken)])
        }
        let cohort = Cohort()
        cohort.$programme.id = programmeID
        cohort.slug = draft.slug
        apply(draft, to: cohort)
        try await database.transaction { db in
            try await cohort.create(on: db)
            try await AuditLog.record(AuditEntry(action: "cohort.created", entityType: "cohort", entityID: cohort.id,
                                                 summary: "\(programme.slug)/\(draft.slug)", programmeID: programmeID,
                                                 cohortID: cohort.id, after: CohortSnapshot(cohort)), by: actor, on: db)
        }
        return cohort
    }

    func update(_ cohort: Cohort, _ values: [String: String]) async throws {
        var fields = values
        fields["slug"] = cohort.slug
        let draft = try CohortDraft.parse(fields)
        let before = CohortSnapshot(cohort)
        apply(draft, to: cohort)
        guard CohortSnapshot(cohort) != before else { return }
        try await database.transaction { db in
            try await cohort.update(on: db)
            try await AuditLog.record(AuditEntry(action: "cohort.updated", entityType: "cohort", entityID: cohort.id,
                                                 summary: cohort.slug, programmeID: cohort.$programme.id, cohortID: cohort.id,
                                                 before: before, after: CohortSnapshot(cohort)), by: actor, on: db)
        }
    }

    func addPhase(to cohort: Cohort, _ values: [String: String]) async throws {
        let draft = try PhaseDraft.parse(values)
        let cohortID = try cohort.requireID()
        let last = try await CohortPhase.query(on: database).filter(\.$cohort.$id == cohortID).max(\.$position) ?? 0
        let phase = CohortPhase(cohortID: cohortID, position: last + 1, name: draft.name, hours: draft.hours)
        try await database.transaction { db in
            try await phase.create(on: db)
            try await AuditLog.record(AuditEntry(action: "cohort.phase_added", entityType: "cohort_phase", entityID: phase.id,
                                                 summary: "\(cohort.slug): \(draft.name)", programmeID: cohort.$programme.id,
                                                 cohortID: cohortID, after: PhaseSnapshot(phase)), by: actor, on: db)
        }
    }

    func removePhase(_ phaseID: UUID, from cohort: Cohort) async throws {
        let cohortID = try cohort.requireID()
        guard let phase = try await CohortPhase.query(on: database).filter(\.$id == phaseID).filter(\.$cohort.$id == cohortID).first() else {
            throw PlatformError.notFound
        }
        try await database.transaction { db in
            try await phase.delete(on: db)
            try await AuditLog.record(AuditEntry(action: "cohort.phase_removed", entityType: "cohort_phase", entityID: phaseID,
                                                 summary: "\(cohort.slug): \(phase.name)", programmeID: cohort.$programme.id,
                                                 cohortID: cohortID, before: PhaseSnapshot(phase)), by: actor, on: db)
        }
    }

    private func apply(_ draft: CohortDraft, to cohort: Cohort) {
        cohort.name = draft.name
        cohort.capacity = draft.capacity
        cohort.startsOn = draft.startsOn.iso
        cohort.endsOn = draft.endsOn.iso
        cohort.targetHours = draft.targetHours
    }
}
