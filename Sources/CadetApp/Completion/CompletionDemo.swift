import CadetCore
import Fluent
import Foundation

/// The demo's completion: the cohorts that trained run completion under their rules (KAIST's
/// certificates signed by the president and the dean), certificates are issued to those who
/// completed, and KAIST's sponsoring companies are invoiced and have paid, so the settlement shows
/// the city's refund per completer.
struct CompletionDemo {
    static let signatories: [String: [String]] = [
        "gwangju-ai": ["광주인공지능사관학교장 Director, Gwangju AI Academy"],
        "kaist-mle": ["KAIST 총장 President of KAIST", "KAIST AI대학원장 Dean, KAIST Graduate School of AI"],
    ]

    func load(on db: any Database) async throws -> Int {
        var created = 0
        for (programmeSlug, cohortSlug, _) in TrainingDemo.cohorts {
            guard let programme = try await Programme.query(on: db).filter(\.$slug == programmeSlug).first(),
                  let cohort = try await Cohort.query(on: db).filter(\.$programme.$id == programme.id!).filter(\.$slug == cohortSlug).first(),
                  try await CompletionService.latestRun(of: cohort.requireID(), on: db) == nil else { continue }
            let ref = DirectoryLookup.CohortRef(programme: programme, cohort: cohort, id: try cohort.requireID())
            // The cohort's last day, so nothing is "still to come" and the certificates are dated then.
            let end = (CalendarDate(iso: cohort.endsOn) ?? CalendarDate(Date(), in: TrainingDemo.zone)).adding(days: 1).moment(atMinute: 0, in: TrainingDemo.zone)
            let completion = CompletionService(database: db, actor: .demo, now: end)
            _ = try await completion.saveRules(CompletionRules(signatories: Self.signatories[programmeSlug] ?? []), for: ref)
            _ = try await completion.run(ref)
            created += 2 + (try await CertificateService(database: db, actor: .demo, now: end).issue(ref))
            let settlement = SettlementService(database: db, actor: .demo, now: end)
            guard try await settlement.issueInvoices(ref) > 0 else { continue }
            for invoice in try await Invoice.query(on: db).filter(\.$cohort.$id == ref.id).all() {
                try await settlement.recordPayment(.init(amount: invoice.amount, paidOn: CalendarDate(iso: cohort.startsOn)!, reference: "demo transfer"),
                                                   on: invoice, in: ref)
                created += 2
            }
        }
        return created
    }
}
