import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

@Suite("Settlement: tuition invoices, payments, the funder's refund per completer")
struct SettlementTests {
    static let base = CompletionTests.base + "/settlement"

    /// The seed's trainee, enrolled on Alpha Corp's sponsorship (15,000,000 KRW tuition,
    /// 5,000,000 back per completer), with training finished at exactly 80%.
    static func sponsoredTrainee(_ app: Application) async throws -> Seed {
        let seed = try await CompletionTests.finishedTraining(app)
        seed.alphaApplication.sponsorshipID = seed.alphaSponsorship.id
        seed.alphaApplication.stage = .enrolled
        try await seed.alphaApplication.update(on: app.db)
        return seed
    }

    static func line(_ page: String) -> String {
        guard let start = page.range(of: "data-company=\"Alpha Corp\"") else { return "" }
        let rest = page[start.upperBound...]
        return String(rest[..<(rest.range(of: "</tr>")?.lowerBound ?? rest.endIndex)])
    }

    @Test("invoices once per company, refuses an overpayment by name, and the refund follows each completion run with the difference shown")
    func settle() async throws {
        try await TestApp.withApp { app in
            let seed = try await Self.sponsoredTrainee(app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            let before = Self.line(try await staff.get(Self.base).text)
            #expect(before.contains("<td>1</td><td>₩15,000,000</td><td>₩0</td>"))
            _ = try await staff.post(CompletionTests.base + "/completion/run")
            #expect(try await staff.post(Self.base + "/invoices").status == .seeOther)
            #expect(try await staff.post(Self.base + "/invoices").location?.contains("notice.invoices_none_due") == true)
            let invoice = try #require(try await Invoice.query(on: app.db).first())
            #expect(invoice.amount == 15_000_000 && invoice.trainees == 1 && invoice.number.hasPrefix("INV-"))
            let pay = Self.base + "/invoices/\(invoice.id!.uuidString.lowercased())/payments"
            let over = try await staff.post(pay, ["amount": "20000000", "paid_on": "2026-07-10", "reference": "KB 123"])
            #expect(over.status == .unprocessableEntity && over.text.contains("15000000"))
            #expect(try await Payment.query(on: app.db).count() == 0)
            #expect(try await staff.post(pay, ["amount": "15000000", "paid_on": "2026-07-10", "reference": "KB 123"]).status == .seeOther)
            let paid = Self.line(try await staff.get(Self.base).text)
            #expect(paid.contains("<td>₩15,000,000</td><td>₩15,000,000</td><td>₩15,000,000</td><td>₩0</td><td>1</td><td>₩5,000,000"))

            let trainee = seed.users[.trainee]!.id!.uuidString.lowercased()
            _ = try await staff.post(CompletionTests.base + "/completion/trainees/\(trainee)/override", ["outcome": "not_completed", "reason": "Project not delivered"])
            _ = try await staff.post(CompletionTests.base + "/completion/run")
            let after = Self.line(try await staff.get(Self.base).text)
            #expect(after.contains("<td>0</td><td>₩0") && after.contains("−₩5,000,000 since the previous completion run"))

            let csv = try await staff.get(Self.base + "/csv")
            #expect(csv.text.hasPrefix("\u{FEFF}company,trainees,tuition_due_krw"))
            #expect(csv.text.contains("Alpha Corp,1,15000000,15000000,15000000,0,0,0,-5000000\r\n"))
            #expect(csv.text.contains("TOTAL,1,15000000,15000000,15000000,0,0,0,-5000000"))
            let audit = try await AuditEvent.query(on: app.db).filter(\.$action ~~ ["settlement.invoiced", "settlement.paid", "settlement.exported"]).count()
            #expect(audit == 3)
        }
    }

    @Test("only staff of the programme see the money; another cohort's invoice is not found")
    func access() async throws {
        try await TestApp.withApp { app in
            let seed = try await Self.sponsoredTrainee(app)
            #expect(try await (try await seed.browser(.instructor, app: app)).get(Self.base).status == .forbidden)
            #expect(try await (try await seed.browser(.company, app: app)).get(Self.base).status == .forbidden)
            let staff = try await seed.browser(.staff, app: app)
            #expect(try await staff.post(Self.base + "/invoices/\(UUID().uuidString)/payments", ["amount": "1", "paid_on": "2026-07-10", "reference": "x"]).status == .notFound)
        }
    }

    @Test("the API runs completion, lists the outcome with its reasons and the certificates, and reports the money as the page does")
    func api() async throws {
        try await TestApp.withApp { app in
            let seed = try await Self.sponsoredTrainee(app)
            let token = try await APITests.operatorToken(seed, app)
            let api = "/api/v1" + CompletionTests.base
            #expect(try await app.api(.GET, api + "/completion", token: token).body.string == #"{"data":[]}"#)
            let run = try await app.api(.POST, api + "/completion/runs", token: token)
            #expect(run.status == .created)
            let trainee = seed.users[.trainee]!.id!.uuidString
            #expect(run.body.string.contains(#""counts":{"completed":1,"#) && run.body.string.contains(#""after":"completed","trainee_id":"\#(trainee)""#))
            let results = try await app.api(.GET, api + "/completion", token: token).body.string
            #expect(results.contains(#""run":1"#) && results.contains(#""outcome":"completed""#) && results.contains(#""attended_hours":64"#))
            #expect(results.contains(#"{"met":true,"needed":800,"reached":800,"rule":"attendance"}"#))

            let staff = try await seed.browser(.staff, app: app)
            _ = try await staff.post(CompletionTests.base + "/certificates")
            let serial = try #require(try await Certificate.query(on: app.db).first()).serial
            let certificates = try await app.api(.GET, api + "/certificates", token: token).body.string
            #expect(certificates.contains(#""serial":"\#(serial)""#) && certificates.contains(#""status":"valid""#) && certificates.contains("/verify/\(serial)"))

            let money = try await app.api(.GET, api + "/settlement", token: token).body.string
            #expect(money.contains(#""company":"Alpha Corp","completers":1,"invoiced":0,"outstanding":0,"paid":0,"refund_change":0,"refund_due":5000000,"trainees":1,"tuition_due":15000000}"#))
            #expect(money.contains(#""currency":"KRW""#))
            // A second run after an override changes the refund, and says by how much.
            _ = try await staff.post(CompletionTests.base + "/completion/trainees/\(trainee.lowercased())/override", ["outcome": "not_completed", "reason": "Project not delivered"])
            let second = try await app.api(.POST, api + "/completion/runs", token: token).body.string
            #expect(second.contains(#""before":"completed""#) && second.contains(#""run":2"#))
            #expect(try await app.api(.GET, api + "/settlement", token: token).body.string.contains(#""refund_change":-5000000,"refund_due":0"#))
        }
    }
}
