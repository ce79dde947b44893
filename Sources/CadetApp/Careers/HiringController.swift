import CadetCore
import Fluent
import Vapor

/// Staff's side of hiring: a programme's partner companies, their agreements and postings, and
/// each posting's pipeline of trainees.
enum HiringController {
    static func register(_ routes: any RoutesBuilder) {
        let p = routes.grouped("programmes", ":programme")
        p.get("companies", use: companies)
        p.post("companies", use: addCompany)
        p.get("companies", ":company", use: company)
        p.post("companies", ":company", "agreements", use: addAgreement)
        p.post("companies", ":company", "postings", use: addPosting)
        p.get("postings", ":posting", use: posting)
        p.post("postings", ":posting", "candidates", use: addCandidate)
        p.post("postings", ":posting", "placements", ":placement", use: move)
    }

    static func programme(_ req: Request) async throws -> DirectoryLookup.ProgrammeRef {
        let ref = try await DirectoryLookup.programme(req)
        try req.authorize(.manageHiring, in: ref.scope)
        return ref
    }

    static func service(_ req: Request) -> HiringService { HiringService(database: req.db, actor: req.actor, now: req.now) }

    static func company(_ req: Request, in ref: DirectoryLookup.ProgrammeRef) async throws -> Company {
        guard let id = req.parameters.get("company", as: UUID.self),
              let company = try await Company.query(on: req.db).filter(\.$id == id).filter(\.$programme.$id == ref.id).first() else { throw CareersError.companyNotFound }
        return company
    }

    static func posting(_ req: Request, in ref: DirectoryLookup.ProgrammeRef) async throws -> JobPosting {
        guard let id = req.parameters.get("posting", as: UUID.self),
              let posting = try await JobPosting.query(on: req.db).filter(\.$id == id).filter(\.$programme.$id == ref.id).with(\.$company).first() else {
            throw CareersError.postingNotFound
        }
        return posting
    }

    struct CompanyRow: Encodable { let href: String; let name: String; let contact: String; let agreement: String; let postings: Int }
    struct Choice: Encodable { let value: String; let label: String }

    struct CompaniesPage: Encodable {
        let page: PageChrome
        let base: String
        let programmeName: String
        let rows: [CompanyRow]?
        let form: FormState
        let regions: [Choice]
    }

    static func agreementLine(_ agreements: [HiringAgreement], _ t: Localizer) -> String {
        guard let latest = agreements.max(by: { $0.signedOn < $1.signedOn }) else { return "—" }
        return t("hiring.agreement_line", ["signed": latest.signedOn, "ends": latest.endsOn ?? "…", "headcount": latest.headcount.map(String.init) ?? "—"])
    }

    static func renderCompanies(_ req: Request, _ ref: DirectoryLookup.ProgrammeRef, form: FormState = .empty, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let companies = try await Company.query(on: req.db).filter(\.$programme.$id == ref.id).sort(\.$name).all()
        let ids = companies.compactMap(\.id)
        let agreements = Dictionary(grouping: try await HiringAgreement.query(on: req.db).filter(\.$company.$id ~~ ids).all(), by: \.$company.id)
        let postings = Dictionary(grouping: try await JobPosting.query(on: req.db).filter(\.$company.$id ~~ ids).all(), by: \.$company.id)
        let base = "/programmes/\(ref.programme.slug)"
        return try await req.render("careers/companies", CompaniesPage(
            page: PageChrome(req, title: "\(ref.programme.name) · \(t("hiring.title"))"), base: base, programmeName: ref.programme.name,
            rows: companies.map { c in
                CompanyRow(href: "\(base)/companies/\(c.id!.uuidString.lowercased())", name: c.name, contact: [c.contactName, c.contactEmail].compactMap { $0 }.joined(separator: " · "),
                           agreement: agreementLine(agreements[c.id!] ?? [], t), postings: postings[c.id!]?.count ?? 0)
            }.nilIfEmpty,
            form: form, regions: Region.allCases.map { Choice(value: $0.rawValue, label: t.locale == .korean ? $0.koreanName : $0.englishName) }), status: status)
    }

    @Sendable static func companies(_ req: Request) async throws -> Response {
        try await renderCompanies(req, try await programme(req))
    }

    @Sendable static func addCompany(_ req: Request) async throws -> Response {
        let ref = try await programme(req)
        let values = try req.formValues()
        do {
            let company = try await service(req).addCompany(try CompanyDraft.parse(values), to: ref)
            return req.redirect(to: "/programmes/\(ref.programme.slug)/companies/\(company.id!.uuidString.lowercased())", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await renderCompanies(req, ref, form: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    struct PostingRow: Encodable { let href: String; let title: String; let closesOn: String; let candidates: Int }
    struct AgreementRow: Encodable { let signedOn: String; let endsOn: String; let headcount: String; let by: String }

    struct CompanyPage: Encodable {
        let page: PageChrome
        let base: String
        let action: String
        let contact: String
        let agreements: [AgreementRow]?
        let postings: [PostingRow]?
        let agreementForm: FormState
        let postingForm: FormState
    }

    static func renderCompany(_ req: Request, _ ref: DirectoryLookup.ProgrammeRef, _ company: Company, agreementForm: FormState = .empty,
                              postingForm: FormState = .empty, status: HTTPResponseStatus = .ok) async throws -> Response {
        let base = "/programmes/\(ref.programme.slug)"
        let agreements = try await HiringAgreement.query(on: req.db).filter(\.$company.$id == company.requireID()).sort(\.$signedOn).all()
        let postings = try await JobPosting.query(on: req.db).filter(\.$company.$id == company.requireID()).sort(\.$closesOn, .descending).all()
        let counts = Dictionary(grouping: try await Placement.query(on: req.db).filter(\.$posting.$id ~~ postings.compactMap(\.id)).all(), by: \.$posting.id).mapValues(\.count)
        return try await req.render("careers/company", CompanyPage(
            page: PageChrome(req, title: company.name), base: base, action: "\(base)/companies/\(company.id!.uuidString.lowercased())",
            contact: [company.contactName, company.contactEmail, company.region.map { req.localizer.locale == .korean ? $0.koreanName : $0.englishName }]
                .compactMap { $0 }.joined(separator: " · "),
            agreements: agreements.map { AgreementRow(signedOn: $0.signedOn, endsOn: $0.endsOn ?? "—", headcount: $0.headcount.map(String.init) ?? "—", by: $0.recordedBy) }.nilIfEmpty,
            postings: postings.map { PostingRow(href: "\(base)/postings/\($0.id!.uuidString.lowercased())", title: $0.title, closesOn: $0.closesOn, candidates: counts[$0.id!] ?? 0) }.nilIfEmpty,
            agreementForm: agreementForm, postingForm: postingForm), status: status)
    }

    @Sendable static func company(_ req: Request) async throws -> Response {
        let ref = try await programme(req)
        return try await renderCompany(req, ref, try await company(req, in: ref))
    }

    @Sendable static func addAgreement(_ req: Request) async throws -> Response {
        let ref = try await programme(req)
        let company = try await company(req, in: ref)
        let values = try req.formValues()
        do {
            try await service(req).addAgreement(try AgreementDraft.parse(values), to: company)
        } catch let failure as ValidationFailure {
            return try await renderCompany(req, ref, company, agreementForm: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
        return req.redirect(to: "/programmes/\(ref.programme.slug)/companies/\(company.id!.uuidString.lowercased())", notice: "notice.saved")
    }

    @Sendable static func addPosting(_ req: Request) async throws -> Response {
        let ref = try await programme(req)
        let company = try await company(req, in: ref)
        let values = try req.formValues()
        do {
            let posting = try await service(req).addPosting(try PostingDraft.parse(values), by: company)
            return req.redirect(to: "/programmes/\(ref.programme.slug)/postings/\(posting.id!.uuidString.lowercased())", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await renderCompany(req, ref, company, postingForm: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    struct PlacementRow: Encodable {
        let action: String
        let name: String
        let email: String
        let stageKey: String
        let stage: String
        let notes: String
        let open: Bool
    }

    struct PostingPage: Encodable {
        let page: PageChrome
        let base: String
        let companyHref: String
        let companyName: String
        let description: String
        let closesOn: String
        let location: String
        let rows: [PlacementRow]?
        let stages: [Choice]
        let error: String?
    }

    static func renderPosting(_ req: Request, _ ref: DirectoryLookup.ProgrammeRef, _ posting: JobPosting, error: String? = nil,
                              status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let base = "/programmes/\(ref.programme.slug)/postings/\(posting.id!.uuidString.lowercased())"
        let placements = try await Placement.query(on: req.db).filter(\.$posting.$id == posting.requireID()).with(\.$trainee).all()
        return try await req.render("careers/posting", PostingPage(
            page: PageChrome(req, title: posting.title), base: base,
            companyHref: "/programmes/\(ref.programme.slug)/companies/\(posting.$company.id.uuidString.lowercased())", companyName: posting.company.name,
            description: posting.description, closesOn: posting.closesOn, location: posting.location ?? "",
            rows: placements.sorted { $0.trainee.name < $1.trainee.name }.map { p in
                PlacementRow(action: "\(base)/placements/\(p.id!.uuidString.lowercased())", name: p.trainee.name, email: p.trainee.email, stageKey: p.stage.rawValue,
                             stage: t("placement.\(p.stage.rawValue)"), notes: p.notes, open: !p.stage.isFinal)
            }.nilIfEmpty,
            stages: PlacementStage.allCases.map { Choice(value: $0.rawValue, label: t("placement.\($0.rawValue)")) }, error: error), status: status)
    }

    @Sendable static func posting(_ req: Request) async throws -> Response {
        let ref = try await programme(req)
        return try await renderPosting(req, ref, try await posting(req, in: ref))
    }

    @Sendable static func addCandidate(_ req: Request) async throws -> Response {
        let ref = try await programme(req)
        let posting = try await posting(req, in: ref)
        let email = EmailAddress.normalise(try req.formValues()["email"] ?? "")
        guard let user = try await User.query(on: req.db).filter(\.$email == email).first(),
              try await !HiringService.traineeCohorts(of: user.requireID(), in: ref.id, on: req.db).isEmpty else {
            return try await renderPosting(req, ref, posting, error: req.localizer("careers.error.not_a_trainee_email", ["email": email]), status: .unprocessableEntity)
        }
        _ = try await service(req).apply(user, to: posting)
        return req.redirect(to: "/programmes/\(ref.programme.slug)/postings/\(posting.id!.uuidString.lowercased())", notice: "notice.saved")
    }

    @Sendable static func move(_ req: Request) async throws -> Response {
        let ref = try await programme(req)
        let posting = try await posting(req, in: ref)
        guard let id = req.parameters.get("placement", as: UUID.self),
              let placement = try await Placement.query(on: req.db).filter(\.$id == id).filter(\.$posting.$id == posting.requireID()).first() else {
            throw CareersError.placementNotFound
        }
        var reader = FieldReader(try req.formValues())
        let stage = reader.choice("stage", as: PlacementStage.self)
        let note = reader.text("note", required: false, maxLength: 500) ?? ""
        let starts = reader.date("starts_on", required: false)
        try reader.check()
        let recorded = try await service(req).move(placement, to: stage!, note: note, startsOn: starts)
        return req.redirect(to: "/programmes/\(ref.programme.slug)/postings/\(posting.id!.uuidString.lowercased())",
                            notice: recorded ? "notice.placed_outcome_recorded" : "notice.saved")
    }
}
