import CadetCore
import Fluent
import Foundation

/// Hiring partners of a programme: companies, their agreements and postings, and each trainee's
/// way through a posting. A placement that ends in *placed* records the graduate's outcome, so
/// the funder's report counts it without anyone typing it twice.
struct HiringService {
    let database: any Database
    let actor: Actor
    let now: Date

    func addCompany(_ draft: CompanyDraft, to programme: DirectoryLookup.ProgrammeRef) async throws -> Company {
        if try await Company.query(on: database).filter(\.$programme.$id == programme.id).filter(\.$name == draft.name).count() > 0 {
            throw ValidationFailure([FieldIssue("name", .alreadyTaken)])
        }
        let company = Company()
        company.$programme.id = programme.id
        company.name = draft.name
        company.contactName = draft.contactName
        company.contactEmail = draft.contactEmail
        company.region = draft.region
        try await database.transaction { db in
            try await company.create(on: db)
            try await AuditLog.record(AuditEntry(action: "careers.company_added", entityType: "company", entityID: company.id, summary: draft.name,
                                                 programmeID: programme.id), by: actor, on: db)
        }
        return company
    }

    func addAgreement(_ draft: AgreementDraft, to company: Company) async throws {
        let agreement = HiringAgreement()
        agreement.$company.id = try company.requireID()
        agreement.signedOn = draft.signedOn.iso
        agreement.endsOn = draft.endsOn?.iso
        agreement.headcount = draft.headcount
        agreement.recordedBy = actor.label
        try await database.transaction { db in
            try await agreement.create(on: db)
            try await AuditLog.record(AuditEntry(action: "careers.agreement_signed", entityType: "company", entityID: company.id,
                                                 summary: "\(company.name): \(draft.signedOn.iso)–\(draft.endsOn?.iso ?? ""), \(draft.headcount.map(String.init) ?? "?") hires",
                                                 programmeID: company.$programme.id), by: actor, on: db)
        }
    }

    func addPosting(_ draft: PostingDraft, by company: Company) async throws -> JobPosting {
        let posting = JobPosting()
        posting.$company.id = try company.requireID()
        posting.$programme.id = company.$programme.id
        posting.title = draft.title
        posting.description = draft.description
        posting.location = draft.location
        posting.closesOn = draft.closesOn.iso
        try await database.transaction { db in
            try await posting.create(on: db)
            try await AuditLog.record(AuditEntry(action: "careers.posting_added", entityType: "job_posting", entityID: posting.id,
                                                 summary: "\(company.name): \(draft.title) until \(draft.closesOn.iso)", programmeID: company.$programme.id),
                                      by: actor, on: db)
        }
        return posting
    }

    /// The cohorts of the posting's programme this person is a trainee of, latest first.
    static func traineeCohorts(of userID: UUID, in programmeID: UUID, on db: any Database) async throws -> [Cohort] {
        try await ClassMember.query(on: db).filter(\.$user.$id == userID).with(\.$cohort).all()
            .map(\.cohort).filter { $0.$programme.id == programmeID }.sorted { $0.startsOn > $1.startsOn }
    }

    /// A trainee applies (or staff put them forward); once per posting.
    func apply(_ trainee: User, to posting: JobPosting) async throws -> Placement {
        let traineeID = try trainee.requireID()
        guard try await !Self.traineeCohorts(of: traineeID, in: posting.$programme.id, on: database).isEmpty else { throw CareersError.notATrainee }
        if let existing = try await Placement.query(on: database).filter(\.$posting.$id == posting.requireID()).filter(\.$trainee.$id == traineeID).first() {
            return existing
        }
        let placement = Placement()
        placement.$posting.id = try posting.requireID()
        placement.$trainee.id = traineeID
        placement.stage = .applied
        placement.notes = ""
        placement.updatedBy = actor.label
        try await database.transaction { db in
            try await placement.create(on: db)
            try await AuditLog.record(AuditEntry(action: "careers.placement_applied", entityType: "placement", entityID: placement.id,
                                                 summary: "\(trainee.email) → \(posting.title)", programmeID: posting.$programme.id), by: actor, on: db)
        }
        return placement
    }

    /// Moves a placement on, with a note. Placed records the outcome of a graduate of the
    /// programme's latest cohort they completed; returns whether it did.
    @discardableResult
    func move(_ placement: Placement, to stage: PlacementStage, note: String, startsOn: CalendarDate?) async throws -> Bool {
        guard placement.stage.mayMove(to: stage) else { throw CareersError.placementClosed(stage: placement.stage.rawValue) }
        let posting = try await JobPosting.query(on: database).filter(\.$id == placement.$posting.id).with(\.$company).with(\.$programme).first()!
        let trainee = try await User.find(placement.$trainee.id, on: database)!
        let before = placement.stage
        placement.stage = stage
        if !note.isEmpty {
            placement.notes = (placement.notes.isEmpty ? "" : placement.notes + "\n") + "\(CalendarDate(now, in: TrainingDemo.zone).iso) \(stage.rawValue): \(note)"
        }
        placement.updatedBy = actor.label
        var recorded = false
        try await database.transaction { db in
            try await placement.update(on: db)
            try await AuditLog.record(AuditEntry(action: "careers.placement_moved", entityType: "placement", entityID: placement.id,
                                                 summary: "\(trainee.email) @ \(posting.company.name): \(before.rawValue) → \(stage.rawValue)",
                                                 programmeID: posting.$programme.id, before: before.rawValue, after: stage.rawValue), by: actor, on: db)
        }
        guard stage == .placed else { return false }
        for cohort in try await Self.traineeCohorts(of: trainee.requireID(), in: posting.$programme.id, on: database) {
            let graduates = try await OutcomeService.graduates(of: cohort.requireID(), on: database)
            guard graduates.contains(try trainee.requireID()) else { continue }
            let ref = DirectoryLookup.CohortRef(programme: posting.programme, cohort: cohort, id: try cohort.requireID())
            let draft = OutcomeDraft(status: .employed, chosenPath: .employment, organisation: posting.company.name, role: posting.title,
                                     startedOn: startsOn ?? CalendarDate(now, in: TrainingDemo.zone), inField: true, employmentType: .fullTime)
            try await OutcomeService(database: database, actor: actor, now: now).save(draft, of: trainee, in: ref)
            recorded = true
            break
        }
        return recorded
    }
}
