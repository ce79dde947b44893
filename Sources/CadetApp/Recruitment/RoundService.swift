import CadetCore
import Fluent
import Foundation

/// Setting up a cohort's recruitment round: times, capacity, the form, the consent and the rubric.
struct RoundService {
    let database: any Database
    let actor: Actor
    let timeZone: TimeZone

    static func round(of cohortID: UUID, on db: any Database) async throws -> RecruitmentRound? {
        try await RecruitmentRound.query(on: db).filter(\.$cohort.$id == cohortID).first()
    }

    /// What every new round starts with: the standard rubric and the first consent version.
    static func furnish(_ round: RecruitmentRound, cohort: Cohort, by actor: Actor, on db: any Database) async throws {
        let roundID = try round.requireID()
        for (position, criterion) in SelectionRules.standard.criteria.enumerated() {
            let row = RubricCriterion()
            row.$round.id = roundID
            row.position = position
            row.key = criterion.key
            row.source = criterion.source.rawValue
            row.weight = criterion.weight
            row.scale = criterion.scale
            try await row.create(on: db)
        }
        try await ConsentService(database: db, actor: actor).publish(for: round, cohort: cohort, ConsentService.standard)
    }

    /// Creates the round with a default rubric (documents 30, test 40, interview 30) and a first
    /// consent version, or updates its settings.
    @discardableResult
    func save(for cohort: Cohort, _ draft: RoundDraft) async throws -> RecruitmentRound {
        let cohortID = try cohort.requireID()
        let existing = try await Self.round(of: cohortID, on: database)
        let round = existing ?? RecruitmentRound()
        let before = existing.map(RoundSnapshot.init)
        round.$cohort.id = cohortID
        round.opensAt = draft.opensAt
        round.closesAt = draft.closesAt
        round.capacity = draft.capacity
        round.sponsored = draft.sponsored
        round.tuitionPerTrainee = draft.tuitionPerTrainee
        round.refundPerCompleter = draft.refundPerCompleter
        // A new round reviews blind unless staff turn it off later.
        round.blindReview = existing == nil ? true : draft.blindReview
        round.normalisation = draft.normalisation.rawValue
        round.tieBreaks = draft.tieBreaks.map(\.rawValue).joined(separator: ",")
        try await database.transaction { db in
            try await round.save(on: db)
            if existing == nil { try await Self.furnish(round, cohort: cohort, by: actor, on: db) }
            try await AuditLog.record(AuditEntry(action: existing == nil ? "round.created" : "round.updated", entityType: "round", entityID: round.id,
                                                 summary: cohort.slug, programmeID: cohort.$programme.id, cohortID: cohortID,
                                                 before: before, after: RoundSnapshot(round)), by: actor, on: db)
        }
        return round
    }

    func addQuestion(to round: RecruitmentRound, cohort: Cohort, _ draft: QuestionDraft) async throws {
        let roundID = try round.requireID()
        if try await RoundQuestion.query(on: database).filter(\.$round.$id == roundID).filter(\.$key == draft.key).first() != nil {
            throw ValidationFailure([FieldIssue("key", .alreadyTaken)])
        }
        let last = try await RoundQuestion.query(on: database).filter(\.$round.$id == roundID).max(\.$position) ?? 0
        let question = RoundQuestion()
        question.$round.id = roundID
        question.position = last + 1
        question.key = draft.key
        question.labelKorean = draft.labelKorean
        question.labelEnglish = draft.labelEnglish
        question.kind = draft.kind.rawValue
        question.required = draft.required
        question.options = draft.options.joined(separator: "\n")
        try await database.transaction { db in
            try await question.create(on: db)
            try await AuditLog.record(AuditEntry(action: "round.question_added", entityType: "round", entityID: roundID, summary: draft.key,
                                                 programmeID: cohort.$programme.id, cohortID: cohort.id), by: actor, on: db)
        }
    }

    func removeQuestion(_ questionID: UUID, from round: RecruitmentRound, cohort: Cohort) async throws {
        guard let question = try await RoundQuestion.query(on: database).filter(\.$id == questionID).filter(\.$round.$id == round.id!).first() else {
            throw PlatformError.notFound
        }
        try await database.transaction { db in
            try await question.delete(on: db)
            try await AuditLog.record(AuditEntry(action: "round.question_removed", entityType: "round", entityID: round.id, summary: question.key,
                                                 programmeID: cohort.$programme.id, cohortID: cohort.id), by: actor, on: db)
        }
    }

    /// Changes a criterion's weight and scale; the weights are shares of their own total.
    func updateCriterion(_ key: String, in round: RecruitmentRound, cohort: Cohort, _ draft: CriterionDraft) async throws {
        let (weight, scale) = (draft.weight, draft.scale)
        guard let criterion = try await RubricCriterion.query(on: database).filter(\.$round.$id == round.id!).filter(\.$key == key).first() else {
            throw PlatformError.notFound
        }
        let before = "\(criterion.weight)/\(criterion.scale)"
        criterion.weight = Double(weight)
        criterion.scale = Double(scale)
        try await database.transaction { db in
            try await criterion.update(on: db)
            try await AuditLog.record(AuditEntry(action: "round.criterion_updated", entityType: "round", entityID: round.id,
                                                 summary: "\(key): \(before) → \(weight)/\(scale)", programmeID: cohort.$programme.id, cohortID: cohort.id),
                                      by: actor, on: db)
        }
    }

    static func rules(of round: RecruitmentRound, on db: any Database) async throws -> SelectionRules {
        let criteria = try await RubricCriterion.query(on: db).filter(\.$round.$id == round.id!).sort(\.$position).all().compactMap { row in
            SelectionRules.Criterion.Source(rawValue: row.source).map { SelectionRules.Criterion(key: row.key, source: $0, weight: row.weight, scale: row.scale) }
        }
        return SelectionRules(criteria: criteria,
                              normalisation: SelectionRules.Normalisation(rawValue: round.normalisation) ?? .none,
                              tieBreaks: round.tieBreaks.split(separator: ",").compactMap { SelectionRules.TieBreak(rawValue: String($0)) })
    }

    static func questions(of roundID: UUID, on db: any Database) async throws -> [QuestionDraft] {
        try await RoundQuestion.query(on: db).filter(\.$round.$id == roundID).sort(\.$position).all().compactMap { q in
            QuestionDraft.Kind(rawValue: q.kind).map {
                QuestionDraft(key: q.key, labelKorean: q.labelKorean, labelEnglish: q.labelEnglish, kind: $0, required: q.required,
                              options: q.options.split(separator: "\n").map(String.init))
            }
        }
    }
}

struct RoundSnapshot: Codable, Sendable {
    let opensAt: Date
    let closesAt: Date
    let capacity: Int
    let sponsored: Bool
    let tuitionPerTrainee: Int?
    let refundPerCompleter: Int?
    let blindReview: Bool
    let normalisation: String
    let tieBreaks: String

    init(_ r: RecruitmentRound) {
        opensAt = r.opensAt
        closesAt = r.closesAt
        capacity = r.capacity
        sponsored = r.sponsored
        tuitionPerTrainee = r.tuitionPerTrainee
        refundPerCompleter = r.refundPerCompleter
        blindReview = r.blindReview
        normalisation = r.normalisation
        tieBreaks = r.tieBreaks
    }
}

/// Consent texts: published as numbered versions, never edited.
struct ConsentService {
    let database: any Database
    let actor: Actor

    static let standard = ConsentDraft(
        purpose: "지원자 선발 및 교육 운영, 성과 보고 / Selecting applicants, running the training and reporting results to the funder",
        items: "이름, 이메일, 전화번호, 생년월일, 거주지역, 성별, 학력, 전공, 재직 여부, 제출 서류 / Name, e-mail, phone, birth date, region, gender, education, major, employment status, documents submitted",
        retention: "과정 종료 후 3년 / Three years after the programme ends",
        text: "위 개인정보 수집·이용에 동의하지 않을 수 있으나, 동의하지 않으면 지원할 수 없습니다. / You may refuse, but without this consent the application cannot be considered.")

    func publish(for round: RecruitmentRound, cohort: Cohort, _ draft: ConsentDraft) async throws {
        let roundID = try round.requireID()
        let last = try await ConsentVersion.query(on: database).filter(\.$round.$id == roundID).max(\.$version) ?? 0
        let version = ConsentVersion()
        version.$round.id = roundID
        version.version = last + 1
        version.purpose = draft.purpose
        version.items = draft.items
        version.retention = draft.retention
        version.text = draft.text
        try await version.create(on: database)
        try await AuditLog.record(AuditEntry(action: "round.consent_published", entityType: "round", entityID: roundID, summary: "version \(last + 1)",
                                             programmeID: cohort.$programme.id, cohortID: cohort.id), by: actor, on: database)
    }

    static func current(for roundID: UUID, on db: any Database) async throws -> ConsentVersion? {
        try await ConsentVersion.query(on: db).filter(\.$round.$id == roundID).sort(\.$version, .descending).first()
    }
}
