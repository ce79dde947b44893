import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

@Suite("Programmes, cohorts, classes and their audit")
struct DirectoryTests {
    @Test("creating a programme records who did it and what it became")
    func createProgramme() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.operator, app: app)
            let response = try await browser.post("/programmes", ["slug": "gamma-ai", "name": "Gamma AI School", "description": "설명"])
            #expect(response.location?.hasPrefix("/programmes/gamma-ai") == true)
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "programme.created").filter(\.$summary == "gamma-ai").first())
            #expect(event.actorLabel == Seed.Who.operator.email)
            #expect(event.afterJSON?.contains("Gamma AI School") == true)
            #expect(event.requestID != nil)
        }
    }

    @Test("a bad cohort form names every bad field and changes nothing", arguments: ["ko", "en"])
    func badCohortForm(language: String) async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.staff, app: app)
            browser.acceptLanguage = language
            let before = try await Cohort.query(on: app.db).count()
            let events = try await AuditEvent.query(on: app.db).count()
            let response = try await browser.post("/programmes/alpha/cohorts", [
                "slug": "Bad Slug!", "name": "", "capacity": "many", "starts_on": "2026-02-30", "ends_on": "2026-01-01", "target_hours": "99999",
            ])
            #expect(response.status == .unprocessableEntity)
            let expected = language == "ko"
                ? ["이름: 필수 항목입니다.", "정원: 정수를 입력하세요.", "시작일: 날짜를 YYYY-MM-DD 형식으로 입력하세요.", "교육시간: 1에서 5000 사이의 수를 입력하세요."]
                : ["Name: this is required.", "Capacity: enter a whole number.", "Starts on: enter a date as YYYY-MM-DD.", "Training hours: enter a number from 1 to 5000."]
            for text in expected { #expect(response.text.contains(text), "missing: \(text)") }
            #expect(response.text.contains("data-field=\"slug\""))
            // What was typed comes back, so nothing has to be typed again.
            #expect(response.text.contains("value=\"many\""))
            #expect(try await Cohort.query(on: app.db).count() == before)
            #expect(try await AuditEvent.query(on: app.db).count() == events)
        }
    }

    @Test("the end date may not precede the start date")
    func datesInOrder() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.staff, app: app)
            browser.acceptLanguage = "en"
            let response = try await browser.post("/programmes/alpha/cohorts", ["slug": "a2", "name": "2", "capacity": "20", "starts_on": "2026-09-01", "ends_on": "2026-08-01"])
            #expect(response.text.contains("Ends on: must not be before Starts on."))
        }
    }

    @Test("a duplicate slug is refused, in a programme and in a cohort")
    func duplicateSlugs() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.operator, app: app)
            browser.acceptLanguage = "en"
            let programme = try await browser.post("/programmes", ["slug": "alpha", "name": "Another"])
            #expect(programme.status == .unprocessableEntity)
            #expect(programme.text.contains("Short name (slug): this is already in use."))
            let cohort = try await browser.post("/programmes/alpha/cohorts", ["slug": "a1", "name": "x", "capacity": "1", "starts_on": "2026-01-01", "ends_on": "2026-01-02"])
            #expect(cohort.status == .unprocessableEntity)
            // The same cohort slug in another programme is fine.
            let elsewhere = try await browser.post("/programmes/beta/cohorts", ["slug": "a1", "name": "x", "capacity": "1", "starts_on": "2026-01-01", "ends_on": "2026-01-02"])
            #expect(elsewhere.status == .seeOther)
        }
    }

    @Test("editing a cohort keeps its slug and audits before and after")
    func editCohort() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.staff, app: app)
            let response = try await browser.post("/programmes/alpha/cohorts/a1", ["slug": "hijacked", "name": "Cohort one", "capacity": "45",
                                                                                    "starts_on": "2026-03-02", "ends_on": "2026-07-31", "target_hours": "800"])
            #expect(response.status == .seeOther)
            let cohort = try #require(try await Cohort.find(seed.alphaCohort.id, on: app.db))
            #expect(cohort.slug == "a1" && cohort.capacity == 45 && cohort.targetHours == 800)
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "cohort.updated").first())
            #expect(event.beforeJSON?.contains("\"capacity\":30") == true)
            #expect(event.afterJSON?.contains("\"capacity\":45") == true)
        }
    }

    @Test("phases add up against the target hours on the cohort page")
    func phases() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.staff, app: app)
            browser.acceptLanguage = "en"
            #expect(try await browser.post("/programmes/alpha/cohorts/a1/phases", ["name": "Projects", "hours": "240"]).status == .seeOther)
            let page = try await browser.get("/programmes/alpha/cohorts/a1")
            #expect(page.text.contains("Projects"))
            #expect(page.text.contains("80 hours short of the target"))
            let bad = try await browser.post("/programmes/alpha/cohorts/a1/phases", ["name": "More", "hours": "-3"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("Hours: enter a number from 1 to 5000."))
        }
    }

    @Test("a class's instructor and TA get their roles; trainees join one class per cohort")
    func classes() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.staff, app: app)
            browser.acceptLanguage = "en"
            let created = try await browser.post("/programmes/alpha/cohorts/a1/classes", ["name": "B", "instructor_email": "mentor@test.example", "assistant_email": "company@test.example"])
            #expect(created.status == .seeOther)
            let grants = try await RoleQueries.grants(of: seed.users[.mentor]!.id!, on: app.db)
            #expect(grants.contains { $0.role == .instructor })

            let unknown = try await browser.post("/programmes/alpha/cohorts/a1/classes", ["name": "C", "instructor_email": "nobody@nowhere.example"])
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.text.contains("e-mail: no account uses this e-mail address."))

            let classB = try #require(try await TrainingClass.query(on: app.db).filter(\.$cohort.$id == seed.alphaCohort.id!).filter(\.$name == "B").first())
            let path = "/programmes/alpha/cohorts/a1/classes/\(classB.id!.uuidString.lowercased())"
            let moved = try await browser.post(path + "/trainees", ["email": Seed.Who.trainee.email])
            #expect(moved.status == .unprocessableEntity, "a trainee already in class A cannot join B too")
            #expect(try await browser.post(path + "/trainees", ["email": "outsider@test.example"]).status == .seeOther)
            #expect(try await browser.get(path).text.contains("outsider@test.example"))
            let outsider = seed.users[.outsider]!.id!
            #expect(try await browser.post(path + "/trainees/\(outsider.uuidString)/delete").status == .seeOther)
            #expect(try await ClassMember.query(on: app.db).filter(\.$user.$id == outsider).count() == 0)
        }
    }

    @Test("trainees see their cohort but not their classmates")
    func traineeView() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.trainee, app: app)
            let cohort = try await browser.get("/programmes/alpha/cohorts/a1")
            #expect(cohort.status == .ok)
            #expect(!cohort.text.contains("Test staff"))
            let classPage = try await browser.get("/programmes/alpha/cohorts/a1/classes/\(seed.alphaClass.id!.uuidString.lowercased())")
            #expect(classPage.status == .forbidden)
            #expect(try await browser.get("/people/\(seed.users[.trainee]!.id!.uuidString)").status == .ok)
            #expect(try await browser.get("/people/\(seed.users[.mentor]!.id!.uuidString)").status == .forbidden)
        }
    }

    @Test("the programme list shows only programmes one has a role in")
    func programmeList() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let staff = try await seed.browser(.staff, app: app).get("/programmes").text
            #expect(staff.contains("Alpha Academy") && !staff.contains("Beta Bootcamp"))
            let outsider = try await seed.browser(.outsider, app: app).get("/programmes").text
            #expect(!outsider.contains("Alpha Academy") && !outsider.contains("Beta Bootcamp"))
            let op = try await seed.browser(.operator, app: app).get("/programmes").text
            #expect(op.contains("Alpha Academy") && op.contains("Beta Bootcamp"))
        }
    }
}
