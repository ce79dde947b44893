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

    /// Puts an employee forward. They get an account if they have none and a message asking
    /// them to accept; nothing of any application of theirs is tied to the company, or shown to
    /// it, until they accept (or staff, who may see applications anyway, confirm for them).
    /// The company's page says the same whether or not the person had already applied.
    func nominate(_ values: [String: String], sponsorship: Sponsorship, round: RecruitmentRound, cohort: Cohort, byStaff: Bool) async throws -> Nomination {
        let draft = try PersonDraft.parse(values)
        guard Date() < round.closesAt else { throw RecruitmentError.roundClosed }
        let sponsorshipID = try sponsorship.requireID()
        if try await Nomination.query(on: database).filter(\.$sponsorship.$id == sponsorshipID).filter(\.$email == draft.email).first() != nil {
            throw ValidationFailure([FieldIssue("email", .alreadyTaken)])
        }
        let (nomination, invite) = try await database.transaction { db -> (Nomination, Bool) in
            var user = try await User.query(on: db).filter(\.$email == draft.email).first()
            let invite = user?.passwordHash == nil
            if user == nil { user = try await PeopleService(database: db, actor: actor).create(["name": draft.name, "email": draft.email]) }
            let nomination = Nomination()
            nomination.$sponsorship.id = sponsorshipID
            nomination.name = draft.name
            nomination.email = draft.email
            nomination.status = .invited
            try await nomination.create(on: db)
            try await AuditLog.record(AuditEntry(action: "sponsorship.nominated", entityType: "sponsorship", entityID: sponsorshipID,
                                                 summary: "\(sponsorship.company): \(draft.email)", programmeID: cohort.$programme.id,
                                                 cohortID: cohort.id, after: PersonSnapshot(user!)), by: actor, on: db)
            if byStaff {
                try await SponsorshipService(database: db, actor: actor, localizer: localizer, publicURL: publicURL)
                    .attach(nomination, sponsorship: sponsorship, round: round, cohort: cohort, user: user!)
            }
            let link = publicURL.appendingPathComponent("applications").absoluteString
            try await Outbox.enqueue(to: draft.email, subject: localizer("mail.nominated.subject", ["cohort": cohort.name]),
                                     body: localizer(byStaff ? "mail.nominated_confirmed.body" : "mail.nominated.body",
                                                     ["name": draft.name, "company": sponsorship.company, "cohort": cohort.name, "link": link,
                                                      "deadline": localizer.dateTime(round.closesAt)]),
                                     kind: "nomination", on: db)
            return (nomination, invite)
        }
        if invite {
            try await PasswordResetService(database: database, hasher: nil, publicURL: publicURL)
                .requestLink(email: draft.email, purpose: .invitation, localizer: localizer, actor: actor)
        }
        return nomination
    }

    /// The nominee's answer. Accepting ties their application to the round (a new draft if they
    /// had none) to the sponsorship; an application another company sponsors stays as it is.
    func answer(_ nomination: Nomination, accept: Bool, by user: User) async throws {
        guard nomination.status == .invited else { throw RecruitmentError.notAllowedNow }
        let sponsorship = try await Sponsorship.query(on: database).filter(\.$id == nomination.$sponsorship.id).with(\.$round) { $0.with(\.$cohort) }.first()
        guard let sponsorship else { throw RecruitmentError.notAllowedNow }
        let round = sponsorship.round, cohort = round.cohort
        guard accept else {
            try await database.transaction { db in
                nomination.status = .declined
                try await nomination.update(on: db)
                try await AuditLog.record(AuditEntry(action: "sponsorship.nomination_declined", entityType: "sponsorship", entityID: sponsorship.id,
                                                     summary: "\(sponsorship.company): \(nomination.email)", programmeID: cohort.$programme.id,
                                                     cohortID: cohort.id), by: actor, on: db)
            }
            return
        }
        guard Date() < round.closesAt else { throw RecruitmentError.roundClosed }
        try await database.transaction { db in
            try await SponsorshipService(database: db, actor: actor, localizer: localizer, publicURL: publicURL)
                .attach(nomination, sponsorship: sponsorship, round: round, cohort: cohort, user: user)
        }
    }

    /// Ties the nominee's application to the sponsorship and makes them a trainee of the cohort.
    func attach(_ nomination: Nomination, sponsorship: Sponsorship, round: RecruitmentRound, cohort: Cohort, user: User) async throws {
        let roundID = try round.requireID(), sponsorshipID = try sponsorship.requireID()
        let existing = try await Applicant.query(on: database).filter(\.$round.$id == roundID).filter(\.$email == nomination.email).first()
        if let other = existing?.sponsorshipID, other != sponsorshipID { throw RecruitmentError.sponsoredElsewhere }
        let applicant = try existing ?? Applicant(draftIn: round, cohort: cohort, userID: user.id, name: nomination.name, email: nomination.email)
        if existing == nil { applicant.employmentStatus = EmploymentStatus.employed.rawValue }
        applicant.sponsorshipID = sponsorshipID
        try await applicant.save(on: database)
        nomination.applicationID = applicant.id
        nomination.status = .accepted
        try await nomination.update(on: database)
        let scope = Scope.cohort(CohortID(try cohort.requireID()), in: ProgrammeID(cohort.$programme.id))
        try await RoleService(database: database, actor: actor).ensure(.trainee, for: user.requireID(), at: scope)
        try await AuditLog.record(AuditEntry(action: "sponsorship.nomination_accepted", entityType: "application", entityID: applicant.id,
                                             summary: "\(sponsorship.company): \(nomination.email)", programmeID: cohort.$programme.id,
                                             cohortID: cohort.id), by: actor, on: database)
    }
}

struct SponsorshipSnapshot: Codable, Sendable {
    let company: String
    let tuition: Int
    let refund: Int
}
