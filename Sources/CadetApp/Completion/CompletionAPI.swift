import CadetCore
import Fluent
import Vapor

/// /api/v1: a cohort's completion (the latest run's outcomes with their reasons, and a new run),
/// its certificates and its settlement, for the funder's and the companies' own systems.
enum CompletionAPI {
    static func register(_ api: any RoutesBuilder) {
        let c = api.grouped("programmes", ":programme", "cohorts", ":cohort")
        c.get("completion", use: results)
        c.post("completion", "runs", use: run)
        c.get("certificates", use: certificates)
        c.get("settlement", use: settlement)
    }

    struct CheckDTO: Encodable {
        let rule: String
        let met: Bool
        /// In the rule's unit: minutes for hours, per mille for attendance.
        let reached: Int
        let needed: Int
    }

    struct ResultDTO: Encodable {
        let traineeId: UUID
        let name: String
        let email: String
        let className: String
        let outcome: String
        let computed: String
        let overrideReason: String?
        let plannedHours: Double
        let attendedHours: Double
        let checks: [CheckDTO]
    }

    struct ResultsPage: Encodable {
        let run: Int?
        let ranAt: Date?
        let rulesVersion: Int?
        let data: [ResultDTO]
        let nextCursor: String?
    }

    /// The latest run's outcome for each trainee, by e-mail; no run yet gives an empty list.
    @Sendable static func results(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .viewCompletion)
        let paging = try APIPaging(req)
        guard let run = try await CompletionService.latestRun(of: ref.id, on: req.db) else {
            return try APIJSON.response(ResultsPage(run: nil, ranAt: nil, rulesVersion: nil, data: [], nextCursor: nil))
        }
        var rows = try await CompletionResult.query(on: req.db).filter(\.$run.$id == run.requireID()).with(\.$trainee).all()
            .sorted { $0.trainee.email < $1.trainee.email }
        if let after = paging.after { rows = rows.filter { $0.trainee.email > after } }
        let page = paging.page(Array(rows.prefix(paging.limit + 1)), key: \.trainee.email) { r in
            ResultDTO(traineeId: r.$trainee.id, name: r.trainee.name, email: r.trainee.email, className: r.className, outcome: r.outcome.rawValue,
                      computed: r.computed.rawValue, overrideReason: r.overrideReason, plannedHours: Double(r.plannedMinutes) / 60,
                      attendedHours: Double(r.attendedMinutes) / 60,
                      checks: r.checks.map { CheckDTO(rule: $0.rule.rawValue, met: $0.met, reached: $0.reached, needed: $0.needed) })
        }
        return try APIJSON.response(ResultsPage(run: run.number, ranAt: run.ranAt, rulesVersion: run.rulesVersion, data: page.data, nextCursor: page.nextCursor))
    }

    struct ChangeDTO: Encodable {
        let traineeId: UUID
        let before: String?
        let after: String
    }

    struct RunDTO: Encodable {
        let run: Int
        let ranAt: Date
        let rulesVersion: Int
        let counts: [String: Int]
        let changes: [ChangeDTO]
    }

    /// Runs completion now, as the page's button does, and says what changed since the run before.
    @Sendable static func run(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageCompletion)
        let summary = try await CompletionService(database: req.db, actor: req.actor, now: req.now).run(ref)
        return try APIJSON.response(RunDTO(
            run: summary.run.number, ranAt: summary.run.ranAt, rulesVersion: summary.run.rulesVersion,
            counts: Dictionary(uniqueKeysWithValues: CompletionOutcome.allCases.map { ($0.rawValue, summary.counts[$0] ?? 0) }),
            changes: summary.changes.sorted { $0.key.uuidString < $1.key.uuidString }.map { ChangeDTO(traineeId: $0.key, before: $0.before?.rawValue, after: $0.after.rawValue) }),
            status: .created)
    }

    struct CertificateDTO: Encodable {
        let serial: String
        let traineeId: UUID
        let holderName: String
        let hours: Int
        let issuedAt: Date
        let status: String
        let revokedReason: String?
        let successorSerial: String?
        let verifyUrl: String
    }

    /// Every certificate of the cohort, revoked and superseded ones too, by serial.
    @Sendable static func certificates(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .viewCompletion)
        let paging = try APIPaging(req)
        var query = Certificate.query(on: req.db).filter(\.$cohort.$id == ref.id).sort(\.$serial)
        if let after = paging.after { query = query.filter(\.$serial > after) }
        let rows = try await query.limit(paging.limit + 1).all()
        let publicURL = req.application.config.publicURL
        return try APIJSON.response(paging.page(rows, key: \.serial) { c in
            CertificateDTO(serial: c.serial, traineeId: c.$trainee.id, holderName: c.holderName, hours: c.hours, issuedAt: c.issuedAt, status: c.status.rawValue,
                           revokedReason: c.revokedReason, successorSerial: c.successorSerial, verifyUrl: CertificateService.verifyURL(c.serial, publicURL: publicURL))
        })
    }

    struct LineDTO: Encodable {
        let company: String?
        let trainees: Int
        let tuitionDue: Int
        let invoiced: Int
        let paid: Int
        let outstanding: Int
        let completers: Int
        let refundDue: Int
        let refundChange: Int

        init(_ line: Settlement.Line) {
            company = line.company.isEmpty ? nil : line.company
            trainees = line.trainees
            tuitionDue = line.tuitionDue
            invoiced = line.invoiced
            paid = line.paid
            outstanding = line.outstanding
            completers = line.completers
            refundDue = line.refundDue
            refundChange = line.refundChange
        }
    }

    struct SettlementDTO: Encodable {
        /// All amounts are whole Korean won.
        let currency = "KRW"
        let lines: [LineDTO]
        let totals: LineDTO
    }

    /// Per company: tuition due, invoiced, paid, outstanding, and the city's refund due per
    /// completer of the latest run, with its change since the run before.
    @Sendable static func settlement(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageSettlement)
        let (report, _) = try await SettlementService.report(ref, on: req.db)
        return try APIJSON.response(SettlementDTO(lines: report.lines.map(LineDTO.init), totals: LineDTO(report.totals)))
    }
}
