import CadetCore
import Fluent
import Vapor

/// Staff set up a cohort's round: times and capacity, the form's questions, the consent text,
/// the rubric's weights and the sponsorships.
enum RecruitmentSetupController {
    static func register(_ routes: any RoutesBuilder) {
        let r = routes.grouped("programmes", ":programme", "cohorts", ":cohort", "recruitment")
        r.get(use: show)
        r.post(use: save)
        r.post("questions", use: addQuestion)
        r.post("questions", ":question", "delete", use: removeQuestion)
        r.post("consent", use: publishConsent)
        r.post("criteria", ":criterion", use: updateCriterion)
        r.post("sponsorships", use: addSponsorship)
    }

    struct Page: Encodable {
        let page: PageChrome
        let base: String
        let cohortName: String
        let exists: Bool
        let form: FormState
        let questions: [QuestionRow]?
        let questionForm: FormState
        let kinds: [Choice]
        let consent: ConsentRow?
        let consentForm: FormState
        let criteria: [CriterionRow]?
        let criteriaErrors: [String: String]
        let sponsorships: [SponsorshipRow]?
        let sponsorshipForm: FormState
        let normalisations: [Choice]
        let tieBreakOptions: [Choice]
        let publicLink: String
    }

    struct QuestionRow: Encodable { let id: UUID; let key: String; let label: String; let kind: String; let required: Bool; let options: String }
    struct ConsentRow: Encodable { let version: Int; let purpose: String; let items: String; let retention: String; let text: String }
    struct CriterionRow: Encodable { let key: String; let label: String; let source: String; let weight: Int; let scale: Int; let share: String }
    struct SponsorshipRow: Encodable { let company: String; let contact: String?; let tuition: String; let refund: String; let nominees: Int; let href: String }
    struct Choice: Encodable { let value: String; let label: String }

    static func staffRef(_ req: Request) async throws -> DirectoryLookup.CohortRef {
        let ref = try await DirectoryLookup.cohort(req)
        try req.authorize(.manageCohort, in: ref.scope)
        return ref
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await render(req, try await staffRef(req))
    }

    static func render(_ req: Request, _ ref: DirectoryLookup.CohortRef, form: FormState? = nil, questionForm: FormState = .empty,
                       consentForm: FormState? = nil, criteriaErrors: [String: String] = [:], sponsorshipForm: FormState = .empty,
                       status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let round = try await RoundService.round(of: ref.id, on: req.db)
        let base = "/programmes/\(ref.programme.slug)/cohorts/\(ref.cohort.slug)"
        var values: [String: String] = ["capacity": String(ref.cohort.capacity), "normalisation": "none", "blind_review": "on",
                                        "tie_breaks": SelectionRules(criteria: []).tieBreaks.map(\.rawValue).joined(separator: ",")]
        var questions: [QuestionRow] = [], criteria: [CriterionRow] = [], sponsorships: [SponsorshipRow] = []
        var consent: ConsentRow?
        if let round {
            values = ["opens_at": req.localInput(round.opensAt), "closes_at": req.localInput(round.closesAt), "capacity": String(round.capacity),
                      "sponsored": round.sponsored ? "on" : "", "tuition_per_trainee": round.tuitionPerTrainee.map(String.init) ?? "",
                      "refund_per_completer": round.refundPerCompleter.map(String.init) ?? "", "blind_review": round.blindReview ? "on" : "",
                      "normalisation": round.normalisation, "tie_breaks": round.tieBreaks]
            questions = try await RoundQuestion.query(on: req.db).filter(\.$round.$id == round.id!).sort(\.$position).all().map {
                QuestionRow(id: $0.id!, key: $0.key, label: t.locale == .korean ? $0.labelKorean : $0.labelEnglish,
                            kind: t("question.kind.\($0.kind)"), required: $0.required, options: $0.options.replacingOccurrences(of: "\n", with: " · "))
            }
            let rows = try await RubricCriterion.query(on: req.db).filter(\.$round.$id == round.id!).sort(\.$position).all()
            let total = rows.reduce(0) { $0 + $1.weight }
            criteria = rows.map { CriterionRow(key: $0.key, label: t("criterion.\($0.source)"), source: $0.source, weight: Int($0.weight),
                                               scale: Int($0.scale), share: total > 0 ? String(format: "%.0f%%", $0.weight / total * 100) : "—") }
            if let current = try await ConsentService.current(for: round.id!, on: req.db) {
                consent = ConsentRow(version: current.version, purpose: current.purpose, items: current.items, retention: current.retention, text: current.text)
            }
            for s in try await Sponsorship.query(on: req.db).filter(\.$round.$id == round.id!).with(\.$contact).sort(\.$company).all() {
                let nominees = try await Nomination.query(on: req.db).filter(\.$sponsorship.$id == s.id!).count()
                sponsorships.append(SponsorshipRow(company: s.company, contact: s.contact?.email, tuition: Money.krw(s.tuitionPerTrainee),
                                                   refund: Money.krw(s.refundPerCompleter), nominees: nominees, href: "/sponsorships/\(s.id!.uuidString.lowercased())"))
            }
        }
        let page = Page(
            page: PageChrome(req, title: "\(ref.cohort.name) · \(t("recruitment.title"))"),
            base: base, cohortName: ref.cohort.name, exists: round != nil,
            form: form ?? FormState(values: values, errors: [:], formError: nil),
            questions: questions.nilIfEmpty, questionForm: questionForm,
            kinds: QuestionDraft.Kind.allCases.map { Choice(value: $0.rawValue, label: t("question.kind.\($0.rawValue)")) },
            consent: consent,
            consentForm: consentForm ?? FormState(values: consent.map { ["purpose": $0.purpose, "items": $0.items, "retention": $0.retention, "text": $0.text] } ?? [:],
                                                  errors: [:], formError: nil),
            criteria: criteria.nilIfEmpty, criteriaErrors: criteriaErrors,
            sponsorships: sponsorships.nilIfEmpty, sponsorshipForm: sponsorshipForm,
            normalisations: SelectionRules.Normalisation.allCases.map { Choice(value: $0.rawValue, label: t("normalisation.\($0.rawValue)")) },
            tieBreakOptions: SelectionRules.TieBreak.allCases.map { Choice(value: $0.rawValue, label: t("tie_break.\($0.rawValue)")) },
            publicLink: "/apply/\(ref.programme.slug)/\(ref.cohort.slug)")
        return try await req.render("recruitment/settings", page, status: status)
    }

    static func service(_ req: Request) -> RoundService {
        RoundService(database: req.db, actor: req.actor, timeZone: req.application.config.timeZone)
    }

    @Sendable static func save(_ req: Request) async throws -> Response {
        let ref = try await staffRef(req)
        let values = try req.formValues()
        do {
            try await service(req).save(for: ref.cohort, try RoundDraft.parse(values, zone: req.localizer.timeZone))
            return req.redirect(to: req.url.path, notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await render(req, ref, form: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    static func roundOrFail(_ ref: DirectoryLookup.CohortRef, _ req: Request) async throws -> RecruitmentRound {
        guard let round = try await RoundService.round(of: ref.id, on: req.db) else { throw RecruitmentError.noRound }
        return round
    }

    @Sendable static func addQuestion(_ req: Request) async throws -> Response {
        let ref = try await staffRef(req)
        let round = try await roundOrFail(ref, req)
        let values = try req.formValues()
        do {
            try await service(req).addQuestion(to: round, cohort: ref.cohort, try QuestionDraft.parse(values))
            return req.redirect(to: "/programmes/\(ref.programme.slug)/cohorts/\(ref.cohort.slug)/recruitment", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await render(req, ref, questionForm: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    @Sendable static func removeQuestion(_ req: Request) async throws -> Response {
        let ref = try await staffRef(req)
        let round = try await roundOrFail(ref, req)
        guard let id = req.parameters.get("question", as: UUID.self) else { throw PlatformError.notFound }
        try await service(req).removeQuestion(id, from: round, cohort: ref.cohort)
        return req.redirect(to: "/programmes/\(ref.programme.slug)/cohorts/\(ref.cohort.slug)/recruitment", notice: "notice.saved")
    }

    @Sendable static func publishConsent(_ req: Request) async throws -> Response {
        let ref = try await staffRef(req)
        let round = try await roundOrFail(ref, req)
        let values = try req.formValues()
        do {
            let draft = try ConsentDraft.parse(values)
            try await req.db.transaction { db in
                try await ConsentService(database: db, actor: req.actor).publish(for: round, cohort: ref.cohort, draft)
            }
            return req.redirect(to: "/programmes/\(ref.programme.slug)/cohorts/\(ref.cohort.slug)/recruitment", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await render(req, ref, consentForm: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    @Sendable static func updateCriterion(_ req: Request) async throws -> Response {
        let ref = try await staffRef(req)
        let round = try await roundOrFail(ref, req)
        let key = req.parameters.get("criterion") ?? ""
        let values = try req.formValues()
        do {
            try await service(req).updateCriterion(key, in: round, cohort: ref.cohort, try CriterionDraft.parse(values))
            return req.redirect(to: "/programmes/\(ref.programme.slug)/cohorts/\(ref.cohort.slug)/recruitment", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await render(req, ref, criteriaErrors: FieldMessages.messages(failure, req.localizer), status: .unprocessableEntity)
        }
    }

    @Sendable static func addSponsorship(_ req: Request) async throws -> Response {
        let ref = try await staffRef(req)
        let round = try await roundOrFail(ref, req)
        let values = try req.formValues()
        do {
            var contact: User?
            if let email = values["contact_email"].map(EmailAddress.normalise), !email.isEmpty {
                guard EmailAddress.isPlausible(email) else { throw ValidationFailure([FieldIssue("contact_email", .invalidFormat)]) }
                contact = try await User.query(on: req.db).filter(\.$email == email).first()
                if contact == nil { throw ValidationFailure([FieldIssue("contact_email", .noAccount)]) }
            }
            _ = try await SponsorshipService(database: req.db, actor: req.actor, localizer: req.localizer, publicURL: req.application.config.publicURL)
                .create(in: round, cohort: ref.cohort, values, contact: contact)
            return req.redirect(to: "/programmes/\(ref.programme.slug)/cohorts/\(ref.cohort.slug)/recruitment", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await render(req, ref, sponsorshipForm: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }
}

/// Won, written as people in Korea write it: 15,000,000원 / KRW 15,000,000.
