import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

@Suite("Selecting")
struct SelectionTests {
    static let base = "/programmes/alpha/cohorts/a1"

    /// Imports `count` applicants into alpha's round through the staff page.
    static func importApplicants(_ browser: Browser, _ rows: [String]) async throws -> TestingHTTPResponse {
        let csv = "\u{FEFF}name,email,birth_date,region,submitted_at,gender,major_field,test_score,document_score,interview_score,status\r\n" + rows.joined(separator: "\r\n") + "\r\n"
        return try await Multipart.upload(browser, base + "/applicants/import", filename: "applicants.csv", data: Data(csv.utf8))
    }

    static func sample(_ n: Int, region: String = "Gwangju", score: Int, status: String = "committee") -> String {
        "지원자\(n),person\(n)@example.org,199\(n % 10)-05-0\(n % 9 + 1),\(region),2026-03-0\(n % 9 + 1)T10:00,\(n % 2 == 0 ? "female" : "male"),computing,\(score),\(score),\(score),\(status)"
    }

    @Test("the import page imports all or nothing and names every problem")
    func importPage() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            let bad = try await Self.importApplicants(staff, [Self.sample(1, score: 80), "x,not-an-email,1990-01-01,Nowhere,2026-03-01T10:00,,,,,,"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("Line 3, column email: &quot;not-an-email&quot; is not an e-mail address."))
            #expect(bad.text.contains("Line 3, column region:"))
            #expect(try await Applicant.query(on: app.db).filter(\.$round.$id == seed.alphaRound.id!).filter(\.$stage != .draft).count() == 0)
            let good = try await Self.importApplicants(staff, (1...5).map { Self.sample($0, score: 60 + $0) })
            #expect(good.text.contains("Imported 5 applications."))
            let again = try await Self.importApplicants(staff, [Self.sample(1, score: 80)])
            #expect(again.text.contains("already applied"))
        }
    }

    @Test("filters, sort and pages narrow the pipeline; the export honours them with a byte-order mark")
    func pipeline() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            _ = try await Self.importApplicants(staff, (1...60).map { Self.sample($0, region: $0 % 3 == 0 ? "Seoul" : "Gwangju", score: 40 + $0 % 50) })
            let all = try await staff.get(Self.base + "/applicants")
            #expect(all.text.contains("1–50 of 60"))
            let seoul = try await staff.get(Self.base + "/applicants?region=Seoul")
            #expect(seoul.text.contains("1–20 of 20"))
            let page2 = try await staff.get(Self.base + "/applicants?page=2")
            #expect(page2.text.contains("51–60 of 60"))
            let found = try await staff.get(Self.base + "/applicants?q=person7%40example.org")
            #expect(found.text.contains("1–1 of 1"))
            let csv = try await staff.get(Self.base + "/applicants/export.csv?region=Seoul")
            #expect(csv.headers.contentType?.subType == "csv")
            let bytes = Array(csv.body.readableBytesView)
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
            let lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).split(separator: "\r\n")
            #expect(lines.count == 21)
            #expect(lines[0].hasPrefix("number,name,email"))
            #expect(lines.dropFirst().allSatisfy { $0.contains(",Seoul,") })
        }
    }

    @Test("bulk moves show what will change first, then move only what the stage allows, audited and told")
    func bulk() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            _ = try await Self.importApplicants(staff, (1...3).map { Self.sample($0, score: 70, status: $0 == 3 ? "enrolled" : "submitted") })
            let ids = try await Applicant.query(on: app.db).filter(\.$round.$id == seed.alphaRound.id!).filter(\.$stage != .draft).sort(\.$number).all().map { $0.id!.uuidString }
            _ = try await staff.get("/")
            let token = try await staff.csrfToken()
            let form = "_csrf=\(token)&action=move&target=documents_passed&" + ids.map { "ids%5B%5D=\($0)" }.joined(separator: "&")
            let confirm = try await staff.send(.POST, Self.base + "/applicants/bulk", body: form)
            #expect(confirm.status == .ok)
            #expect(confirm.text.contains("Confirm the change"))
            #expect(try await Applicant.query(on: app.db).filter(\.$stage == .documentsPassed).count() == 0)
            let done = try await staff.send(.POST, Self.base + "/applicants/bulk", body: form + "&confirm=yes")
            #expect(done.text.contains("Moved 2. Not moved, because their stage does not allow it: #3."))
            #expect(try await Applicant.query(on: app.db).filter(\.$stage == .documentsPassed).count() == 2)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "application.moved").count() == 2)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$kind == "application_stage").count() == 2)
        }
    }

    @Test("ranking admits exactly the capacity; a declined place goes to the first on the waiting list")
    func rankAndDecline() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            // Capacity 2; scores 90, 80, 70, 60.
            _ = try await Self.importApplicants(staff, [90, 80, 70, 60].enumerated().map { Self.sample($0.offset + 1, score: $0.element) })
            let preview = try await staff.get(Self.base + "/selection")
            #expect(preview.text.contains("90.00") && preview.text.contains("Waiting list, place 2"), "\(preview.text.components(separatedBy: "<tbody>").last ?? "")")
            #expect(try await Applicant.query(on: app.db).filter(\.$stage == .admitted).count() == 0)
            #expect(try await staff.post(Self.base + "/selection", ["confirm": "yes"]).status == .seeOther)
            let ranked = try await Applicant.query(on: app.db).filter(\.$round.$id == seed.alphaRound.id!).filter(\.$rank != nil).sort(\.$rank).all()
            #expect(ranked.map(\.stage) == [.admitted, .admitted, .waitlisted, .waitlisted])
            #expect(ranked.map(\.waitlistPosition) == [nil, nil, 1, 2])
            #expect(ranked.first?.finalScore == 90)

            // The second admitted declines (through the service, as the applicant would).
            let t = Localizer(locale: .english, timeZone: app.config.timeZone)
            try await ApplicationService(database: app.db, actor: .demo, localizer: t).respond(ranked[1], cohort: seed.alphaCohort, accept: false)
            let third = try #require(try await Applicant.find(ranked[2].id, on: app.db))
            #expect(third.stage == .admitted)
            #expect(try await Applicant.find(ranked[3].id, on: app.db)?.stage == .waitlisted)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == third.email).filter(\.$kind == "application_stage").count() >= 1)
        }
    }

    @Test("the applicant page explains the decision: components, weights, rank and the tie-break used")
    func explanation() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            // Equal scores: the tie goes to the earlier submission (the default rules' second).
            _ = try await Self.importApplicants(staff, [Self.sample(1, score: 75), Self.sample(2, score: 75)])
            _ = try await staff.post(Self.base + "/selection", ["confirm": "yes"])
            let second = try #require(try await Applicant.query(on: app.db).filter(\.$rank == 2).first())
            let page = try await staff.get(Self.base + "/applicants/\(second.id!.uuidString.lowercased())")
            for text in ["75.00 / 100", "Documents", "Admission test", "Interview", "30%", "40%", "earlier submission"] {
                #expect(page.text.contains(text), "missing \(text)")
            }
        }
    }

    @Test("blind review: the reviewer's page shows no name, contact, age, gender or region, and no other scores before their own")
    func blindReview() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let trainee = try await seed.browser(.trainee, app: app)
            _ = try await trainee.post(ApplyingTests.path(seed.alphaApplication) + "/submit", ApplyingTests.profile(["consent": "yes", "name": "비밀스런 지원자"]))
            // A second reviewer scores first.
            _ = try await ReviewService(database: app.db, actor: .demo).assign([seed.alphaApplication.id!], reviewerEmail: Seed.Who.mentor.email,
                                                                                source: .documents, round: seed.alphaRound, cohort: seed.alphaCohort)
            let mentorAssignment = try #require(try await ReviewAssignment.query(on: app.db).filter(\.$reviewer.$id == seed.users[.mentor]!.id!).first())
            let mentor = try await seed.browser(.mentor, app: app)
            #expect(try await mentor.post("/reviews/\(mentorAssignment.id!.uuidString.lowercased())", ["score_documents": "88"]).status == .seeOther)

            let reviewer = try await seed.browser(.committee, app: app)
            let page = try await reviewer.get("/reviews/\(seed.alphaAssignment.id!.uuidString.lowercased())").text
            for hidden in ["비밀스런 지원자", Seed.Who.trainee.email, "1998-04-01", "010-1234-5678", "Gwangju", "광주"] {
                #expect(!page.contains(hidden), "the blind page shows \(hidden)")
            }
            #expect(!page.contains("documents 88"))
            let bad = try await reviewer.post("/reviews/\(seed.alphaAssignment.id!.uuidString.lowercased())", ["score_documents": "120"])
            #expect(bad.status == .unprocessableEntity)
            #expect(try await reviewer.post("/reviews/\(seed.alphaAssignment.id!.uuidString.lowercased())", ["score_documents": "70"]).status == .seeOther)
            let after = try await reviewer.get("/reviews/\(seed.alphaAssignment.id!.uuidString.lowercased())").text
            #expect(after.contains("documents 88"))
            #expect(!after.contains("비밀스런 지원자"))
        }
    }

    @Test("a reviewer with a conflict steps aside and their scores do not count")
    func recusal() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let reviewer = try await seed.browser(.committee, app: app)
            let path = "/reviews/\(seed.alphaAssignment.id!.uuidString.lowercased())"
            _ = try await reviewer.post(path, ["score_documents": "95"])
            #expect(try await reviewer.post(path + "/recuse", ["reason": "my cousin"]).status == .seeOther)
            let assignment = try #require(try await ReviewAssignment.find(seed.alphaAssignment.id, on: app.db))
            #expect(assignment.status == .recused && assignment.conflictReason == "my cousin")
            #expect(try await ReviewScore.query(on: app.db).filter(\.$assignment.$id == assignment.id!).count() == 0)
            #expect(try await reviewer.post(path, ["score_documents": "95"]).status == .conflict)
        }
    }

    @Test("a reviewer sees only their own assignments")
    func reviewerScope() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let committee = try await seed.browser(.committee, app: app)
            #expect(try await committee.get("/reviews/\(seed.betaAssignment.id!.uuidString.lowercased())").status == .notFound)
            let list = try await committee.get("/reviews").text
            #expect(list.contains(seed.alphaAssignment.id!.uuidString.lowercased()) && !list.contains(seed.betaAssignment.id!.uuidString.lowercased()))
            #expect(try await committee.get("/programmes/alpha/cohorts/a1/applicants").status == .forbidden)
        }
    }

    @Test("the dashboard draws SVG charts with the numbers beside them")
    func dashboard() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            _ = try await Self.importApplicants(staff, (1...9).map { Self.sample($0, region: $0 <= 3 ? "Seoul" : "Gwangju", score: 50) })
            let page = try await staff.get(Self.base + "/dashboard").text
            #expect(page.contains("<svg"))
            #expect(page.contains("4.50 : 1"))
            #expect(page.contains("<td>Seoul</td><td>3</td>"))
            #expect(page.contains("<td>Gwangju</td><td>6</td>"))
            #expect(page.contains("By age") && page.contains("Funnel"))
        }
    }

    @Test("a company contact applies, nominates an employee who gets an invitation and accepts, and uploads the certificate")
    func sponsorship() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            seed.alphaRound.sponsored = true
            seed.alphaRound.tuitionPerTrainee = 15_000_000
            seed.alphaRound.refundPerCompleter = 5_000_000
            try await seed.alphaRound.update(on: app.db)
            let company = try await seed.browser(.company, app: app)
            let applied = try await company.post(Self.base + "/sponsorships/apply", ["company": "Gamma Systems", "tuition_per_trainee": "1"])
            #expect(applied.status == .seeOther)
            let sponsorship = try #require(try await Sponsorship.query(on: app.db).filter(\.$company == "Gamma Systems").first())
            #expect(sponsorship.tuitionPerTrainee == 15_000_000 && sponsorship.refundPerCompleter == 5_000_000)
            let path = "/sponsorships/\(sponsorship.id!.uuidString.lowercased())"
            #expect(try await company.post(path + "/nominations", ["name": "이개발", "email": "dev.lee@gamma.example"]).status == .seeOther)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "dev.lee@gamma.example").filter(\.$kind == "nomination").count() == 1)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "dev.lee@gamma.example").filter(\.$kind == "invitation").count() == 1)
            let nomination = try #require(try await Nomination.query(on: app.db).filter(\.$email == "dev.lee@gamma.example").first())
            #expect(nomination.status == .invited)
            // The nominee sets a password through the invitation (which proves the address) and accepts.
            let nomineeBrowser = Browser(app)
            let invitation = try await SecurityAccountTests.link(in: app, to: "dev.lee@gamma.example", kind: "invitation")
            let token = String(invitation.split(separator: "=")[1])
            #expect(try await nomineeBrowser.post("/password/reset", ["token": token, "password": "nominee passphrase", "password_confirm": "nominee passphrase"]).status == .seeOther)
            try await nomineeBrowser.signIn("dev.lee@gamma.example", password: "nominee passphrase")
            #expect(try await nomineeBrowser.post("/nominations/\(nomination.id!.uuidString.lowercased())/accept").status == .seeOther)
            let nominee = try #require(try await Applicant.query(on: app.db).filter(\.$email == "dev.lee@gamma.example").first())
            #expect(nominee.sponsorshipID == sponsorship.id && nominee.stage == .draft)
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 1, count: 64)
            #expect(try await Multipart.upload(company, path + "/nominations/\(nomination.id!.uuidString.lowercased())/certificate", filename: "재직증명서.png", data: png).status == .seeOther)
            #expect(try await ApplicantFile.query(on: app.db).filter(\.$applicant.$id == nominee.id!).first()?.questionKey == SponsorshipService.certificateKey)
            // Another company's contact cannot see this sponsorship.
            #expect(try await seed.browser(.mentor, app: app).get(path).status == .forbidden)
        }
    }
}
