import CadetCore
import Fluent
import Vapor

/// A reviewer's own assignments. Blind rounds hide who the applicant is; other reviewers' scores
/// appear only once one's own are in.
enum ReviewsController {
    static func register(_ routes: any RoutesBuilder) {
        let r = routes.grouped("reviews")
        r.get(use: index)
        r.get(":assignment", use: show)
        r.post(":assignment", use: submit)
        r.post(":assignment", "recuse", use: recuse)
    }

    struct Row: Encodable { let href: String; let cohort: String; let number: Int; let source: String; let status: String }

    struct IndexPage: Encodable {
        let page: PageChrome
        let rows: [Row]?
    }

    @Sendable static func index(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let t = req.localizer
        let assignments = try await ReviewAssignment.query(on: req.db).filter(\.$reviewer.$id == user.id)
            .with(\.$applicant) { $0.with(\.$cohort) }.sort(\.$createdAt).all()
        let rows = assignments.map { a in
            Row(href: "/reviews/\(a.id!.uuidString.lowercased())", cohort: a.applicant.cohort.name, number: a.applicant.number ?? 0,
                source: t("criterion.\(a.source)"), status: t("review.status.\(a.status.rawValue)"))
        }
        return try await req.render("reviews/index", IndexPage(page: PageChrome(req, title: t("reviews.title")), rows: rows.nilIfEmpty))
    }

    /// The assignment, only for its reviewer: anyone else gets "not found".
    static func mine(_ req: Request) async throws -> ReviewAssignment {
        let user = try req.requireUser()
        guard let id = req.parameters.get("assignment", as: UUID.self),
              let assignment = try await ReviewAssignment.query(on: req.db).filter(\.$id == id).filter(\.$reviewer.$id == user.id)
                .with(\.$round).with(\.$applicant).first() else {
            throw RecruitmentError.applicationNotFound
        }
        return assignment
    }

    struct Fact: Encodable { let label: String; let value: String }
    struct CriterionField: Encodable { let key: String; let field: String; let label: String; let scale: Int; let value: String; let error: String? }
    struct OtherScore: Encodable { let reviewer: String; let scores: String }

    struct ShowPage: Encodable {
        let page: PageChrome
        let path: String
        let number: Int
        let blind: Bool
        let name: String?
        let facts: [Fact]
        let answers: [Fact]?
        let source: String
        let status: String
        let recused: Bool
        let conflict: String?
        let criteria: [CriterionField]
        let others: [OtherScore]?
        let othersHidden: Bool
        let formError: String?
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await render(req, try await mine(req))
    }

    static func render(_ req: Request, _ assignment: ReviewAssignment, failure: ValidationFailure? = nil, values: [String: String] = [:]) async throws -> Response {
        let t = req.localizer
        let a = assignment.applicant
        let round = assignment.round
        let blind = round.blindReview
        // What a blind reviewer may see: no name, age, gender, region, contact or documents.
        var facts = [
            Fact(label: t("field.education"), value: a.education.map { t("education.\($0)") } ?? "—"),
            Fact(label: t("field.major_field"), value: a.majorField.map { t("major.\($0)") } ?? "—"),
            Fact(label: t("field.employment_status"), value: a.employmentStatus.map { t("employment.\($0)") } ?? "—"),
        ]
        if !blind {
            facts = [Fact(label: t("field.email"), value: a.email), Fact(label: t("field.birth_date"), value: a.birthDate ?? "—"),
                     Fact(label: t("field.gender"), value: a.gender.map { t("gender.\($0)") } ?? "—"),
                     Fact(label: t("field.region"), value: a.region ?? "—")] + facts
        }
        let questions = try await RoundService.questions(of: round.id!, on: req.db)
        let answers = a.answers
        let answerRows = questions.filter { $0.kind != .file || !blind }.compactMap { q in
            answers[q.key].map { Fact(label: t.locale == .korean ? q.labelKorean : q.labelEnglish, value: $0) }
        }
        let rules = try await RoundService.rules(of: round, on: req.db)
        let mine = Dictionary(try await ReviewScore.query(on: req.db).filter(\.$assignment.$id == assignment.id!).all().map { ($0.criterionKey, $0.score) },
                              uniquingKeysWith: { a, _ in a })
        let errors = FieldMessages.messages(failure, t)
        let criteria = rules.criteria.filter { $0.source.rawValue == assignment.source }.map { c in
            CriterionField(key: c.key, field: "score_\(c.key)", label: Catalogue.shared.has("criterion.\(c.key)") ? t("criterion.\(c.key)") : c.key,
                           scale: Int(c.scale), value: values["score_\(c.key)"] ?? mine[c.key].map { String(format: "%g", $0) } ?? "",
                           error: errors["score_\(c.key)"])
        }
        var others: [OtherScore] = []
        let submitted = assignment.status == .submitted
        if submitted {
            let peers = try await ReviewAssignment.query(on: req.db).filter(\.$applicant.$id == a.id!).filter(\.$source == assignment.source)
                .filter(\.$id != assignment.id!).filter(\.$status == .submitted).with(\.$reviewer).all()
            for peer in peers {
                let scores = try await ReviewScore.query(on: req.db).filter(\.$assignment.$id == peer.id!).all()
                    .map { "\($0.criterionKey) \(String(format: "%g", $0.score))" }.joined(separator: ", ")
                others.append(OtherScore(reviewer: peer.reviewer.name, scores: scores))
            }
        }
        let page = ShowPage(
            page: PageChrome(req, title: t("reviews.application", ["number": String(a.number ?? 0)])), path: "/reviews/\(assignment.id!.uuidString.lowercased())",
            number: a.number ?? 0, blind: blind, name: blind ? nil : a.name, facts: facts, answers: answerRows.nilIfEmpty,
            source: t("criterion.\(assignment.source)"), status: t("review.status.\(assignment.status.rawValue)"),
            recused: assignment.status == .recused, conflict: assignment.conflictReason,
            criteria: criteria, others: others.nilIfEmpty, othersHidden: !submitted,
            formError: failure == nil ? nil : t("error.validation"))
        return try await req.render("reviews/show", page, status: failure == nil ? .ok : .unprocessableEntity)
    }

    @Sendable static func submit(_ req: Request) async throws -> Response {
        let assignment = try await mine(req)
        let values = try req.formValues()
        do {
            let rules = try await RoundService.rules(of: assignment.round, on: req.db)
            try await ReviewService(database: req.db, actor: req.actor).submit(assignment, criteria: rules.criteria, values: values)
            return req.redirect(to: "/reviews/\(assignment.id!.uuidString.lowercased())", notice: "notice.scored")
        } catch let failure as ValidationFailure {
            return try await render(req, assignment, failure: failure, values: values)
        }
    }

    @Sendable static func recuse(_ req: Request) async throws -> Response {
        let assignment = try await mine(req)
        let values = try req.formValues()
        do {
            try await ReviewService(database: req.db, actor: req.actor).recuse(assignment, reason: values["reason"])
            return req.redirect(to: "/reviews/\(assignment.id!.uuidString.lowercased())", notice: "notice.recused")
        } catch let failure as ValidationFailure {
            return try await render(req, assignment, failure: failure, values: values)
        }
    }
}
