import CadetCore
import Fluent
import Foundation
import SQLKit

/// What an applicant does with their application: start it, save it, submit it before the
/// deadline (the server's clock decides), withdraw it, and answer an offer.
struct ApplicationService {
    let database: any Database
    let actor: Actor
    let localizer: Localizer

    /// The applicant's application to this round, created as a draft if there is none. Only
    /// for a verified address: an application carries its e-mail, and an unproved one could
    /// squat on someone else's place in the round.
    func start(round: RecruitmentRound, cohort: Cohort, user: User, now: Date = Date()) async throws -> Applicant {
        guard user.emailVerifiedAt != nil else { throw AccountError.emailNotVerified }
        let roundID = try round.requireID()
        if let existing = try await ApplicationOwner(user).filter(Applicant.query(on: database).filter(\.$round.$id == roundID)).first() {
            if existing.$user.id == nil {
                // Imported or nominated before the person had an account: now it is theirs.
                existing.$user.id = user.id
                try await existing.update(on: database)
            }
            return existing
        }
        guard now < round.closesAt else { throw RecruitmentError.roundClosed }
        guard now >= round.opensAt else { throw RecruitmentError.roundNotOpen }
        let applicant = try Applicant(draftIn: round, cohort: cohort, userID: user.id, name: user.name, email: user.email)
        try await applicant.create(on: database)
        return applicant
    }

    /// Saves what was typed. Before the deadline only, and only while the application is a draft
    /// or freshly submitted.
    func save(_ applicant: Applicant, round: RecruitmentRound, _ values: [String: String], now: Date = Date()) async throws {
        try requireEditable(applicant, round: round, now: now)
        let questions = try await RoundService.questions(of: round.requireID(), on: database)
        var reader = FieldReader(values)
        let profile = ApplicantProfile.read(values, into: &reader, submitting: false)
        var answers: [String: String] = [:]
        for question in questions where question.kind != .file {
            let raw = values[question.field]?.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let raw, !raw.isEmpty else { continue }
            // A draft may say "no" to an eligibility question; submitting it may not.
            if question.kind == .eligibility, raw == "no" { answers[question.key] = raw; continue }
            var lenient = question
            lenient.required = false
            if let answer = lenient.check(raw, into: &reader) { answers[question.key] = answer }
        }
        try reader.check()
        let before = ApplicantSnapshot(applicant)
        apply(profile, answers: answers, files: applicant.answers, questions: questions, to: applicant)
        try await database.transaction { db in
            try await applicant.update(on: db)
            if applicant.stage != .draft {
                try await AuditLog.record(AuditEntry(action: "application.edited", entityType: "application", entityID: applicant.id,
                                                     summary: "#\(applicant.number ?? 0)", cohortID: applicant.$cohort.id,
                                                     before: before, after: ApplicantSnapshot(applicant)), by: actor, on: db)
            }
        }
    }

    /// Submits after checking everything the form requires, with the consent version shown.
    func submit(_ applicant: Applicant, round: RecruitmentRound, cohort: Cohort, _ values: [String: String], now: Date = Date()) async throws {
        try requireEditable(applicant, round: round, now: now)
        let roundID = try round.requireID()
        let questions = try await RoundService.questions(of: roundID, on: database)
        var reader = FieldReader(values)
        let profile = ApplicantProfile.read(values, into: &reader, submitting: true)
        var answers: [String: String] = [:]
        let files = Set(try await ApplicantFile.query(on: database).filter(\.$applicant.$id == applicant.requireID()).all().map(\.questionKey))
        for question in questions {
            if question.kind == .file {
                if question.required && !files.contains(question.key) { reader.add(FieldIssue(question.field, .required)) }
                continue
            }
            if let answer = question.check(values[question.field], into: &reader) { answers[question.key] = answer }
        }
        let consent = try await ConsentService.current(for: roundID, on: database)
        if consent != nil, values["consent"] != "yes" { reader.add(FieldIssue("consent", .required)) }
        try reader.check()
        let wasDraft = applicant.stage == .draft
        apply(profile, answers: answers, files: applicant.answers, questions: questions, to: applicant)
        applicant.consentVersionID = consent?.id
        applicant.consentedAt = consent == nil ? nil : now
        try await database.transaction { db in
            if wasDraft {
                applicant.stage = .submitted
                applicant.submittedAt = now
                applicant.number = try await Self.nextNumber(in: roundID, on: db)
            }
            try await applicant.update(on: db)
            try await AuditLog.record(AuditEntry(action: wasDraft ? "application.submitted" : "application.resubmitted", entityType: "application",
                                                 entityID: applicant.id, summary: "#\(applicant.number ?? 0) \(applicant.email)",
                                                 programmeID: cohort.$programme.id, cohortID: cohort.id, after: ApplicantSnapshot(applicant)),
                                      by: actor, on: db)
            if wasDraft {
                try await Outbox.enqueue(to: applicant.email, subject: localizer("mail.submitted.subject"),
                                         body: localizer("mail.submitted.body", ["name": applicant.name, "cohort": cohort.name,
                                                                                 "number": String(applicant.number ?? 0),
                                                                                 "deadline": localizer.dateTime(round.closesAt)]),
                                         kind: "application_submitted", on: db)
            }
        }
    }

    func withdraw(_ applicant: Applicant, cohort: Cohort, now: Date = Date()) async throws {
        guard let stage = Optional(applicant.stage), stage.applicantMayWithdraw else { throw RecruitmentError.notAllowedNow }
        let wasAdmitted = stage == .admitted
        try await database.transaction { db in
            applicant.stage = .withdrawn
            try await applicant.update(on: db)
            try await AuditLog.record(AuditEntry(action: "application.withdrawn", entityType: "application", entityID: applicant.id,
                                                 summary: "#\(applicant.number ?? 0) \(applicant.email)", programmeID: cohort.$programme.id,
                                                 cohortID: cohort.id, before: StageSnapshot(stage: stage.rawValue),
                                                 after: StageSnapshot(stage: ApplicationStage.withdrawn.rawValue)), by: actor, on: db)
            if wasAdmitted { try await Offers(database: db, actor: actor, localizer: localizer).offerNextPlace(cohort: cohort, roundID: applicant.$round.id) }
        }
    }

    /// The applicant's answer to an offer of a place.
    func respond(_ applicant: Applicant, cohort: Cohort, accept: Bool) async throws {
        guard applicant.stage == .admitted else { throw RecruitmentError.notAllowedNow }
        let next: ApplicationStage = accept ? .accepted : .declined
        try await database.transaction { db in
            applicant.stage = next
            try await applicant.update(on: db)
            try await AuditLog.record(AuditEntry(action: accept ? "application.accepted" : "application.declined", entityType: "application",
                                                 entityID: applicant.id, summary: "#\(applicant.number ?? 0) \(applicant.email)",
                                                 programmeID: cohort.$programme.id, cohortID: cohort.id,
                                                 before: StageSnapshot(stage: ApplicationStage.admitted.rawValue), after: StageSnapshot(stage: next.rawValue)),
                                      by: actor, on: db)
            if !accept { try await Offers(database: db, actor: actor, localizer: localizer).offerNextPlace(cohort: cohort, roundID: applicant.$round.id) }
        }
    }

    private func requireEditable(_ applicant: Applicant, round: RecruitmentRound, now: Date) throws {
        guard now < round.closesAt else { throw RecruitmentError.roundClosed }
        guard applicant.stage == .draft || applicant.stage == .submitted else {
            throw RecruitmentError.notAllowedNow
        }
    }

    private func apply(_ profile: ApplicantProfile, answers: [String: String], files: [String: String], questions: [QuestionDraft], to applicant: Applicant) {
        if let name = profile.name { applicant.name = name }
        applicant.phone = profile.phone
        applicant.birthDate = profile.birthDate?.iso
        applicant.region = profile.region?.rawValue
        applicant.gender = profile.gender?.rawValue
        applicant.education = profile.education?.rawValue
        applicant.majorField = profile.majorField?.rawValue
        applicant.employmentStatus = profile.employmentStatus?.rawValue
        // File answers record the uploaded file's name; keep them.
        var merged = answers
        for question in questions where question.kind == .file {
            if let file = files[question.key] { merged[question.key] = file }
        }
        applicant.answers = merged
    }

    static func nextNumber(in roundID: UUID, on db: any Database) async throws -> Int {
        (try await Applicant.query(on: db).filter(\.$round.$id == roundID).max(\.$number) ?? 0) + 1
    }
}

struct StageSnapshot: Codable, Sendable {
    let stage: String
}

struct ApplicantSnapshot: Codable, Sendable {
    let name: String
    let stage: String
    let region: String?
    let birthDate: String?
    let answers: [String: String]

    init(_ a: Applicant) {
        name = a.name
        stage = a.stage.rawValue
        region = a.region
        birthDate = a.birthDate
        answers = a.answers
    }
}
