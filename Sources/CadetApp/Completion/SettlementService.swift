import CadetCore
import Fluent
import Foundation
import SQLKit

/// Tuition invoices and payments for sponsored seats, and the settlement that follows from the
/// completion runs: what each company owes and has paid, and what the funder refunds.
struct SettlementService {
    let database: any Database
    let actor: Actor
    let now: Date

    struct Sponsored: Sendable {
        let sponsorship: Sponsorship
        let trainees: [UUID]
    }

    /// Each sponsorship of the cohort's rounds with its enrolled trainees (their accounts).
    static func sponsored(in cohortID: UUID, on db: any Database) async throws -> [Sponsored] {
        let sponsorships = try await Sponsorship.query(on: db).join(RecruitmentRound.self, on: \Sponsorship.$round.$id == \RecruitmentRound.$id)
            .filter(RecruitmentRound.self, \.$cohort.$id == cohortID).all()
        let enrolled = try await Applicant.query(on: db).filter(\.$cohort.$id == cohortID).filter(\.$stage == .enrolled)
            .filter(\.$sponsorshipID != nil).all()
        let bySponsorship = Dictionary(grouping: enrolled.compactMap { a in a.sponsorshipID.flatMap { s in a.$user.id.map { (s, $0) } } }, by: \.0)
        return sponsorships.map { Sponsored(sponsorship: $0, trainees: bySponsorship[$0.id!]?.map(\.1) ?? []) }
    }

    /// An invoice for every sponsorship of the cohort that has trainees and none yet; returns how many.
    func issueInvoices(_ ref: DirectoryLookup.CohortRef) async throws -> Int {
        let existing = Set(try await Invoice.query(on: database).filter(\.$cohort.$id == ref.id).all().map(\.$sponsorship.id))
        let due = try await Self.sponsored(in: ref.id, on: database).filter { !$0.trainees.isEmpty && !existing.contains($0.sponsorship.id!) }
        let count = try await Invoice.query(on: database).count()
        let invoices = due.enumerated().map { index, s in
            let invoice = Invoice()
            invoice.$sponsorship.id = s.sponsorship.id!
            invoice.$cohort.id = ref.id
            invoice.number = "INV-\(CalendarDate(now, in: .current).year)-\(String(format: "%05d", count + index + 1))"
            invoice.trainees = s.trainees.count
            invoice.amount = s.sponsorship.tuitionPerTrainee * s.trainees.count
            invoice.issuedAt = now
            invoice.issuedBy = actor.label
            return invoice
        }
        guard !invoices.isEmpty else { return 0 }
        do {
            try await database.transaction { db in
                for invoice in invoices { try await invoice.create(on: db) }
                try await AuditLog.record(AuditEntry(action: "settlement.invoiced", entityType: "cohort", entityID: ref.id,
                                                     summary: invoices.map { "\($0.number) \($0.amount) KRW" }.joined(separator: ", "),
                                                     programmeID: ref.programme.id, cohortID: ref.id), by: actor, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Issued at the same moment by another request (a double click): those stand, these
            // roll back, and nothing is invoiced twice.
            return 0
        }
        return invoices.count
    }

    struct PaymentDraft: Sendable {
        let amount: Int
        let paidOn: CalendarDate
        let reference: String

        static func parse(_ values: [String: String]) throws(ValidationFailure) -> PaymentDraft {
            var reader = FieldReader(values)
            let amount = reader.integer("amount", in: 1...10_000_000_000)
            let day = reader.date("paid_on")
            let reference = reader.text("reference", maxLength: 120)
            try reader.check()
            return PaymentDraft(amount: amount!, paidOn: day!, reference: reference!)
        }
    }

    /// Records money received; more than is still owed is refused, naming the amount owed.
    func recordPayment(_ draft: PaymentDraft, on invoice: Invoice, in ref: DirectoryLookup.CohortRef) async throws {
        let paid = try await Payment.query(on: database).filter(\.$invoice.$id == invoice.requireID()).sum(\.$amount) ?? 0
        guard Settlement.checkPayment(draft.amount, invoiced: invoice.amount, paid: paid) else {
            throw ValidationFailure([FieldIssue("amount", .outOfRange(minimum: 1, maximum: max(0, invoice.amount - paid)))])
        }
        let payment = Payment()
        payment.$invoice.id = try invoice.requireID()
        payment.amount = draft.amount
        payment.paidOn = draft.paidOn.iso
        payment.reference = draft.reference
        payment.recordedBy = actor.label
        try await database.transaction { db in
            try await payment.create(on: db)
            try await AuditLog.record(AuditEntry(action: "settlement.paid", entityType: "invoice", entityID: invoice.id,
                                                 summary: "\(invoice.number): \(draft.amount) KRW on \(draft.paidOn.iso) (\(draft.reference))",
                                                 programmeID: ref.programme.id, cohortID: ref.id), by: actor, on: db)
        }
    }

    /// The settlement as it stands after the latest completion run, with the change in refunds
    /// since the run before.
    static func report(_ ref: DirectoryLookup.CohortRef, on db: any Database) async throws -> (Settlement.Report, [Invoice]) {
        let runs = try await CompletionRun.query(on: db).filter(\.$cohort.$id == ref.id).sort(\.$number, .descending).limit(2).all()
        func completed(_ run: CompletionRun?) async throws -> Set<UUID>? {
            guard let run else { return nil }
            return Set(try await CompletionResult.query(on: db).filter(\.$run.$id == run.requireID()).filter(\.$outcome == .completed).all().map(\.$trainee.id))
        }
        let now = try await completed(runs.first) ?? []
        let before = try await completed(runs.count > 1 ? runs[1] : nil)
        let invoices = try await Invoice.query(on: db).filter(\.$cohort.$id == ref.id).sort(\.$number).all()
        let payments = try await Payment.query(on: db).filter(\.$invoice.$id ~~ invoices.compactMap(\.id)).all()
        let paid = Dictionary(grouping: payments, by: \.$invoice.id).mapValues { $0.reduce(0) { $0 + $1.amount } }
        let inputs = try await sponsored(in: ref.id, on: db).map { s in
            let invoice = invoices.first { $0.$sponsorship.id == s.sponsorship.id }
            return Settlement.Input(company: s.sponsorship.company, tuitionPerTrainee: s.sponsorship.tuitionPerTrainee, refundPerCompleter: s.sponsorship.refundPerCompleter,
                                    trainees: s.trainees.count, completers: s.trainees.filter(now.contains).count,
                                    completersBefore: before.map { b in s.trainees.filter(b.contains).count },
                                    invoiced: invoice?.amount ?? 0, paid: invoice.flatMap { paid[$0.id!] } ?? 0)
        }
        return (Settlement.report(inputs), invoices)
    }
}
