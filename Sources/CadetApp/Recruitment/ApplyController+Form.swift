import CadetCore
import Fluent
import Vapor

/// An applicant's own application: the form while it may change, then its status and any offer.
extension ApplyController {
    struct QuestionField: Encodable {
        let key: String
        let field: String
        let label: String
        let kind: String
        let required: Bool
        let options: [Option]
        let value: String
        let error: String?
        let file: String?
        let uploadAction: String
    }

    struct Choice: Encodable { let value: String; let label: String }
    struct Option: Encodable { let value: String; let checked: Bool }

    struct FormPage: Encodable {
        let page: PageChrome
        let path: String
        let programme: String
        let cohort: String
        let stage: String
        let stageKey: String
        let number: String
        let closes: String
        let editable: Bool
        let submitted: Bool
        let email: String
        let form: FormState
        let questions: [QuestionField]?
        let consent: SetupConsent?
        let consented: String?
        let regions: [Choice]
        let genders: [Choice]
        let educations: [Choice]
        let majors: [Choice]
        let employments: [Choice]
        let offer: Bool
        let mayWithdraw: Bool
        let waitlistPosition: Int?
        let sponsor: String?
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let (applicant, round, cohort, programme) = try await RecruitmentLookup.own(req)
        return try await render(req, applicant, round, cohort, programme)
    }

    static func render(_ req: Request, _ a: Applicant, _ round: RecruitmentRound, _ cohort: Cohort, _ programme: Programme,
                       form: FormState? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let path = "/applications/\(a.id!.uuidString.lowercased())"
        let questions = try await RoundService.questions(of: round.id!, on: req.db)
        let files = Dictionary(try await ApplicantFile.query(on: req.db).filter(\.$applicant.$id == a.id!).all().map { ($0.questionKey, $0) },
                               uniquingKeysWith: { a, _ in a })
        let values = form?.values ?? profileValues(a)
        let answers = a.answers
        let fields = questions.map { q in
            let value = form?.values[q.field] ?? answers[q.key] ?? ""
            let chosen = Set(value.split(whereSeparator: \.isNewline).map(String.init))
            return QuestionField(key: q.key, field: q.field, label: t.locale == .korean ? q.labelKorean : q.labelEnglish, kind: q.kind.rawValue,
                                 required: q.required, options: q.options.map { Option(value: $0, checked: chosen.contains($0)) }, value: value,
                                 error: form?.errors[q.field],
                                 file: files[q.key].map { "\($0.filename) (\($0.size / 1024) KiB)" }, uploadAction: "\(path)/files/\(q.key)")
        }
        let stage = a.stage
        let editable = (stage == .draft || stage == .submitted) && Date() < round.closesAt
        let consent = try await ConsentService.current(for: round.id!, on: req.db).map {
            SetupConsent(version: $0.version, purpose: $0.purpose, items: $0.items, retention: $0.retention, text: $0.text)
        }
        var consented: String?
        if let id = a.consentVersionID, let version = try await ConsentVersion.find(id, on: req.db) {
            consented = t("applicant.consent_version", ["version": String(version.version), "at": t.dateTime(a.consentedAt)])
        }
        let sponsor = try await Sponsorship.find(a.sponsorshipID, on: req.db)?.company
        let page = FormPage(
            page: PageChrome(req, title: "\(programme.name) · \(cohort.name)"), path: path, programme: programme.name, cohort: cohort.name,
            stage: t("stage.\(a.stage.rawValue)"), stageKey: a.stage.rawValue, number: a.number.map { "#\($0)" } ?? "—", closes: t.dateTime(round.closesAt),
            editable: editable, submitted: stage != .draft, email: a.email,
            form: form ?? FormState(values: values, errors: [:], formError: nil), questions: fields.nilIfEmpty,
            consent: consent, consented: consented,
            regions: Region.allCases.map { Choice(value: $0.rawValue, label: t.locale == .korean ? $0.koreanName : $0.englishName) },
            genders: Gender.allCases.map { Choice(value: $0.rawValue, label: t("gender.\($0.rawValue)")) },
            educations: Education.allCases.map { Choice(value: $0.rawValue, label: t("education.\($0.rawValue)")) },
            majors: MajorField.allCases.map { Choice(value: $0.rawValue, label: t("major.\($0.rawValue)")) },
            employments: EmploymentStatus.allCases.map { Choice(value: $0.rawValue, label: t("employment.\($0.rawValue)")) },
            offer: stage == .admitted, mayWithdraw: stage.applicantMayWithdraw, waitlistPosition: stage == .waitlisted ? a.waitlistPosition : nil,
            sponsor: sponsor)
        return try await req.render("applications/form", page, status: status)
    }

    static func profileValues(_ a: Applicant) -> [String: String] {
        ["name": a.name, "phone": a.phone ?? "", "birth_date": a.birthDate ?? "", "region": a.region ?? "", "gender": a.gender ?? "",
         "education": a.education ?? "", "major_field": a.majorField ?? "", "employment_status": a.employmentStatus ?? ""]
    }

    /// Multiple-choice answers arrive as repeated fields; the service takes them joined by lines.
    static func formValues(_ req: Request) throws -> [String: String] {
        try req.formMultiValues()
    }

    @Sendable static func save(_ req: Request) async throws -> Response {
        let (applicant, round, cohort, programme) = try await RecruitmentLookup.own(req)
        let values = try formValues(req)
        do {
            try await service(req).save(applicant, round: round, values)
            return req.redirect(to: "/applications/\(applicant.id!.uuidString.lowercased())", notice: "notice.draft_saved")
        } catch let failure as ValidationFailure {
            return try await render(req, applicant, round, cohort, programme, form: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    @Sendable static func submit(_ req: Request) async throws -> Response {
        let (applicant, round, cohort, programme) = try await RecruitmentLookup.own(req)
        let values = try formValues(req)
        do {
            try await service(req).submit(applicant, round: round, cohort: cohort, values)
            return req.redirect(to: "/applications/\(applicant.id!.uuidString.lowercased())", notice: "notice.submitted")
        } catch let failure as ValidationFailure {
            return try await render(req, applicant, round, cohort, programme, form: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    @Sendable static func withdraw(_ req: Request) async throws -> Response {
        let (applicant, _, cohort, _) = try await RecruitmentLookup.own(req)
        try await service(req).withdraw(applicant, cohort: cohort)
        return req.redirect(to: "/applications/\(applicant.id!.uuidString.lowercased())", notice: "notice.withdrawn")
    }

    @Sendable static func accept(_ req: Request) async throws -> Response {
        let (applicant, _, cohort, _) = try await RecruitmentLookup.own(req)
        try await service(req).respond(applicant, cohort: cohort, accept: true)
        return req.redirect(to: "/applications/\(applicant.id!.uuidString.lowercased())", notice: "notice.accepted")
    }

    @Sendable static func decline(_ req: Request) async throws -> Response {
        let (applicant, _, cohort, _) = try await RecruitmentLookup.own(req)
        try await service(req).respond(applicant, cohort: cohort, accept: false)
        return req.redirect(to: "/applications/\(applicant.id!.uuidString.lowercased())", notice: "notice.declined")
    }

    @Sendable static func upload(_ req: Request) async throws -> Response {
        let (applicant, round, cohort, programme) = try await RecruitmentLookup.own(req)
        let key = req.parameters.get("question") ?? ""
        let questions = try await RoundService.questions(of: round.id!, on: req.db)
        guard questions.contains(where: { $0.key == key && $0.kind == .file }) else { throw PlatformError.notFound }
        guard Date() < round.closesAt, applicant.stage == .draft || applicant.stage == .submitted else {
            throw RecruitmentError.roundClosed
        }
        guard let file = req.uploadedFile() else {
            let failure = ValidationFailure([FieldIssue("q_\(key)", .required)])
            return try await render(req, applicant, round, cohort, programme, form: FormState(values: profileValues(applicant), failure: failure, req.localizer), status: .unprocessableEntity)
        }
        do {
            _ = try await UploadStore(req.application).store(Data(file.data.readableBytesView), filename: file.filename, for: applicant, key: key,
                                                             on: req.db, actor: req.actor)
        } catch RecruitmentError.fileRejected(let reason) {
            let t = req.localizer
            var form = FormState(values: profileValues(applicant), errors: [:], formError: nil)
            form.errors["q_\(key)"] = t("recruitment.error.file_rejected", ["reason": t("upload.\(reason)")])
            return try await render(req, applicant, round, cohort, programme, form: form, status: .unprocessableEntity)
        }
        return req.redirect(to: "/applications/\(applicant.id!.uuidString.lowercased())", notice: "notice.uploaded")
    }

    @Sendable static func download(_ req: Request) async throws -> Response {
        let (applicant, _, _, _) = try await RecruitmentLookup.own(req)
        return try await FileResponses.send(req, fileID: req.parameters.get("file", as: UUID.self), applicant: applicant)
    }
}
