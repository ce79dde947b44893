import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
@testable import CadetApp

@Suite("The demo academy in the database")
struct DemoTests {
    @Test("cohorts, classes and hours match the published figures, and the demo logins work")
    func publishedStructure() async throws {
        try await TestApp.withApp { app in
            _ = try await DemoLoader(database: app.db, hasher: PasswordHasher(app)).load()
            let gwangju = try #require(try await Programme.query(on: app.db).filter(\.$slug == "gwangju-ai").first())
            let cohorts = try await Cohort.query(on: app.db).filter(\.$programme.$id == gwangju.id!).sort(\.$startsOn).all()
            #expect(cohorts.map(\.capacity) == [180, 180, 330])
            #expect(cohorts.map(\.targetHours) == [960, 1_120, 1_300])
            let second = cohorts[1]
            let classes = try await TrainingClass.query(on: app.db).filter(\.$cohort.$id == second.id!).all()
            #expect(classes.count == 6)
            #expect(classes.allSatisfy { $0.$instructor.id != nil && $0.$assistant.id != nil })
            #expect(Set(classes.compactMap { $0.$instructor.id }).count == 6)
            #expect(try await ClassMember.query(on: app.db).filter(\.$cohort.$id == second.id!).count() == 180)
            let phases = try await CohortPhase.query(on: app.db).filter(\.$cohort.$id == second.id!).all()
            #expect(phases.map(\.hours).reduce(0, +) == 1_120)

            let kaist = try #require(try await Programme.query(on: app.db).filter(\.$slug == "kaist-mle").first())
            let bootcamp = try #require(try await Cohort.query(on: app.db).filter(\.$programme.$id == kaist.id!).first())
            #expect(bootcamp.capacity == 25 && bootcamp.targetHours == 320 && bootcamp.startsOn == "2022-05-09" && bootcamp.endsOn == "2022-07-05")

            for login in DemoAcademy.build().logins {
                try await Browser(app).signIn(login.person.email, password: DemoAcademy.password)
            }
        }
    }

    @Test("the demo operator sees the cohort page in Korean and in English")
    func cohortPageBothLanguages() async throws {
        try await TestApp.withApp { app in
            _ = try await DemoLoader(database: app.db, hasher: PasswordHasher(app)).load()
            let browser = Browser(app)
            try await browser.signIn("operator@cadet.example", password: DemoAcademy.password)
            browser.acceptLanguage = "ko"
            let korean = try await browser.get("/programmes/gwangju-ai/cohorts/c2").text
            #expect(korean.contains("교육기간") && korean.contains("정원") && korean.contains("180명") && korean.contains("1120시간"))
            browser.acceptLanguage = "en"
            let english = try await browser.get("/programmes/gwangju-ai/cohorts/c2").text
            #expect(english.contains("Period") && english.contains("Capacity") && english.contains("180 places") && english.contains("1120 hours"))
        }
    }
}
