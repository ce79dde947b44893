import CadetCore
import Fluent
import Vapor

/// A cohort's money: tuition invoices to sponsoring companies, payments, and the funder's refund
/// per completer as the latest completion run has it, on a page and in a CSV.
enum SettlementController {
    static func register(_ routes: any RoutesBuilder) {
        let c = routes.grouped("programmes", ":programme", "cohorts", ":cohort", "settlement")
        c.get(use: show)
        c.get("csv", use: csv)
        c.post("invoices", use: invoice)
        c.post("invoices", ":invoice", "payments", use: pay)
    }

    static func base(_ ref: DirectoryLookup.CohortRef) -> String { TrainingLookup.base(ref) + "/settlement" }

    struct Line: Encodable {
        let company: String
        let trainees: String
        let tuitionDue: String
        let invoiced: String
        let paid: String
        let outstanding: String
        let completers: String
        let refundDue: String
        let refundChange: String?
        let invoice: InvoiceRow?
    }

    struct InvoiceRow: Encodable { let number: String; let action: String; let open: Bool }

    struct Page: Encodable {
        let page: PageChrome
        let cohortBase: String
        let base: String
        let cohortName: String
        let lines: [Line]?
        let totals: Line
        let run: String?
        let error: String?
    }

    static func line(_ l: Settlement.Line, invoice: Invoice?, base: String) -> Line {
        Line(company: l.company, trainees: String(l.trainees), tuitionDue: Money.krw(l.tuitionDue), invoiced: Money.krw(l.invoiced), paid: Money.krw(l.paid),
             outstanding: Money.krw(l.outstanding), completers: String(l.completers), refundDue: Money.krw(l.refundDue),
             refundChange: l.refundChange == 0 ? nil : (l.refundChange > 0 ? "+" : "−") + Money.krw(abs(l.refundChange)),
             invoice: invoice.map { InvoiceRow(number: $0.number, action: "\(base)/invoices/\($0.id!.uuidString.lowercased())/payments", open: l.outstanding > 0) })
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await render(req, try await TrainingLookup.cohort(req, .manageSettlement))
    }

    static func render(_ req: Request, _ ref: DirectoryLookup.CohortRef, error: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let (report, invoices) = try await SettlementService.report(ref, on: req.db)
        let sponsorships = Dictionary(try await Sponsorship.query(on: req.db).filter(\.$id ~~ invoices.map(\.$sponsorship.id)).all().map { ($0.company, $0.id!) }) { a, _ in a }
        let run = try await CompletionService.latestRun(of: ref.id, on: req.db)
        return try await req.render("completion/settlement", Page(
            page: PageChrome(req, title: "\(ref.cohort.name) · \(t("settlement.title"))"), cohortBase: TrainingLookup.base(ref), base: base(ref),
            cohortName: ref.cohort.name,
            lines: report.lines.map { l in line(l, invoice: invoices.first { $0.$sponsorship.id == sponsorships[l.company] }, base: base(ref)) }.nilIfEmpty,
            totals: line(report.totals, invoice: nil, base: base(ref)),
            run: run.map { t("completion.run_line", ["number": String($0.number), "when": t.dateTime($0.ranAt), "by": $0.ranBy, "version": String($0.rulesVersion)]) },
            error: error), status: status)
    }

    @Sendable static func invoice(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageSettlement)
        let count = try await SettlementService(database: req.db, actor: req.actor, now: req.now).issueInvoices(ref)
        return req.redirect(to: base(ref), notice: count == 0 ? "notice.invoices_none_due" : "notice.invoices_issued")
    }

    @Sendable static func pay(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageSettlement)
        guard let id = req.parameters.get("invoice", as: UUID.self),
              let invoice = try await Invoice.query(on: req.db).filter(\.$id == id).filter(\.$cohort.$id == ref.id).first() else {
            throw CompletionError.invoiceNotFound
        }
        do {
            let draft = try SettlementService.PaymentDraft.parse(try req.formValues())
            try await SettlementService(database: req.db, actor: req.actor, now: req.now).recordPayment(draft, on: invoice, in: ref)
        } catch let failure as ValidationFailure {
            return try await render(req, ref, error: "\(invoice.number): " + failure.issues.map { FieldMessages.message(for: $0, req.localizer) }.joined(separator: " "),
                                    status: .unprocessableEntity)
        }
        return req.redirect(to: base(ref), notice: "notice.payment_recorded")
    }

    /// The settlement per company with the funder's total, in whole KRW, for the funder's portal.
    @Sendable static func csv(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageSettlement)
        let (report, _) = try await SettlementService.report(ref, on: req.db)
        let header = ["company", "trainees", "tuition_due_krw", "invoiced_krw", "paid_krw", "outstanding_krw", "completers", "refund_due_krw", "refund_change_krw"]
        let rows = (report.lines + [report.totals]).map { l in
            [l.company.isEmpty ? "TOTAL" : l.company, String(l.trainees), String(l.tuitionDue), String(l.invoiced), String(l.paid), String(l.outstanding),
             String(l.completers), String(l.refundDue), String(l.refundChange)]
        }
        try await AuditLog.record(AuditEntry(action: "settlement.exported", entityType: "cohort", entityID: ref.id, summary: "\(report.lines.count) companies",
                                             programmeID: ref.programme.id, cohortID: ref.id), by: req.actor, on: req.db)
        return FileResponse.csv(header: header, rows: rows, filename: "\(ref.programme.slug)-\(ref.cohort.slug)-settlement.csv")
    }
}
