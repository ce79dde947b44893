import CadetCore
import Fluent
import Foundation

/// Company-sponsored places: a company's sponsorship of a cohort, and the employees it nominates.
struct SponsorshipService {
    let database: any Database
    let actor: Actor
    let localizer: Localizer
    let publicURL: URL

    /// The certificate of employment a nominee's application carries.
    static let certificateKey = "certificate_of_employment"

    func create(in round: RecruitmentRound, cohort: Cohort, _ values: [String: String], contact: User?) async throws -> Sponsorship {
        let draft = try SponsorshipDraft.parse(values)
        let roundID = try round.requireID()
        if try await Sponsorship.query(on: database).filter(\.$round.$id == roundID).filter(\.$company == draft.company).first() != nil {
            throw ValidationFailure([FieldIssue("company", .alreadyTaken)])
        }
        let sponsorship = Sponsorship()
        sponsorship.$round.id = roundID
        sponsorship.company = draft.company
        sponsorship.$contact.id = contact?.id
        sponsorship.tuitionPerTrainee = draft.tuitionPerTrainee
        sponsorship.refundPerCompleter = draft.refundPerCompleter
        try await database.transaction { db in
            try await sponsorship.create(on: db)
            if let id = contact?.id {
                let scope = Scope.cohort(CohortID(try cohort.requireID()), in: ProgrammeID(cohort.$programme.id))
                try await RoleService(database: db, actor: actor).ensure(.companyContact, for: id, at: scope)
            }
            try await AuditLog.record(AuditEntry(action: "sponsorship.created", entityType: "sponsorship", entityID: sponsorship.id,
                                                 summary: "\(draft.company): \(draft.tuitionPerTrainee) KRW, refund \(draft.refundPerCompleter) KRW",
                                                 programmeID: cohort.$programme.id, cohortID: cohort.id,
                                                 after: SponsorshipSnapshot(company: draft.company, tuition: draft.tuitionPerTrainee, refund: draft.refundPerCompleter)),
                                      by: actor, on: db)
        }
        return sponsorship
    }

    /// Puts an employee forward: they get an account if they have none, a draft application tied
    /// to the sponsorship, and an invitation to complete it.
    func nominate(_ values: [String: String], sponsorship: Sponsorship, round: RecruitmentRound, cohort: Cohort) async throws -> Applicant {
        let draft = try PersonDraft.parse(values)
        guard Date() < round.closesAt else { throw RecruitmentError.roundClosed }
        let sponsorshipID = try sponsorship.requireID()
        if try await Nomination.query(on: database).filter(\.$sponsorship.$id == sponsorshipID).filter(\.$email == draft.email).first() != nil {
            throw ValidationFailure([FieldIssue("email", .alreadyTaken)])
        }
        let roundID = try round.requireID()
        if let other = try await Applicant.query(on: database).filter(\.$round.$id == roundID).filter(\.$email == draft.email).first(),
           other.sponsorshipID != nil {
            throw ValidationFailure([FieldIssue("email", .alreadyTaken)])
        }
        let (applicant, invite) = try await database.transaction { db -> (Applicant, Bool) in
            var user = try await User.query(on: db).filter(\.$email == draft.email).first()
            let invite = user?.passwordHash == nil
            if user == nil { user = try await PeopleService(database: db, actor: actor).create(["name": draft.name, "email": draft.email]) }
            let applicant = try await Applicant.query(on: db).filter(\.$round.$id == roundID).filter(\.$email == draft.email).first() ?? Applicant()
            if applicant.id == nil {
                applicant.$round.id = roundID
                applicant.$cohort.id = try cohort.requireID()
                applicant.$user.id = user?.id
                applicant.name = draft.name
                applicant.email = draft.email
                applicant.stage = ApplicationStage.draft.rawValue
                applicant.answers = [:]
                applicant.employmentStatus = EmploymentStatus.employed.rawValue
            }
            applicant.sponsorshipID = sponsorshipID
            try await applicant.save(on: db)
            let nomination = Nomination()
            nomination.$sponsorship.id = sponsorshipID
            nomination.name = draft.name
            nomination.email = draft.email
            nomination.applicationID = applicant.id
            try await nomination.create(on: db)
            let scope = Scope.cohort(CohortID(try cohort.requireID()), in: ProgrammeID(cohort.$programme.id))
            try await RoleService(database: db, actor: actor).ensure(.trainee, for: user!.requireID(), at: scope)
            try await AuditLog.record(AuditEntry(action: "sponsorship.nominated", entityType: "sponsorship", entityID: sponsorshipID,
                                                 summary: "\(sponsorship.company): \(draft.email)", programmeID: cohort.$programme.id,
                                                 cohortID: cohort.id, after: PersonSnapshot(user!)), by: actor, on: db)
            let link = publicURL.appendingPathComponent("applications/\(applicant.id!.uuidString.lowercased())").absoluteString
            try await Outbox.enqueue(to: draft.email, subject: localizer("mail.nominated.subject", ["cohort": cohort.name]),
                                     body: localizer("mail.nominated.body", ["name": draft.name, "company": sponsorship.company,
                                                                             "cohort": cohort.name, "link": link,
                                                                             "deadline": localizer.dateTime(round.closesAt)]),
                                     kind: "nomination", on: db)
            return (applicant, invite)
        }
        if invite {
            try await PasswordResetService(database: database, hasher: nil, publicURL: publicURL)
                .requestLink(email: draft.email, purpose: .invitation, localizer: localizer, actor: actor)
        }
        return applicant
    }
}

struct SponsorshipSnapshot: Codable, Sendable {
    let company: String
    let tuition: Int
    let refund: Int
}
