import CadetCore
import Fluent
import Vapor

/// One applicant as staff see them: everything they gave, their files, the reviewers and their
/// scores, and the decision explained component by component.
extension PipelineController {
    struct Fact: Encodable { let label: String; let value: String }
    struct FileRow: Encodable { let key: String; let name: String; let size: String; let href: String }
    struct ReviewRow: Encodable { let reviewer: String; let source: String; let status: String; let scores: String; let conflict: String? }
    struct ComponentRow: Encodable { let label: String; let share: String; let value: String; let points: String; let reviewers: String }

    struct ShowPage: Encodable {
        let page: PageChrome
        let base: String
        let path: String
        let number: Int
        let name: String
        let stage: String
        let facts: [Fact]
        let answers: [Fact]?
        let files: [FileRow]?
        let reviews: [ReviewRow]?
        let decided: Bool
        let finalScore: String
        let rank: String
        let decision: String
        let tieBreak: String?
        let tieBreaks: String
        let normalisation: String
        let missing: String?
        let components: [ComponentRow]?
        let scoreForm: FormState
        let reviewerForm: FormState
        let sources: [Choice]
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let ref = try await staffRound(req)
        return try await renderShow(req, ref, try await RecruitmentLookup.applicant(req, in: ref))
    }

    static func renderShow(_ req: Request, _ ref: RecruitmentLookup.RoundRef, _ a: Applicant, scoreForm: FormState? = nil,
                           reviewerForm: FormState = .empty, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let path = "\(ref.base)/applicants/\(a.id!.uuidString.lowercased())"
        let region = a.region.flatMap(Region.init(rawValue:)).map { t.locale == .korean ? $0.koreanName : $0.englishName } ?? "—"
        var facts = [
            Fact(label: t("field.email"), value: a.email), Fact(label: t("field.phone"), value: a.phone ?? "—"),
            Fact(label: t("field.birth_date"), value: a.birthDate ?? "—"), Fact(label: t("field.region"), value: region),
            Fact(label: t("field.gender"), value: a.gender.map { t("gender.\($0)") } ?? "—"),
            Fact(label: t("field.education"), value: a.education.map { t("education.\($0)") } ?? "—"),
            Fact(label: t("field.major_field"), value: a.majorField.map { t("major.\($0)") } ?? "—"),
            Fact(label: t("field.employment_status"), value: a.employmentStatus.map { t("employment.\($0)") } ?? "—"),
            Fact(label: t("applicant.submitted"), value: t.dateTime(a.submittedAt)),
        ]
        if let consent = a.consentVersionID, let version = try await ConsentVersion.find(consent, on: req.db) {
            facts.append(Fact(label: t("applicant.consent"), value: t("applicant.consent_version", ["version": String(version.version), "at": t.dateTime(a.consentedAt)])))
        }
        if let sponsorship = a.sponsorshipID, let company = try await Sponsorship.find(sponsorship, on: req.db) {
            facts.append(Fact(label: t("applicant.sponsor"), value: company.company))
        }
        let questions = try await RoundService.questions(of: ref.round.id!, on: req.db)
        let answers = a.answers
        let answerRows = questions.compactMap { q in answers[q.key].map { Fact(label: t.locale == .korean ? q.labelKorean : q.labelEnglish, value: $0) } }
        let files = try await ApplicantFile.query(on: req.db).filter(\.$applicant.$id == a.id!).all().map {
            FileRow(key: $0.questionKey, name: $0.filename, size: "\($0.size / 1024) KiB", href: "\(path)/files/\($0.id!.uuidString.lowercased())")
        }
        let assignments = try await ReviewAssignment.query(on: req.db).filter(\.$applicant.$id == a.id!).with(\.$reviewer).all()
        var reviews: [ReviewRow] = []
        for assignment in assignments {
            let scores = try await ReviewScore.query(on: req.db).filter(\.$assignment.$id == assignment.id!).all()
                .map { "\($0.criterionKey) \(String(format: "%g", $0.score))" }.joined(separator: ", ")
            reviews.append(ReviewRow(reviewer: assignment.reviewer.email, source: t("criterion.\(assignment.source)"),
                                     status: t("review.status.\(assignment.status.rawValue)"), scores: scores, conflict: assignment.conflictReason))
        }
        let record = DecisionRecord.decode(a.decisionJSON)
        let components = record?.components.map { c in
            ComponentRow(label: Catalogue.shared.has("criterion.\(c.key)") ? t("criterion.\(c.key)") : c.key, share: String(format: "%.0f%%", c.share),
                         value: c.value.map { String(format: "%.2f", $0) } ?? t("decision.missing"), points: String(format: "%.2f", c.points),
                         reviewers: c.reviewers.map { r in
                             (r.reviewer.isEmpty ? t("decision.entered") : r.reviewer) + " " + String(format: "%g", r.score)
                                 + (abs(r.normalised - r.score) > 1e-9 ? " → " + String(format: "%.2f", r.normalised) : "")
                         }.joined(separator: "; "))
        }
        let values = ["document_score": a.documentScore.map { String(format: "%g", $0) } ?? "", "test_score": a.testScore.map { String(format: "%g", $0) } ?? "",
                      "interview_score": a.interviewScore.map { String(format: "%g", $0) } ?? ""]
        let page = ShowPage(
            page: PageChrome(req, title: "#\(a.number ?? 0) \(a.name)"), base: ref.base, path: path, number: a.number ?? 0, name: a.name,
            stage: t("stage.\(a.stage.rawValue)"), facts: facts, answers: answerRows.nilIfEmpty, files: files.nilIfEmpty, reviews: reviews.nilIfEmpty,
            decided: record != nil, finalScore: record.map { String(format: "%.2f", $0.finalScore) } ?? "",
            rank: record.map { String($0.rank) } ?? "",
            decision: record.map { $0.decision == "admitted" ? t("stage.admitted") : t("decision.waitlisted_at", ["position": String($0.waitlistPosition ?? 0)]) } ?? "",
            tieBreak: record?.tieBreak.map { t("tie_break.\($0)") },
            tieBreaks: record?.tieBreaks.map { t("tie_break.\($0)") }.joined(separator: " → ") ?? "",
            normalisation: record.map { t("normalisation.\($0.normalisation)") } ?? "",
            missing: record.flatMap { $0.missing.isEmpty ? nil : $0.missing.joined(separator: ", ") },
            components: components?.nilIfEmpty,
            scoreForm: scoreForm ?? FormState(values: values, errors: [:], formError: nil),
            reviewerForm: reviewerForm, sources: choices(t).sources)
        return try await req.render("applicants/show", page, status: status)
    }

    @Sendable static func scores(_ req: Request) async throws -> Response {
        let ref = try await staffRound(req)
        let applicant = try await RecruitmentLookup.applicant(req, in: ref)
        let values = try req.formValues()
        do {
            try await PipelineService(database: req.db, actor: req.actor, localizer: req.localizer).setScore(applicant, cohort: ref.cohort, values)
            return req.redirect(to: "\(ref.base)/applicants/\(applicant.id!.uuidString.lowercased())", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await renderShow(req, ref, applicant, scoreForm: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    @Sendable static func assign(_ req: Request) async throws -> Response {
        let ref = try await staffRound(req)
        let applicant = try await RecruitmentLookup.applicant(req, in: ref)
        let values = try req.formValues()
        do {
            guard let source = SelectionRules.Criterion.Source(rawValue: values["source"] ?? "") else { throw ValidationFailure([FieldIssue("source", .unknownChoice)]) }
            _ = try await ReviewService(database: req.db, actor: req.actor).assign([applicant.id!], reviewerEmail: values["reviewer_email"] ?? "",
                                                                                    source: source, round: ref.round, cohort: ref.cohort)
            return req.redirect(to: "\(ref.base)/applicants/\(applicant.id!.uuidString.lowercased())", notice: "notice.assigned")
        } catch let failure as ValidationFailure {
            return try await renderShow(req, ref, applicant, reviewerForm: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    /// An applicant's file, for staff of the cohort.
    @Sendable static func file(_ req: Request) async throws -> Response {
        let ref = try await staffRound(req)
        let applicant = try await RecruitmentLookup.applicant(req, in: ref)
        return try await FileResponses.send(req, fileID: req.parameters.get("file", as: UUID.self), applicant: applicant)
    }
}

/// Sends a stored upload: as an attachment, with the type it was checked to be.
enum FileResponses {
    static func send(_ req: Request, fileID: UUID?, applicant: Applicant) async throws -> Response {
        guard let fileID, let file = try await ApplicantFile.query(on: req.db).filter(\.$id == fileID).filter(\.$applicant.$id == applicant.id!).first() else {
            throw RecruitmentError.fileNotFound
        }
        guard let response = DocumentStore(req.application).response(storageName: file.storageName, filename: file.filename, contentType: file.contentType) else {
            throw RecruitmentError.fileNotFound
        }
        return response
    }
}
