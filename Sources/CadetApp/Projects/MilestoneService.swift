import CadetCore
import Fluent
import Foundation

/// Milestones: staff set them for the cohort, teams hand in a link and perhaps a file, mentors and
/// staff write feedback. Everything audited; a replaced file is removed from the store.
struct MilestoneService {
    let database: any Database
    let actor: Actor
    let now: Date

    func add(_ draft: MilestoneDraft, in ref: DirectoryLookup.CohortRef) async throws -> ProjectMilestone {
        let milestone = ProjectMilestone()
        milestone.$cohort.id = ref.id
        milestone.title = draft.title
        milestone.dueOn = draft.dueOn.iso
        milestone.description = draft.description
        try await database.transaction { db in
            try await milestone.create(on: db)
            try await audit("project.milestone_added", entity: milestone.id, "\(draft.title) due \(draft.dueOn.iso)", ref, on: db)
        }
        return milestone
    }

    /// Hands in (or replaces) the team's deliverable; returns the storage name of a file it
    /// replaced, for the caller to remove once the change is saved.
    func submit(_ draft: DeliverableDraft, file: DocumentStore.Stored?, for milestone: ProjectMilestone, team: ProjectProposal, by user: UUID,
                in ref: DirectoryLookup.CohortRef) async throws -> String? {
        let deliverable = try await MilestoneDeliverable.query(on: database).filter(\.$milestone.$id == milestone.requireID())
            .filter(\.$proposal.$id == team.requireID()).first() ?? MilestoneDeliverable()
        let replaced = file != nil ? deliverable.fileStorage : nil
        deliverable.$milestone.id = try milestone.requireID()
        deliverable.$proposal.id = try team.requireID()
        deliverable.link = draft.link
        deliverable.note = draft.note
        if let file {
            deliverable.fileName = file.filename
            deliverable.fileType = file.contentType
            deliverable.fileStorage = file.storageName
        }
        deliverable.submittedBy = user
        deliverable.submittedAt = now
        try await database.transaction { db in
            try await deliverable.save(on: db)
            try await audit("project.deliverable_submitted", entity: team.id,
                            "\(team.title) · \(milestone.title): \(draft.link ?? "")\(file.map { " \($0.filename) (\($0.size) bytes, sha256 \($0.sha256.prefix(12)))" } ?? "")", ref, on: db)
        }
        return replaced
    }

    func feedback(_ text: String, on milestone: ProjectMilestone, team: ProjectProposal, by author: UUID, in ref: DirectoryLookup.CohortRef) async throws {
        let feedback = MilestoneFeedback()
        feedback.$milestone.id = try milestone.requireID()
        feedback.$proposal.id = try team.requireID()
        feedback.$author.id = author
        feedback.text = text
        feedback.writtenAt = now
        try await database.transaction { db in
            try await feedback.create(on: db)
            try await audit("project.feedback_written", entity: team.id, "\(team.title) · \(milestone.title)", ref, on: db)
        }
    }

    /// A team's milestones, each with its deliverable and feedback, earliest due first.
    struct Progress {
        let milestone: ProjectMilestone
        let deliverable: MilestoneDeliverable?
        let feedback: [MilestoneFeedback]
        /// Handed in after the day it was due (in the academy's calendar).
        func late(in zone: TimeZone) -> Bool {
            guard let deliverable, let due = CalendarDate(iso: milestone.dueOn) else { return false }
            return CalendarDate(deliverable.submittedAt, in: zone) > due
        }
    }

    static func progress(of team: ProjectProposal, in ref: DirectoryLookup.CohortRef, on db: any Database) async throws -> [Progress] {
        let milestones = try await ProjectMilestone.query(on: db).filter(\.$cohort.$id == ref.id).sort(\.$dueOn).sort(\.$title).all()
        let deliverables = try await MilestoneDeliverable.query(on: db).filter(\.$proposal.$id == team.requireID()).all()
        let feedback = try await MilestoneFeedback.query(on: db).filter(\.$proposal.$id == team.requireID()).with(\.$author).sort(\.$writtenAt).all()
        return milestones.map { m in
            Progress(milestone: m, deliverable: deliverables.first { $0.$milestone.id == m.id }, feedback: feedback.filter { $0.$milestone.id == m.id })
        }
    }

    private func audit(_ action: String, entity: UUID?, _ summary: String, _ ref: DirectoryLookup.CohortRef, on db: any Database) async throws {
        try await AuditLog.record(AuditEntry(action: action, entityType: "project", entityID: entity, summary: summary, programmeID: ref.programme.id, cohortID: ref.id),
                                  by: actor, on: db)
    }
}
