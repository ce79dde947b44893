import CadetCore
import Fluent
import Foundation
import Vapor

/// Issues completion certificates from the latest completion run, and revokes or re-issues
/// them. A certificate is never deleted: the verify page must keep answering for it.
struct CertificateService {
    let database: any Database
    let actor: Actor
    let now: Date

    /// A certificate for every trainee the latest run says completed and who holds no valid
    /// one yet; returns how many were issued. Running it again issues none twice.
    func issue(_ ref: DirectoryLookup.CohortRef) async throws -> Int {
        guard let run = try await CompletionService.latestRun(of: ref.id, on: database) else { throw CompletionError.noRun }
        let completers = try await CompletionResult.query(on: database).filter(\.$run.$id == run.requireID()).filter(\.$outcome == .completed)
            .with(\.$trainee).all()
        let holding = Set(try await Certificate.query(on: database).filter(\.$cohort.$id == ref.id).filter(\.$status == .valid).all().map(\.$trainee.id))
        let due = completers.filter { !holding.contains($0.$trainee.id) }
        guard !due.isEmpty else { return 0 }
        var generator = SystemRandomNumberGenerator()
        let certificates = due.map { Self.make(for: $0.trainee, hours: $0.plannedMinutes / 60, run: run, ref: ref, now: now, using: &generator) }
        try await database.transaction { db in
            for certificate in certificates { try await certificate.create(on: db) }
            try await AuditLog.record(AuditEntry(action: "certificate.issued", entityType: "cohort", entityID: ref.id,
                                                 summary: "\(due.count) certificates from run \(run.number)", programmeID: ref.programme.id, cohortID: ref.id),
                                      by: actor, on: db)
        }
        return due.count
    }

    static func make<G: RandomNumberGenerator>(for trainee: User, hours: Int, run: CompletionRun, ref: DirectoryLookup.CohortRef, now: Date,
                                               using generator: inout G) -> Certificate {
        let certificate = Certificate()
        certificate.serial = CertificateSerial(prefix: "\(ref.programme.slug)\(ref.cohort.slug)", using: &generator).value
        certificate.$cohort.id = ref.id
        certificate.$trainee.id = trainee.id!
        certificate.$run.id = run.id!
        certificate.holderName = trainee.name
        certificate.hours = hours
        certificate.issuedAt = now
        certificate.status = .valid
        return certificate
    }

    /// Withdraws a certificate (issued in error, or completion overturned). The verify page
    /// then says it is revoked, with the date; the reason stays in the audit log.
    func revoke(_ certificate: Certificate, reason: String, in ref: DirectoryLookup.CohortRef) async throws {
        guard certificate.status == .valid else { throw CompletionError.notValid }
        certificate.status = .revoked
        certificate.revokedReason = reason
        try await database.transaction { db in
            try await certificate.update(on: db)
            try await AuditLog.record(AuditEntry(action: "certificate.revoked", entityType: "certificate", entityID: certificate.id,
                                                 summary: "\(certificate.serial): \(reason)", programmeID: ref.programme.id, cohortID: ref.id), by: actor, on: db)
        }
    }

    /// A new certificate in place of a valid one (a corrected name, a lost paper); the old one
    /// shows as superseded and points at the new serial.
    func reissue(_ certificate: Certificate, reason: String, in ref: DirectoryLookup.CohortRef) async throws -> Certificate {
        guard certificate.status == .valid else { throw CompletionError.notValid }
        let trainee = try await certificate.$trainee.get(on: database)
        let run = try await certificate.$run.get(on: database)
        var generator = SystemRandomNumberGenerator()
        let successor = Self.make(for: trainee, hours: certificate.hours, run: run, ref: ref, now: now, using: &generator)
        certificate.status = .superseded
        certificate.successorSerial = successor.serial
        try await database.transaction { db in
            try await certificate.update(on: db)
            try await successor.create(on: db)
            try await AuditLog.record(AuditEntry(action: "certificate.reissued", entityType: "certificate", entityID: successor.id,
                                                 summary: "\(certificate.serial) → \(successor.serial): \(reason)", programmeID: ref.programme.id, cohortID: ref.id),
                                      by: actor, on: db)
        }
        return successor
    }

    static func document(_ certificate: Certificate, cohort: Cohort, programme: Programme, signatories: [String], awards: [String], publicURL: URL,
                         timeZone: TimeZone) -> CertificateDocument {
        CertificateDocument(
            serial: certificate.serial, holderName: certificate.holderName, programme: programme.name, cohort: cohort.name,
            firstDay: CalendarDate(iso: cohort.startsOn) ?? CalendarDate(certificate.issuedAt, in: timeZone),
            lastDay: CalendarDate(iso: cohort.endsOn) ?? CalendarDate(certificate.issuedAt, in: timeZone),
            hours: certificate.hours, issuedOn: CalendarDate(certificate.issuedAt, in: timeZone), signatories: signatories, awards: awards,
            verifyURL: verifyURL(certificate.serial, publicURL: publicURL))
    }

    /// The certificate's PDF with the signatories of the rules its run used, drawn on the thread
    /// pool (cairo is synchronous).
    static func pdf(_ certificate: Certificate, app: Application, on db: any Database) async throws -> Data {
        let cohort = try await certificate.$cohort.get(on: db)
        let programme = try await cohort.$programme.get(on: db)
        let run = try await certificate.$run.get(on: db)
        let signatories = try await CompletionRuleVersion.query(on: db).filter(\.$cohort.$id == cohort.requireID())
            .filter(\.$version <= run.rulesVersion).sort(\.$version, .descending).first()?.rules.signatories ?? []
        let awards = try await awards(of: certificate, on: db)
        let document = document(certificate, cohort: cohort, programme: programme, signatories: signatories, awards: awards,
                                publicURL: app.config.publicURL, timeZone: app.config.timeZone)
        return try await app.threadPool.runIfActive { document.pdf() }
    }

    /// The holder's awards in the certificate's cohort, as printed.
    static func awards(of certificate: Certificate, on db: any Database) async throws -> [String] {
        try await Award.query(on: db).filter(\.$cohort.$id == certificate.$cohort.id).filter(\.$trainee.$id == certificate.$trainee.id).sort(\.$awardedOn).all()
            .map { "\($0.title) (\($0.awardedOn))" }
    }

    static func verifyURL(_ serial: String, publicURL: URL) -> String {
        publicURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/verify/" + serial
    }
}
