import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

@Suite("Careers: graduates' outcomes, frozen snapshots and the funder's report")
struct CareersTests {
    static let base = CompletionTests.base + "/outcomes"
    static let report = "/programmes/alpha/report"

    /// The seed's trainee, admitted from Gwangju, trained at 80% and judged completed.
    static func graduate(_ app: Application) async throws -> (Seed, Browser, String) {
        let seed = try await CompletionTests.finishedTraining(app)
        seed.alphaApplication.stage = .enrolled
        seed.alphaApplication.region = Region.gwangju.rawValue
        try await seed.alphaApplication.update(on: app.db)
        let staff = try await seed.browser(.staff, app: app)
        staff.acceptLanguage = "en"
        #expect(try await staff.post(CompletionTests.base + "/completion/run").status == .ok)
        return (seed, staff, seed.users[.trainee]!.id!.uuidString.lowercased())
    }

    static func json(_ staff: Browser, _ query: String = "") async throws -> FunderReport {
        let response = try await staff.get(report + ".json" + query)
        #expect(response.status == .ok)
        return try JSONDecoder().decode(FunderReport.self, from: Data(response.body.readableBytesView))
    }

    @Test("an outcome names what it lacks, is saved with its CIRR category and audited, and a frozen snapshot keeps what was reported after a correction")
    func outcomesAndSnapshots() async throws {
        try await TestApp.withApp { app in
            let (_, staff, trainee) = try await Self.graduate(app)
            let list = try await staff.get(Self.base)
            #expect(list.status == .ok && list.text.contains("data-status=\"not_reporting\""))

            // Employed, but no employer, start day or how the job is held: each field named, nothing saved.
            let missing = try await staff.post(Self.base + "/" + trainee, ["status": "employed", "in_field": "on"])
            #expect(missing.status == .unprocessableEntity)
            for field in ["organisation", "started_on", "employment_type"] { #expect(missing.text.contains("data-field=\"\(field)\"")) }
            #expect(try await GraduateOutcome.query(on: app.db).count() == 0)
            let bad = try await staff.post(Self.base + "/" + trainee, ["status": "hired", "started_on": "2026-13-40"])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("data-field=\"status\""))

            let saved = try await staff.post(Self.base + "/" + trainee, [
                "status": "employed", "organisation": "Gwangju Data Lab", "role": "ML engineer", "started_on": "2026-08-01",
                "employment_type": "full_time", "in_field": "on", "salary_band": "30_40m", "verified": "on", "chosen_path": "employment",
            ])
            #expect(saved.status == .seeOther)
            let outcome = try #require(try await GraduateOutcome.query(on: app.db).first())
            #expect(outcome.status == .employed && outcome.cirr == .c1A && outcome.verified && outcome.salaryBand == .from30to40m)
            #expect(try await staff.get(Self.base).text.contains("1 of 1 graduates employed, founded a start-up or in graduate school (100.0%)"))

            #expect(try await staff.post(Self.base + "/snapshots", ["point": "6m"]).status == .seeOther)
            #expect(try await staff.post(Self.base + "/snapshots", ["point": "6m"]).status == .conflict)
            #expect(try await staff.post(Self.base + "/snapshots", ["point": "9m"]).status == .unprocessableEntity)

            // The graduate lost the job: now still looking, and the employer goes with it.
            #expect(try await staff.post(Self.base + "/" + trainee, ["status": "still_looking", "organisation": "Gwangju Data Lab"]).status == .seeOther)
            let corrected = try #require(try await GraduateOutcome.query(on: app.db).first())
            #expect(corrected.organisation == nil && corrected.cirr == .c4A && !corrected.verified)

            let figures = try #require(try await Self.json(staff).cohorts.first)
            #expect(figures.outcomes.map(\.label) == ["current", "6m"])
            #expect(figures.outcomes[0].placed == 0 && figures.outcomes[0].employmentRate == 0)
            #expect(figures.outcomes[1].placed == 1 && figures.outcomes[1].employmentRate == 100 && figures.outcomes[1].byCIRR["1A"] == 1)

            let csv = try await staff.get(Self.base + "/csv")
            #expect(csv.text.hasPrefix("\u{FEFF}name,email,status,cirr"))
            #expect(csv.text.contains("\(Seed.Who.trainee.email),still_looking,4A"))
            let actions = try await AuditEvent.query(on: app.db).filter(\.$action ~~ ["careers.outcome_saved", "careers.snapshot_frozen", "careers.outcomes_exported"]).all()
            #expect(actions.filter { $0.action == "careers.outcome_saved" }.count == 2 && actions.count == 4)
        }
    }

    @Test("the report counts applicants, admits from the home region, completion and outcomes from the records, in HTML, CSV, JSON and a PDF in both languages")
    func report() async throws {
        try await TestApp.withApp { app in
            let (seed, staff, trainee) = try await Self.graduate(app)
            let unset = try await staff.get(Self.report)
            #expect(unset.status == .ok && unset.text.contains("id=\"home-region-unset\""))
            #expect(try await staff.post(Self.report + "/home-region", ["home_region": "atlantis"]).status == .unprocessableEntity)
            #expect(try await staff.post(Self.report + "/home-region", ["home_region": "Gwangju"]).status == .seeOther)
            _ = try await staff.post(Self.base + "/" + trainee, ["status": "start_up", "organisation": "Cadet Labs", "started_on": "2026-07-01", "in_field": "on"])

            let applicants = try await Applicant.query(on: app.db).filter(\.$round.$id == seed.alphaRound.id!).filter(\.$stage != .draft).count()
            let trainees = try await ClassMember.query(on: app.db).filter(\.$cohort.$id == seed.alphaCohort.id!).count()
            let report = try await Self.json(staff)
            #expect(report.homeRegion == .gwangju)
            let c = try #require(report.cohorts.first)
            #expect(c.applicants.total == applicants && c.capacity == 2 && c.competitionRatio == RecruitmentReport.ratio(applicants: applicants, capacity: 2))
            #expect(c.admitted == 1 && c.admittedLocal == 1 && c.localShare == 100)
            #expect(c.trainees == trainees && c.completers == 1 && c.completionRate == FunderReport.percent(1, of: trainees))
            #expect(c.current?.byStatus["start_up"] == 1 && c.current?.byCIRR["1C"] == 1 && c.current?.employmentRate == 100)

            let page = try await staff.get(Self.report + "?cohort=a1")
            #expect(page.status == .ok && page.text.contains("<svg") && page.text.contains("data-figure=\"admitted_local\"") && page.text.contains("100.0%"))
            #expect(try await staff.get(Self.report + "?cohort=zz9").status == .notFound)
            staff.acceptLanguage = "ko"
            #expect(try await staff.get(Self.report).text.contains("성과 보고서"))

            let csv = try await staff.get(Self.report + ".csv")
            #expect(csv.text.hasPrefix("\u{FEFF}programme,cohort,snapshot") && csv.text.contains("\r\nalpha,a1,current,,2,\(applicants),"))
            #expect(csv.text.contains("\r\nalpha,TOTAL,current"))
            let pdf = try await staff.get(Self.report + ".pdf")
            let bytes = Data(pdf.body.readableBytesView)
            #expect(pdf.headers.contentType?.subType == "pdf" && bytes.starts(with: Data("%PDF-".utf8)))
            let text = try Tool.withFile(bytes, suffix: ".pdf") { try Tool.run("/usr/bin/pdftotext", [$0, "-"]) }.output
            #expect(text.contains("성과 보고서") && text.contains("Funder's report") && text.contains("Alpha Academy") && text.contains("100.0%"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "careers.report_exported").count() == 3)
        }
    }

    @Test("evidence of an outcome is a PDF or an image, checked by its content; staff download it, a replaced one is removed; a text file is refused by name")
    func evidence() async throws {
        try await TestApp.withApp { app in
            let (seed, staff, trainee) = try await Self.graduate(app)
            let form = ["status": "employed", "organisation": "Mudeung AI", "started_on": "2026-08-01", "employment_type": "full_time", "in_field": "on"]
            let pdf = Data("%PDF-1.4\n% offer letter\n%%EOF\n".utf8)
            let refused = try await Multipart.upload(staff, Self.base + "/" + trainee, filename: "offer.pdf", data: Data("just text".utf8), field: "evidence", fields: form)
            #expect(refused.status == .unprocessableEntity && refused.text.contains("data-field=\"evidence\""))
            #expect(try await GraduateOutcome.query(on: app.db).count() == 0)
            #expect(try await Multipart.upload(staff, Self.base + "/" + trainee, filename: "../offer letter.pdf", data: pdf, field: "evidence", fields: form).status == .seeOther)
            let first = try #require(try await GraduateOutcome.query(on: app.db).first())
            #expect(first.evidenceName == "offer letter.pdf" && first.evidenceType == "application/pdf" && first.status == .employed)
            let download = try await staff.get(Self.base + "/" + trainee + "/evidence")
            #expect(download.status == .ok && Data(download.body.readableBytesView) == pdf && download.headers.first(name: .cacheControl)?.contains("no-store") == true)
            #expect(try await staff.get(Self.base + "/" + trainee).text.contains("id=\"current-evidence\""))
            // A new file replaces the old one, which leaves the store.
            let store = DocumentStore(app)
            let old = try #require(first.evidenceStorage)
            #expect(try await Multipart.upload(staff, Self.base + "/" + trainee, filename: "contract.pdf", data: pdf + Data("more".utf8), field: "evidence", fields: form).status == .seeOther)
            let replaced = try await GraduateOutcome.query(on: app.db).first()
            #expect(store.read(old) == nil && replaced?.evidenceName == "contract.pdf")
            // Saving without a file keeps the evidence.
            #expect(try await staff.post(Self.base + "/" + trainee, form).status == .seeOther)
            #expect(try await GraduateOutcome.query(on: app.db).first()?.evidenceName == "contract.pdf")
            #expect(try await (try await seed.browser(.instructor, app: app)).get(Self.base + "/" + trainee + "/evidence").status == .forbidden)
        }
    }

    @Test("a follow-up e-mail carries a link the graduate answers without signing in, never as verified; a forged or expired link shows nothing")
    func followUps() async throws {
        try await TestApp.withApp { app in
            let (_, staff, _) = try await Self.graduate(app)
            let clock = FixedClock(Date())
            app.clock = clock
            #expect(try await staff.post(Self.base + "/follow-ups", ["point": "3m"]).location?.contains("notice.follow_ups_sent") == true)
            #expect(try await staff.post(Self.base + "/follow-ups", ["point": "3m"]).location?.contains("notice.follow_ups_none") == true)
            let message = try #require(try await OutboxMessage.query(on: app.db).filter(\.$kind == "outcome_follow_up").first())
            #expect(message.recipient == Seed.Who.trainee.email && message.body.contains("로그인 없이") && message.body.contains("without signing in"))
            let range = try #require(message.body.range(of: #"/outcome-update/[A-Za-z0-9_-]+"#, options: .regularExpression))
            let link = String(message.body[range])

            let stranger = Browser(app)
            stranger.acceptLanguage = "ko"
            let page = try await stranger.get(link)
            #expect(page.status == .ok && page.text.contains("지금 어떻게 지내시나요?") && page.headers.first(name: "Referrer-Policy") == "no-referrer")
            let missing = try await stranger.post(link, ["status": "employed"])
            #expect(missing.status == .unprocessableEntity && missing.text.contains("data-field=\"organisation\""))
            let answered = try await stranger.post(link, ["status": "employed", "organisation": "Mudeung AI", "started_on": "2026-09-01",
                                                          "employment_type": "full_time", "in_field": "on", "verified": "on"])
            #expect(answered.status == .ok && answered.text.contains("id=\"follow-up-thanks\""))
            let outcome = try #require(try await GraduateOutcome.query(on: app.db).first())
            #expect(outcome.status == .employed && outcome.organisation == "Mudeung AI" && !outcome.verified && outcome.updatedBy == Seed.Who.trainee.email)
            #expect(try await OutcomeFollowUp.query(on: app.db).first()?.answeredAt != nil)

            let forged = String(link.dropLast()) + (link.hasSuffix("A") ? "B" : "A")
            #expect(try await stranger.get(forged).status == .notFound)
            #expect(try await stranger.post(forged, ["status": "still_looking"]).status == .notFound)
            clock.set(Date().addingTimeInterval(31 * 24 * 3600))
            #expect(try await stranger.get(link).status == .notFound)
            #expect(try await stranger.post(link, ["status": "still_looking"]).status == .notFound)
            #expect(try await GraduateOutcome.query(on: app.db).first()?.status == .employed)
        }
    }

    @Test("hiring partners: a company, its agreement and posting refuse bad input by field; the trainee applies; placed records the graduate's outcome and ends the line")
    func hiring() async throws {
        try await TestApp.withApp { app in
            let (seed, staff, _) = try await Self.graduate(app)
            let companies = "/programmes/alpha/companies"
            let bad = try await staff.post(companies, ["name": "Mudeung AI", "contact_email": "not-an-address"])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("data-field=\"contact_email\""))
            let added = try await staff.post(companies, ["name": "Mudeung AI", "contact_name": "Kim", "contact_email": "HR@Mudeung.example", "region": "Gwangju"])
            let company = try #require(added.location?.components(separatedBy: "?").first)
            #expect(try await staff.post(companies, ["name": "Mudeung AI"]).status == .unprocessableEntity)
            let backwards = try await staff.post(company + "/agreements", ["signed_on": "2026-05-01", "ends_on": "2026-04-01", "headcount": "3"])
            #expect(backwards.status == .unprocessableEntity && backwards.text.contains("data-field=\"ends_on\""))
            #expect(try await staff.post(company + "/agreements", ["signed_on": "2026-01-05", "headcount": "3"]).status == .seeOther)
            #expect(try await staff.post(company + "/postings", ["title": "ML engineer"]).status == .unprocessableEntity)
            let posted = try await staff.post(company + "/postings", ["title": "ML engineer", "description": "Models", "closes_on": "2099-12-31"])
            let postingPath = try #require(posted.location?.components(separatedBy: "?").first)
            let posting = try #require(try await JobPosting.query(on: app.db).first())
            #expect(try await Company.query(on: app.db).first()?.contactEmail == "hr@mudeung.example")

            let report = try await Self.json(staff)
            #expect(report.totals.partnerCompanies == 1 && report.cohorts.first?.agreements == 1)

            // The trainee (a graduate of a1) sees the posting and applies; an outsider cannot.
            let trainee = try await seed.browser(.trainee, app: app)
            trainee.acceptLanguage = "en"
            #expect(try await trainee.get("/jobs").text.contains("ML engineer"))
            let jobID = posting.id!.uuidString.lowercased()
            #expect(try await trainee.post("/jobs/\(jobID)/apply").status == .seeOther)
            #expect(try await trainee.post("/jobs/\(jobID)/apply").status == .seeOther)
            #expect(try await trainee.get("/jobs").text.contains("Your application · Applied"))
            #expect(try await (try await seed.browser(.outsider, app: app)).post("/jobs/\(jobID)/apply").status == .notFound)
            #expect(try await Placement.query(on: app.db).count() == 1)
            let stranger = try await staff.post(postingPath + "/candidates", ["email": Seed.Who.outsider.email])
            #expect(stranger.status == .unprocessableEntity && stranger.text.contains(Seed.Who.outsider.email))

            let placement = try #require(try await Placement.query(on: app.db).first())
            let move = postingPath + "/placements/" + placement.id!.uuidString.lowercased()
            #expect(try await staff.post(move, ["stage": "interviewing", "note": "first interview"]).status == .seeOther)
            #expect(try await staff.post(move, ["stage": "hired"]).status == .unprocessableEntity)
            let placed = try await staff.post(move, ["stage": "placed", "note": "signed", "starts_on": "2026-09-01"])
            #expect(placed.location?.contains("notice.placed_outcome_recorded") == true)
            let outcome = try #require(try await GraduateOutcome.query(on: app.db).first())
            #expect(outcome.status == .employed && outcome.organisation == "Mudeung AI" && outcome.startedOn == "2026-09-01" && outcome.cirr == .c1A)
            #expect(try await staff.post(move, ["stage": "declined"]).status == .conflict)
            #expect(try await Placement.query(on: app.db).first()?.notes.contains("placed: signed") == true)
            #expect(try await staff.get("/programmes/beta/companies").status == .forbidden)
            #expect(try await staff.get("/programmes/alpha/postings/\(UUID().uuidString)").status == .notFound)
        }
    }

    @Test("a recruit day's slots are booked by trainees, one per company, and never twice when two press at once")
    func recruitDays() async throws {
        try await TestApp.withApp { app in
            var (seed, staff, _) = try await Self.graduate(app)
            try await seed.plantHiring(app: app)
            let base = "/programmes/alpha/recruit-days"
            let missing = try await staff.post(base, ["title": "Job fair", "day": "2099-03-02"])
            #expect(missing.status == .unprocessableEntity && missing.text.contains("data-field=\"place\""))
            let created = try await staff.post(base, ["title": "Job fair", "day": "2099-03-02", "place": "Hall B"])
            let dayPath = try #require(created.location?.components(separatedBy: "?").first)
            let company = seed.alphaCompany!.id!.uuidString
            let backwards = try await staff.post(dayPath + "/slots", ["company": company, "from": "11:00", "to": "10:00", "length": "20"])
            #expect(backwards.status == .unprocessableEntity && backwards.text.contains("data-field=\"to\""))
            #expect(try await staff.post(dayPath + "/slots", ["company": company, "from": "10:00", "to": "11:00", "length": "20"]).status == .seeOther)
            #expect(try await staff.post(dayPath + "/slots", ["company": company, "from": "10:00", "to": "11:00", "length": "20"]).status == .seeOther)
            let day = try #require(try await RecruitDay.query(on: app.db).filter(\.$title == "Job fair").first())
            let slots = try await InterviewSlot.query(on: app.db).filter(\.$recruitDay.$id == day.id!).sort(\.$startsAt).all()
            #expect(slots.count == 3)

            // A second trainee in the same class, to race the first.
            let rival = User(email: "rival@test.example", name: "Rival", passwordHash: try await PasswordHasher(app).hash(Seed.password), emailVerifiedAt: Date())
            try await rival.create(on: app.db)
            let member = ClassMember()
            member.$trainingClass.id = seed.alphaClass.id!
            member.$cohort.id = seed.alphaCohort.id!
            member.$user.id = rival.id!
            try await member.create(on: app.db)

            let trainee = try await seed.browser(.trainee, app: app)
            #expect(try await trainee.get("/jobs").text.contains("Job fair"))
            let booking = "/recruit-days/\(day.id!.uuidString.lowercased())"
            #expect(try await trainee.get(booking).text.components(separatedBy: "/book\"").count - 1 == 3)
            let first = slots[0].id!.uuidString.lowercased()
            let other = Browser(app)
            try await other.signIn("rival@test.example", password: Seed.password)
            async let a = trainee.post(booking + "/slots/\(first)/book")
            async let b = other.post(booking + "/slots/\(first)/book")
            let statuses = [try await a.status, try await b.status]
            #expect(statuses.filter { $0 == .seeOther }.count == 1 && statuses.filter { $0 == .conflict }.count == 1, "\(statuses)")
            let holder = try #require(try await InterviewSlot.find(slots[0].id, on: app.db)?.$trainee.id)
            let (winner, loser) = holder == rival.id ? (other, trainee) : (trainee, other)
            let loserName = holder == rival.id ? "Test trainee" : "Rival"
            #expect(try await winner.post(booking + "/slots/\(slots[1].id!.uuidString.lowercased())/book").status == .conflict)
            #expect(try await loser.post(booking + "/slots/\(slots[1].id!.uuidString.lowercased())/book").status == .seeOther)
            #expect(try await winner.get(booking).text.contains("data-mine=\"yes\""))
            #expect(try await winner.post(booking + "/slots/\(first)/cancel").status == .seeOther)
            #expect(try await InterviewSlot.find(slots[0].id, on: app.db)?.$trainee.id == nil)
            // Cancelling someone else's booking does nothing.
            #expect(try await winner.post(booking + "/slots/\(slots[1].id!.uuidString.lowercased())/cancel").status == .seeOther)
            #expect(try await InterviewSlot.find(slots[1].id, on: app.db)?.$trainee.id != nil)
            #expect(try await (try await seed.browser(.outsider, app: app)).get(booking).status == .notFound)
            // Staff see who holds each slot by name.
            let holders = try await staff.get(dayPath).text
            #expect(holders.contains(loserName) && holders.components(separatedBy: "free").count - 1 == 2)
        }
    }

    @Test("only staff of the programme keep outcomes and read the report; a trainee who did not complete has no outcome")
    func access() async throws {
        try await TestApp.withApp { app in
            let (seed, staff, _) = try await Self.graduate(app)
            for who in [Seed.Who.instructor, .trainee, .company, .mentor] {
                let browser = try await seed.browser(who, app: app)
                #expect(try await browser.get(Self.base).status == .forbidden, "\(who)")
                #expect(try await browser.get(Self.report).status == .forbidden, "\(who)")
            }
            #expect(try await staff.get("/programmes/beta/report").status == .forbidden)
            #expect(try await staff.get("/programmes/beta/cohorts/b1/outcomes").status == .forbidden)
            // Someone in the cohort's records who did not complete, and an id that is no one.
            let outsider = seed.users[.outsider]!.id!.uuidString.lowercased()
            #expect(try await staff.post(Self.base + "/" + outsider, ["status": "employed"]).status == .notFound)
            #expect(try await staff.get(Self.base + "/" + UUID().uuidString).status == .notFound)
            #expect(try await GraduateOutcome.query(on: app.db).count() == 0)
        }
    }
}
