import CadetCore
import Fluent
import Vapor

/// Company contacts: apply for a sponsored cohort, nominate employees, upload each one's
/// certificate of employment. Staff of the cohort see the same pages.
enum SponsorshipsController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("sponsorships", use: index)
        routes.post("programmes", ":programme", "cohorts", ":cohort", "sponsorships", "apply", use: apply)
        let s = routes.grouped("sponsorships", ":sponsorship")
        s.get(use: show)
        s.post("nominations", use: nominate)
        s.on(.POST, "nominations", ":nomination", "certificate", body: .collect(maxSize: "12mb"), use: certificate)
        s.post("nominations", ":nomination", "confirm", use: confirm)
    }

    struct Row: Encodable { let company: String; let cohort: String; let href: String }
    struct Offer: Encodable { let label: String; let action: String; let tuition: String; let refund: String }

    struct IndexPage: Encodable {
        let page: PageChrome
        let rows: [Row]?
        let offers: [Offer]?
        let form: FormState
    }

    /// The contact's sponsorships, and the sponsored rounds they may apply to.
    @Sendable static func index(_ req: Request) async throws -> Response {
        try await renderIndex(req)
    }

    static func renderIndex(_ req: Request, form: FormState = .empty, status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        let t = req.localizer
        let mine = try await Sponsorship.query(on: req.db).filter(\.$contact.$id == user.id).with(\.$round) { $0.with(\.$cohort) }.all()
        let rows = mine.map { Row(company: $0.company, cohort: $0.round.cohort.name, href: "/sponsorships/\($0.id!.uuidString.lowercased())") }
        var offers: [Offer] = []
        let contactScopes = user.policy.grants.filter { $0.role == .companyContact }.map(\.scope)
        let sponsoredRounds = try await RecruitmentRound.query(on: req.db).filter(\.$sponsored == true).filter(\.$closesAt > Date()).with(\.$cohort).all()
        for round in sponsoredRounds {
            let scope = Scope.cohort(CohortID(round.cohort.id!), in: ProgrammeID(round.cohort.$programme.id))
            guard contactScopes.contains(where: { $0.covers(scope) }), let programme = try await Programme.find(round.cohort.$programme.id, on: req.db) else { continue }
            offers.append(Offer(label: "\(programme.name) · \(round.cohort.name)",
                                action: "/programmes/\(programme.slug)/cohorts/\(round.cohort.slug)/sponsorships/apply",
                                tuition: Money.krw(round.tuitionPerTrainee ?? 0), refund: Money.krw(round.refundPerCompleter ?? 0)))
        }
        return try await req.render("sponsorships/index", IndexPage(page: PageChrome(req, title: t("sponsorships.title")), rows: rows.nilIfEmpty,
                                                                     offers: offers.nilIfEmpty, form: form), status: status)
    }

    /// A company contact applies for a sponsored cohort on their company's behalf, on the
    /// round's tuition and refund terms.
    @Sendable static func apply(_ req: Request) async throws -> Response {
        let ref = try await RecruitmentLookup.round(req)
        let user = try req.requireUser()
        guard user.policy.grants.contains(where: { $0.role == .companyContact && $0.scope.covers(ref.scope) }) else { throw AccessError.forbidden }
        guard ref.round.sponsored else { throw RecruitmentError.notAllowedNow }
        var values = try req.formValues()
        values["tuition_per_trainee"] = String(ref.round.tuitionPerTrainee ?? 0)
        values["refund_per_completer"] = String(ref.round.refundPerCompleter ?? 0)
        do {
            let contact = try await User.find(user.id, on: req.db)
            let sponsorship = try await service(req).create(in: ref.round, cohort: ref.cohort, values, contact: contact)
            return req.redirect(to: "/sponsorships/\(sponsorship.id!.uuidString.lowercased())", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await renderIndex(req, form: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    /// The sponsorship, for its contact and for staff of the cohort.
    static func visible(_ req: Request) async throws -> Found {
        let user = try req.requireUser()
        guard let id = req.parameters.get("sponsorship", as: UUID.self),
              let sponsorship = try await Sponsorship.query(on: req.db).filter(\.$id == id).with(\.$round) { $0.with(\.$cohort) }.first(),
              let programme = try await Programme.find(sponsorship.round.cohort.$programme.id, on: req.db) else {
            throw PlatformError.notFound
        }
        let cohort = sponsorship.round.cohort
        let scope = Scope.cohort(CohortID(cohort.id!), in: ProgrammeID(programme.id!))
        let staff = user.policy.allows(.manageCohort, in: scope)
        guard sponsorship.$contact.id == user.id || staff else { throw AccessError.forbidden }
        return Found(sponsorship: sponsorship, round: sponsorship.round, cohort: cohort, programme: programme, byStaff: staff)
    }

    struct Found {
        let sponsorship: Sponsorship
        let round: RecruitmentRound
        let cohort: Cohort
        let programme: Programme
        /// Staff of the cohort, not (only) the company's contact.
        let byStaff: Bool
        var path: String { "/sponsorships/\(sponsorship.id!.uuidString.lowercased())" }
    }

    /// A nominee as the company sees them: the stage and the certificate only once they accepted.
    struct Nominee: Encodable {
        let name: String
        let email: String
        let status: String
        let stage: String?
        let certificate: String?
        let uploadAction: String?
        let confirmAction: String?
    }

    struct ShowPage: Encodable {
        let page: PageChrome
        let path: String
        let company: String
        let cohort: String
        let tuition: String
        let refund: String
        let contact: String?
        let nominees: [Nominee]?
        let open: Bool
        let form: FormState
        let uploadError: String?
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await render(req, try await visible(req))
    }

    static func render(_ req: Request, _ found: Found, form: FormState = .empty,
                       uploadError: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let (sponsorship, round, cohort, programme, path) = (found.sponsorship, found.round, found.cohort, found.programme, found.path)
        let t = req.localizer
        var nominees: [Nominee] = []
        for n in try await Nomination.query(on: req.db).filter(\.$sponsorship.$id == sponsorship.id!).sort(\.$createdAt).all() {
            let nominationPath = "\(path)/nominations/\(n.id!.uuidString.lowercased())"
            let linked = n.status == .accepted ? n.applicationID : nil
            let applicant = try await Applicant.find(linked, on: req.db)
            let certificate = try await ApplicantFile.query(on: req.db).filter(\.$applicant.$id == (linked ?? UUID()))
                .filter(\.$questionKey == SponsorshipService.certificateKey).first()
            nominees.append(Nominee(name: n.name, email: n.email, status: t("nomination.status.\(n.status.rawValue)"),
                                    stage: applicant.map { t("stage.\($0.stage.rawValue)") }, certificate: certificate?.filename,
                                    uploadAction: applicant == nil ? nil : "\(nominationPath)/certificate",
                                    confirmAction: found.byStaff && n.status == .invited ? "\(nominationPath)/confirm" : nil))
        }
        let contact = try await User.find(sponsorship.$contact.id, on: req.db)?.email
        return try await req.render("sponsorships/show", ShowPage(
            page: PageChrome(req, title: "\(sponsorship.company) · \(cohort.name)"), path: path, company: sponsorship.company,
            cohort: "\(programme.name) · \(cohort.name)", tuition: Money.krw(sponsorship.tuitionPerTrainee), refund: Money.krw(sponsorship.refundPerCompleter),
            contact: contact, nominees: nominees.nilIfEmpty, open: Date() < round.closesAt, form: form, uploadError: uploadError), status: status)
    }

    @Sendable static func nominate(_ req: Request) async throws -> Response {
        let found = try await visible(req)
        let values = try req.formValues()
        do {
            _ = try await service(req).nominate(values, sponsorship: found.sponsorship, round: found.round, cohort: found.cohort, byStaff: found.byStaff)
            return req.redirect(to: found.path, notice: "notice.nominated")
        } catch let failure as ValidationFailure {
            return try await render(req, found, form: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    @Sendable static func certificate(_ req: Request) async throws -> Response {
        let found = try await visible(req)
        let nomination = try await self.nomination(req, in: found)
        guard nomination.status == .accepted, let applicant = try await Applicant.find(nomination.applicationID, on: req.db) else {
            throw RecruitmentError.notAllowedNow
        }
        guard let file = req.uploadedFile() else {
            return try await render(req, found, uploadError: req.localizer("recruitment.error.file_rejected", ["reason": req.localizer("upload.empty")]),
                                    status: .unprocessableEntity)
        }
        do {
            _ = try await UploadStore(req.application).store(Data(file.data.readableBytesView), filename: file.filename, for: applicant,
                                                             key: SponsorshipService.certificateKey, on: req.db, actor: req.actor)
        } catch let error as RecruitmentError {
            return try await render(req, found, uploadError: req.localizer(error.messageKey, error.messageArguments.mapValues { req.localizer("upload.\($0)") }),
                                    status: .unprocessableEntity)
        }
        return req.redirect(to: found.path, notice: "notice.uploaded")
    }

    /// Staff confirm a nomination for the nominee (who agreed on paper or by phone, say).
    @Sendable static func confirm(_ req: Request) async throws -> Response {
        let found = try await visible(req)
        guard found.byStaff else { throw AccessError.forbidden }
        let nomination = try await self.nomination(req, in: found)
        guard nomination.status == .invited else { throw RecruitmentError.notAllowedNow }
        guard let user = try await User.query(on: req.db).filter(\.$email == nomination.email).first() else { throw PlatformError.notFound }
        try await req.db.transaction { db in
            try await SponsorshipService(database: db, actor: req.actor, localizer: req.localizer, publicURL: req.application.config.publicURL)
                .attach(nomination, sponsorship: found.sponsorship, round: found.round, cohort: found.cohort, user: user)
        }
        return req.redirect(to: found.path, notice: "notice.nomination_confirmed")
    }

    static func nomination(_ req: Request, in found: Found) async throws -> Nomination {
        guard let id = req.parameters.get("nomination", as: UUID.self),
              let nomination = try await Nomination.query(on: req.db).filter(\.$id == id).filter(\.$sponsorship.$id == found.sponsorship.id!).first() else {
            throw PlatformError.notFound
        }
        return nomination
    }

    static func service(_ req: Request) -> SponsorshipService {
        SponsorshipService(database: req.db, actor: req.actor, localizer: req.localizer, publicURL: req.application.config.publicURL)
    }
}
