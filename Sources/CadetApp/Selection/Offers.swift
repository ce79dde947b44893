import CadetCore
import Fluent
import Foundation

/// Places offered to the waiting list when an admitted applicant declines or withdraws.
struct Offers {
    let database: any Database
    let actor: Actor
    let localizer: Localizer

    /// Offers the freed place to the first on the waiting list, and tells them.
    func offerNextPlace(cohort: Cohort, roundID: UUID) async throws {
        let waiting = try await Applicant.query(on: database)
            .filter(\.$round.$id == roundID)
            .filter(\.$stage == .waitlisted)
            .all()
        let entries = waiting.compactMap { a in a.waitlistPosition.map { WaitingList.Entry(id: a.id!, position: $0) } }
        guard let next = WaitingList.next(entries), let applicant = waiting.first(where: { $0.id == next.id }) else { return }
        applicant.stage = .admitted
        applicant.waitlistPosition = nil
        try await applicant.update(on: database)
        try await AuditLog.record(AuditEntry(action: "application.offered_from_waitlist", entityType: "application", entityID: applicant.id,
                                             summary: "#\(applicant.number ?? 0) \(applicant.email) (waiting list \(next.position))",
                                             programmeID: cohort.$programme.id, cohortID: cohort.id,
                                             before: StageSnapshot(stage: ApplicationStage.waitlisted.rawValue),
                                             after: StageSnapshot(stage: ApplicationStage.admitted.rawValue)), by: actor, on: database)
        try await Notices.stageChanged(applicant, to: .admitted, cohort: cohort, localizer: localizer, on: database)
    }
}

/// Tells applicants, through the outbox, when their application moves.
enum Notices {
    static func stageChanged(_ applicant: Applicant, to stage: ApplicationStage, cohort: Cohort, localizer t: Localizer, on db: any Database) async throws {
        let stageName = t("stage.\(stage.rawValue)")
        try await Outbox.enqueue(to: applicant.email, subject: t("mail.stage.subject", ["cohort": cohort.name, "stage": stageName]),
                                 body: t("mail.stage.body", ["name": applicant.name, "cohort": cohort.name, "stage": stageName,
                                                             "number": String(applicant.number ?? 0)]),
                                 kind: "application_stage", on: db)
    }
}
