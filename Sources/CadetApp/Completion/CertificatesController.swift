import CadetCore
import Fluent
import Vapor

/// Certificates: staff issue, revoke and re-issue them; the holder downloads the PDF and the
/// signed credential; anyone can check one on the public verify page, by serial or QR code.
enum CertificatesController {
    static func register(_ routes: any RoutesBuilder) {
        let c = routes.grouped("programmes", ":programme", "cohorts", ":cohort", "certificates")
        c.post(use: issue)
        c.post(":serial", "revoke", use: revoke)
        c.post(":serial", "reissue", use: reissue)
        c.get(":serial", "pdf", use: staffPDF)
        routes.get("certificates", use: mine)
        routes.get("certificates", ":serial", "pdf", use: holderPDF)
        routes.get("certificates", ":serial", "credential", use: credential)
        routes.get("verify", use: verifyForm)
        routes.get("verify", ":serial", use: verify)
        routes.get(".well-known", "jwks.json", use: keys)
    }

    struct Item: Encodable {
        let serial: String
        let holder: String
        let status: String
        let statusKey: String
        let issued: String
        let successor: String?
        let pdf: String
    }

    struct Listing: Encodable {
        let base: String
        let items: [Item]?
        let valid: String
    }

    static func listing(_ req: Request, _ ref: DirectoryLookup.CohortRef) async throws -> Listing {
        let t = req.localizer
        let base = TrainingLookup.base(ref) + "/certificates"
        let all = try await Certificate.query(on: req.db).filter(\.$cohort.$id == ref.id).sort(\.$holderName).sort(\.$issuedAt).all()
        return Listing(base: base, items: all.map { c in
            Item(serial: c.serial, holder: c.holderName, status: t("certificate.status.\(c.status.rawValue)"), statusKey: c.status.rawValue,
                 issued: t.dateTime(c.issuedAt), successor: c.successorSerial, pdf: "\(base)/\(c.serial)/pdf")
        }.nilIfEmpty, valid: String(all.filter { $0.status == .valid }.count))
    }

    static func certificate(_ req: Request, in ref: DirectoryLookup.CohortRef) async throws -> Certificate {
        guard let serial = req.parameters.get("serial").flatMap(CertificateSerial.init(typed:)),
              let found = try await Certificate.query(on: req.db).filter(\.$serial == serial.value).filter(\.$cohort.$id == ref.id).first() else {
            throw CompletionError.certificateNotFound
        }
        return found
    }

    @Sendable static func issue(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageCompletion)
        do {
            let count = try await CertificateService(database: req.db, actor: req.actor, now: req.now).issue(ref)
            return req.redirect(to: CompletionController.base(ref), notice: count == 0 ? "notice.certificates_none_due" : "notice.certificates_issued")
        } catch let error as CompletionError {
            return try await CompletionController.render(req, ref, error: req.localizer(error.messageKey), status: error.status)
        }
    }

    static func reason(_ req: Request) throws -> String? {
        var reader = FieldReader(try req.formValues())
        return reader.text("reason", minLength: 3, maxLength: 500)
    }

    @Sendable static func revoke(_ req: Request) async throws -> Response {
        try await change(req) { service, certificate, reason, ref in try await service.revoke(certificate, reason: reason, in: ref) }
    }

    @Sendable static func reissue(_ req: Request) async throws -> Response {
        try await change(req) { service, certificate, reason, ref in _ = try await service.reissue(certificate, reason: reason, in: ref) }
    }

    /// Revoking and re-issuing alike: staff only, a reason always, problems shown on the page.
    static func change(_ req: Request, _ act: (CertificateService, Certificate, String, DirectoryLookup.CohortRef) async throws -> Void) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageCompletion)
        let found = try await certificate(req, in: ref)
        do {
            guard let reason = try reason(req) else { throw ValidationFailure([FieldIssue("reason", .required)]) }
            try await act(CertificateService(database: req.db, actor: req.actor, now: req.now), found, reason, ref)
        } catch let failure as ValidationFailure {
            return try await CompletionController.render(req, ref, error: "\(found.serial): " + failure.issues.map { FieldMessages.message(for: $0, req.localizer) }.joined(separator: " "),
                                                         status: .unprocessableEntity)
        } catch let error as CompletionError {
            return try await CompletionController.render(req, ref, error: "\(found.serial): " + req.localizer(error.messageKey), status: error.status)
        }
        return req.redirect(to: CompletionController.base(ref), notice: "notice.saved")
    }

    /// The PDF, drawn on the thread pool (cairo is synchronous).
    static func pdf(_ req: Request, _ certificate: Certificate) async throws -> Response {
        let data = try await CertificateService.pdf(certificate, app: req.application, on: req.db)
        return FileResponse.attachment(.init(data: data), type: HTTPMediaType(type: "application", subType: "pdf"), filename: "\(certificate.serial).pdf")
    }

    @Sendable static func staffPDF(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .viewCompletion)
        return try await pdf(req, try await certificate(req, in: ref))
    }

    /// The holder's own certificate; anyone else gets a not-found, as if it did not exist.
    static func held(_ req: Request) async throws -> Certificate {
        let user = try req.requireUser()
        guard let serial = req.parameters.get("serial").flatMap(CertificateSerial.init(typed:)),
              let found = try await Certificate.query(on: req.db).filter(\.$serial == serial.value).filter(\.$trainee.$id == user.id).first() else {
            throw CompletionError.certificateNotFound
        }
        return found
    }

    @Sendable static func holderPDF(_ req: Request) async throws -> Response {
        try await pdf(req, try await held(req))
    }

    @Sendable static func credential(_ req: Request) async throws -> Response {
        let found = try await held(req)
        guard found.status == .valid else { throw CompletionError.notValid }
        let token = try await CertificateCredential.sign(found, on: req)
        return FileResponse.attachment(.init(string: token), type: HTTPMediaType(type: "application", subType: "vc+jwt"), filename: "\(found.serial).jwt")
    }

    @Sendable static func keys(_ req: Request) async throws -> Response {
        let body = try CertificateCredential.jwks(secret: try await req.application.secrets.key(on: req.db))
        let response = Response(status: .ok, body: .init(data: body))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }

    struct MinePage: Encodable {
        let page: PageChrome
        let items: [Item]?
    }

    @Sendable static func mine(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let t = req.localizer
        let held = try await Certificate.query(on: req.db).filter(\.$trainee.$id == user.id).sort(\.$issuedAt, .descending).all()
        return try await req.render("completion/mine", MinePage(page: PageChrome(req, title: t("certificates.mine_title")), items: held.map { c in
            Item(serial: c.serial, holder: c.holderName, status: t("certificate.status.\(c.status.rawValue)"), statusKey: c.status.rawValue,
                 issued: t.dateTime(c.issuedAt), successor: c.successorSerial, pdf: "/certificates/\(c.serial)/pdf")
        }.nilIfEmpty))
    }

    struct VerifyPage: Encodable {
        let page: PageChrome
        let typed: String?
        let found: Verified?
        let notFound: Bool
    }

    struct Verified: Encodable {
        let serial: String
        let holder: String
        let programme: String
        let cohort: String
        let dates: String
        let hours: String
        let issued: String
        let status: String
        let statusKey: String
        let successor: String?
        let awards: [String]?
    }

    @Sendable static func verifyForm(_ req: Request) async throws -> Response {
        let typed = req.queryText("serial", limit: 40)
        if !typed.isEmpty, let serial = CertificateSerial(typed: typed) { return req.redirect(to: "/verify/\(serial.value)") }
        return try await req.render("completion/verify", VerifyPage(page: PageChrome(req, title: req.localizer("verify.title")), typed: typed.nonEmpty,
                                                                    found: nil, notFound: !typed.isEmpty))
    }

    /// Public: what the certificate says and whether it still stands. Nothing more about the
    /// holder than the paper itself shows.
    @Sendable static func verify(_ req: Request) async throws -> Response {
        let t = req.localizer
        let typed = req.parameters.get("serial") ?? ""
        var verified: Verified?
        if let serial = CertificateSerial(typed: typed),
           let c = try await Certificate.query(on: req.db).filter(\.$serial == serial.value).with(\.$cohort, { $0.with(\.$programme) }).first() {
            verified = Verified(serial: c.serial, holder: c.holderName, programme: c.cohort.programme.name, cohort: c.cohort.name,
                                dates: "\(c.cohort.startsOn) – \(c.cohort.endsOn)", hours: String(c.hours), issued: t.dateTime(c.issuedAt),
                                status: t("certificate.status.\(c.status.rawValue)"), statusKey: c.status.rawValue, successor: c.successorSerial,
                                awards: try await CertificateService.awards(of: c, on: req.db).nilIfEmpty)
        }
        let response = try await req.render("completion/verify", VerifyPage(page: PageChrome(req, title: t("verify.title")), typed: String(typed.prefix(40)),
                                                                            found: verified, notFound: verified == nil),
                                            status: verified == nil ? .notFound : .ok)
        return response
    }
}
