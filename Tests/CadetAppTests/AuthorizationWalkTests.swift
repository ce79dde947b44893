import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

/// Walks every route with every role (and anonymous) against both programmes and checks who is
/// refused. Roles are held only on alpha, so on beta only the operator gets in.
@Suite("Authorisation on every route")
struct AuthorizationWalkTests {
    typealias Who = Seed.Who

    static let everyone = Set(Who.allCases)
    static let signedIn = everyone.subtracting([.anonymous])
    static let alphaRoles: Set<Who> = [.operator, .staff, .instructor, .assistant, .mentor, .committee, .company, .trainee]
    static let staff: Set<Who> = [.operator, .staff]
    static let roster: Set<Who> = [.operator, .staff, .instructor, .assistant]

    /// Who gets through on alpha and on beta, per route.
    struct Rule {
        let alpha: Set<Who>
        let beta: Set<Who>

        static func same(_ who: Set<Who>) -> Rule { Rule(alpha: who, beta: who) }
        static func scoped(_ who: Set<Who>) -> Rule { Rule(alpha: who, beta: [.operator]) }
    }

    static let rules: [String: Rule] = [
        "GET /": .same(everyone),
        "GET /healthz": .same(everyone),
        "GET /metrics": .same(everyone),
        "GET /assets/:file": .same(everyone),
        "GET /signin": .same(everyone),
        "POST /signin": .same(everyone),
        "GET /signup": .same(everyone),
        "POST /signup": .same(everyone),
        "POST /signout": .same(everyone),
        "POST /language": .same(everyone),
        "GET /password/forgot": .same(everyone),
        "POST /password/forgot": .same(everyone),
        "GET /password/reset": .same(everyone),
        "POST /password/reset": .same(everyone),
        "GET /account": .same(signedIn),
        "POST /account/password": .same(signedIn),
        "GET /outbox": .same([.operator]),
        "GET /programmes": .same(signedIn),
        "GET /programmes/new": .same([.operator]),
        "POST /programmes": .same([.operator]),
        "GET /programmes/:programme": .scoped(alphaRoles),
        "GET /programmes/:programme/edit": .scoped(staff),
        "POST /programmes/:programme": .scoped(staff),
        "GET /programmes/:programme/cohorts/new": .scoped(staff),
        "POST /programmes/:programme/cohorts": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort": .scoped(alphaRoles),
        "GET /programmes/:programme/cohorts/:cohort/edit": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/phases": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/phases/:phase/delete": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/classes": .scoped(staff),
        "GET /programmes/:programme/cohorts/:cohort/classes/:class": .scoped(roster),
        "POST /programmes/:programme/cohorts/:cohort/classes/:class": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/classes/:class/trainees": .scoped(staff),
        "POST /programmes/:programme/cohorts/:cohort/classes/:class/trainees/:person/delete": .scoped(staff),
        // People pages are for staff: programme staff see alpha's people, not beta's.
        "GET /people": .same(staff),
        "GET /people/new": .same(staff),
        "POST /people": .same(staff),
        "GET /people/:person": .scoped(staff),
        "POST /people/:person/roles": .scoped(staff),
        "POST /people/:person/roles/:grant/delete": .scoped(staff),
        "GET /audit": .same(staff),
    ]

    @Test("every route has a rule, so a new route cannot skip this walk")
    func everyRouteIsListed() async throws {
        try await TestApp.withApp { app in
            let routes = Set(app.routes.all.map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") })
            #expect(routes == Set(Self.rules.keys), "unlisted: \(routes.subtracting(Self.rules.keys)); stale: \(Set(Self.rules.keys).subtracting(routes))")
        }
    }

    @Test("each role is refused exactly where it has no right", arguments: Who.allCases)
    func walk(_ who: Who) async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            for route in app.routes.all {
                let pattern = "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
                let rule = try #require(Self.rules[pattern], "no rule for \(pattern)")
                for (target, allowed) in [("alpha", rule.alpha), ("beta", rule.beta)] {
                    let path = Self.concrete(route.path.map(\.description), target: target, seed: seed)
                    // A fresh session for every request: some routes sign out or revoke roles.
                    let browser = try await seed.browser(who, app: app)
                    browser.json = true
                    let response = route.method == .GET ? try await browser.get(path) : try await browser.post(path, [:])
                    let refused = response.errorCode == "access.forbidden" || response.errorCode == "access.sign_in_required"
                    #expect(refused == !allowed.contains(who), "\(who) \(route.method) \(path): \(response.status) \(response.errorCode ?? "")")
                    if refused {
                        #expect(response.status == .forbidden || response.status == .unauthorized)
                    }
                }
            }
        }
    }

    @Test("anonymous visitors asking for a page are sent to sign in, and come back after")
    func signInRedirect() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = Browser(app)
            let response = try await browser.get("/programmes/alpha")
            #expect(response.status == .seeOther)
            #expect(response.location == "/signin?next=/programmes/alpha")
            let signIn = try await browser.post("/signin", ["email": Who.staff.email, "password": Seed.password, "next": "/programmes/alpha"])
            #expect(signIn.location == "/programmes/alpha")
            #expect(try await browser.get("/programmes/alpha").text.contains(seed.alpha.name))
        }
    }

    static func concrete(_ components: [String], target: String, seed: Seed) -> String {
        let alpha = target == "alpha"
        let values: [String: String] = [
            ":programme": alpha ? "alpha" : "beta",
            ":cohort": alpha ? "a1" : "b1",
            ":class": (alpha ? seed.alphaClass : seed.betaClass).id!.uuidString.lowercased(),
            ":phase": (alpha ? seed.alphaPhase : seed.betaPhase).id!.uuidString,
            ":grant": (alpha ? seed.alphaVictimGrant : seed.betaVictimGrant).id!.uuidString,
            ":person": (alpha ? seed.alphaVictim : seed.betaVictim).id!.uuidString.lowercased(),
            ":file": "cadet.css",
        ]
        return "/" + components.map { values[$0] ?? $0 }.joined(separator: "/")
    }
}
