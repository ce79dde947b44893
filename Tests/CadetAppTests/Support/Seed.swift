import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
@testable import CadetApp

/// A small academy for tests: two programmes (alpha, beta), each with a cohort and a class, and
/// one person per role, all granted on alpha's cohort or programme. Nobody but the operator has
/// anything to do with beta.
struct Seed {
    static let password = "correct horse battery"

    enum Who: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case anonymous, `operator`, staff, instructor, assistant, mentor, committee, company, trainee, outsider
        var testDescription: String { rawValue }
        var email: String { "\(rawValue)@test.example" }
    }

    var users: [Who: User] = [:]
    var alpha: Programme!
    var beta: Programme!
    var alphaCohort: Cohort!
    var betaCohort: Cohort!
    var alphaClass: TrainingClass!
    var betaClass: TrainingClass!
    var alphaPhase: CohortPhase!
    var betaPhase: CohortPhase!
    /// People whose roles the role-granting routes act on.
    var alphaVictim: User!
    var betaVictim: User!
    var alphaVictimGrant: RoleGrant!
    var betaVictimGrant: RoleGrant!
    var betaTrainee: User!

    static func plant(in app: Application) async throws -> Seed {
        var seed = Seed()
        let db = app.db
        let actor = Actor(userID: nil, label: "seed")
        let hash = try await PasswordHasher(app).hash(password)
        for who in Who.allCases where who != .anonymous {
            let user = User(email: who.email, name: "Test \(who.rawValue)", passwordHash: hash)
            try await user.create(on: db)
            seed.users[who] = user
        }
        let programmes = ProgrammeService(database: db, actor: actor)
        seed.alpha = try await programmes.create(["slug": "alpha", "name": "Alpha Academy"])
        seed.beta = try await programmes.create(["slug": "beta", "name": "Beta Bootcamp"])
        let cohorts = CohortService(database: db, actor: actor)
        let cohortValues = ["name": "Cohort", "capacity": "30", "starts_on": "2026-03-02", "ends_on": "2026-06-26", "target_hours": "640"]
        seed.alphaCohort = try await cohorts.create(in: seed.alpha, cohortValues.merging(["slug": "a1"]) { $1 })
        seed.betaCohort = try await cohorts.create(in: seed.beta, cohortValues.merging(["slug": "b1"]) { $1 })
        try await cohorts.addPhase(to: seed.alphaCohort, ["name": "Basics", "hours": "320"])
        try await cohorts.addPhase(to: seed.betaCohort, ["name": "Basics", "hours": "320"])
        seed.alphaPhase = try await CohortPhase.query(on: db).filter(\.$cohort.$id == seed.alphaCohort.id!).first()
        seed.betaPhase = try await CohortPhase.query(on: db).filter(\.$cohort.$id == seed.betaCohort.id!).first()

        let roles = RoleService(database: db, actor: actor)
        let alphaScope = Scope.cohort(CohortID(seed.alphaCohort.id!), in: ProgrammeID(seed.alpha.id!))
        try await roles.ensure(.operator, for: seed.users[.operator]!.id!, at: .academy)
        try await roles.ensure(.programmeStaff, for: seed.users[.staff]!.id!, at: .programme(ProgrammeID(seed.alpha.id!)))
        try await roles.ensure(.mentor, for: seed.users[.mentor]!.id!, at: alphaScope)
        try await roles.ensure(.committeeMember, for: seed.users[.committee]!.id!, at: alphaScope)
        try await roles.ensure(.companyContact, for: seed.users[.company]!.id!, at: alphaScope)

        let classes = ClassService(database: db, actor: actor)
        seed.alphaClass = try await classes.create(in: seed.alphaCohort, ["name": "A", "instructor_email": Who.instructor.email, "assistant_email": Who.assistant.email])
        try await classes.addTrainee(email: Who.trainee.email, to: seed.alphaClass, in: seed.alphaCohort)

        let people = PeopleService(database: db, actor: actor)
        seed.betaTrainee = try await people.create(["name": "Beta Trainee", "email": "beta.trainee@test.example"])
        seed.betaClass = try await classes.create(in: seed.betaCohort, ["name": "B"])
        try await classes.addTrainee(email: seed.betaTrainee.email, to: seed.betaClass, in: seed.betaCohort)

        seed.alphaVictim = try await people.create(["name": "Alpha Victim", "email": "alpha.victim@test.example"])
        seed.betaVictim = try await people.create(["name": "Beta Victim", "email": "beta.victim@test.example"])
        try await roles.ensure(.mentor, for: seed.alphaVictim.id!, at: alphaScope)
        try await roles.ensure(.mentor, for: seed.betaVictim.id!, at: .cohort(CohortID(seed.betaCohort.id!), in: ProgrammeID(seed.beta.id!)))
        seed.alphaVictimGrant = try await RoleGrant.query(on: db).filter(\.$user.$id == seed.alphaVictim.id!).first()
        seed.betaVictimGrant = try await RoleGrant.query(on: db).filter(\.$user.$id == seed.betaVictim.id!).first()
        return seed
    }

    /// A browser signed in as `who` (or anonymous), with a session made directly in the database.
    func browser(_ who: Who, app: Application) async throws -> Browser {
        let browser = Browser(app)
        guard who != .anonymous, let user = users[who] else { return browser }
        let token = Tokens.random()
        try await UserSession(userID: user.id!, tokenHash: Tokens.sha256(token), expiresAt: Date().addingTimeInterval(3600),
                              address: nil, userAgent: nil).create(on: app.db)
        browser.cookies[SessionMiddleware.cookieName] = token
        return browser
    }
}
