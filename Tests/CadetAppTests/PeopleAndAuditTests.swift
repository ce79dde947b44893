import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

@Suite("People, roles and the audit log")
struct PeopleAndAuditTests {
    @Test("programme staff add a person to their programme; the person gets an invitation")
    func addPerson() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.staff, app: app)
            let scope = "cohort:\(seed.alphaCohort.id!.uuidString.lowercased())"
            let response = try await browser.post("/people", ["name": "박서연", "email": "seoyeon@example.org", "role": "mentor", "scope": scope])
            #expect(response.status == .seeOther)
            let person = try #require(try await User.query(on: app.db).filter(\.$email == "seoyeon@example.org").first())
            #expect(person.passwordHash == nil)
            #expect(try await RoleQueries.grants(of: person.id!, on: app.db).map(\.role) == [.mentor])
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "seoyeon@example.org").filter(\.$kind == "invitation").count() == 1)
        }
    }

    @Test("programme staff cannot grant in another programme, nor make operators")
    func grantLimits() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.staff, app: app)
            let person = "/people/\(seed.alphaVictim.id!.uuidString.lowercased())"
            let beta = "cohort:\(seed.betaCohort.id!.uuidString.lowercased())"
            #expect(try await browser.post(person + "/roles", ["role": "mentor", "scope": beta]).status == .forbidden)
            #expect(try await browser.post(person + "/roles", ["role": "operator", "scope": "academy"]).status == .forbidden)
            let alpha = "programme:\(seed.alpha.id!.uuidString.lowercased())"
            #expect(try await browser.post(person + "/roles", ["role": "instructor", "scope": alpha]).status == .seeOther)
            #expect(try await browser.post(person + "/roles", ["role": "wizard", "scope": alpha]).status == .unprocessableEntity)
            let roles = try await RoleQueries.grants(of: seed.alphaVictim.id!, on: app.db).map(\.role)
            #expect(Set(roles) == [.mentor, .instructor])
        }
    }

    @Test("revoking a role is audited with what was held")
    func revoke() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.operator, app: app)
            let path = "/people/\(seed.alphaVictim.id!.uuidString.lowercased())/roles/\(seed.alphaVictimGrant.id!.uuidString)/delete"
            #expect(try await browser.post(path).status == .seeOther)
            #expect(try await RoleGrant.find(seed.alphaVictimGrant.id, on: app.db) == nil)
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "role.revoked").first())
            #expect(event.beforeJSON?.contains("mentor") == true)
        }
    }

    @Test("programme staff see only their programmes' events in the audit log; filters narrow it")
    func auditScope() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let staff = try await seed.browser(.staff, app: app).get("/audit?entity=cohort").text
            #expect(staff.contains("alpha/a1") && !staff.contains("beta/b1"))
            let op = try await seed.browser(.operator, app: app).get("/audit?entity=cohort").text
            #expect(op.contains("alpha/a1") && op.contains("beta/b1"))
            let filtered = try await seed.browser(.operator, app: app).get("/audit?programme=\(seed.beta.id!.uuidString)&entity=cohort").text
            #expect(!filtered.contains("alpha/a1") && filtered.contains("beta/b1"))
            let future = try await seed.browser(.operator, app: app).get("/audit?from=2099-01-01").text
            #expect(!future.contains("alpha/a1"))
        }
    }

    @Test("the people list searches and stays inside the reader's programmes")
    func peopleList() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let staff = try await seed.browser(.staff, app: app).get("/people?q=victim").text
            #expect(staff.contains("alpha.victim@test.example") && !staff.contains("beta.victim@test.example"))
            let op = try await seed.browser(.operator, app: app).get("/people?q=victim").text
            #expect(op.contains("alpha.victim@test.example") && op.contains("beta.victim@test.example"))
        }
    }
}
