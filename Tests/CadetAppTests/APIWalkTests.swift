import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

/// Walks every API operation with tokens of every kind against a programme they cover (alpha)
/// and one they do not (beta), as the page walk does with roles: a token's scope, its access
/// and its holder's roles must each be enough, and none may be exceeded.
@Suite("The API: every operation with every kind of token")
struct APIWalkTests {
    enum Holder: String, CaseIterable, CustomTestStringConvertible, Sendable {
        /// The operator's personal tokens, narrowed to alpha.
        case operatorWrite, operatorRead
        /// Alpha's programme staff.
        case staffWrite, staffRead
        /// A service account for alpha.
        case serviceWrite
        /// The trainee (a cohort role only) with a write token.
        case traineeWrite
        case revoked, expired, none
        var testDescription: String { rawValue }

        var isStaff: Bool { [.operatorWrite, .operatorRead, .staffWrite, .staffRead, .serviceWrite].contains(self) }
        var writes: Bool { [.operatorWrite, .staffWrite, .serviceWrite, .traineeWrite].contains(self) }
        var valid: Bool { ![.revoked, .expired, .none].contains(self) }
    }

    /// Who gets through, per operation, on alpha (beta is nobody's for every token here).
    enum Rule {
        case anyToken
        case staffRead
        case staffWrite
        /// Everything alpha's people may see: the programme, its cohorts.
        case member

        func allows(_ holder: Holder) -> Bool {
            switch self {
            case .anyToken, .member: holder.valid
            case .staffRead: holder.valid && holder.isStaff
            case .staffWrite: holder.valid && holder.isStaff && holder.writes
            }
        }
    }

    static let rules: [String: Rule] = [
        "GET /api/v1/openapi.json": .anyToken,
        "GET /api/v1/me": .anyToken,
        "GET /api/v1/programmes": .anyToken,
        "GET /api/v1/programmes/:programme": .member,
        "GET /api/v1/programmes/:programme/cohorts": .member,
        "GET /api/v1/programmes/:programme/cohorts/:cohort": .member,
        "GET /api/v1/programmes/:programme/cohorts/:cohort/classes": .staffRead,
        "GET /api/v1/people": .staffRead,
        "GET /api/v1/people/:person": .staffRead,
        "POST /api/v1/people/:person/roles": .staffWrite,
        "DELETE /api/v1/people/:person/roles/:grant": .staffWrite,
        "GET /api/v1/programmes/:programme/cohorts/:cohort/applications": .staffRead,
        "GET /api/v1/programmes/:programme/cohorts/:cohort/applications/:application": .staffRead,
        "POST /api/v1/programmes/:programme/cohorts/:cohort/applications/:application/stage": .staffWrite,
        "GET /api/v1/programmes/:programme/cohorts/:cohort/exam/results": .staffRead,
        "GET /api/v1/programmes/:programme/cohorts/:cohort/sessions": .staffRead,
        "GET /api/v1/programmes/:programme/cohorts/:cohort/sessions/:session/attendance": .staffRead,
        "PUT /api/v1/programmes/:programme/cohorts/:cohort/sessions/:session/attendance/:trainee": .staffWrite,
        "GET /api/v1/programmes/:programme/cohorts/:cohort/ledger": .staffRead,
        "GET /api/v1/programmes/:programme/cohorts/:cohort/completion": .staffRead,
        "POST /api/v1/programmes/:programme/cohorts/:cohort/completion/runs": .staffWrite,
        "GET /api/v1/programmes/:programme/cohorts/:cohort/certificates": .staffRead,
        "GET /api/v1/programmes/:programme/cohorts/:cohort/settlement": .staffRead,
    ]

    static let refusals: Set<String> = ["access.forbidden", "access.sign_in_required", "api.read_only", "api.token_required", "api.token_invalid"]

    /// Tokens for each holder, all scoped to alpha's programme (the trainee's to alpha's cohort).
    static func tokens(_ seed: Seed, _ app: Application) async throws -> [Holder: String] {
        let service = APITokenService(database: app.db, actor: Actor(userID: nil, label: "test"))
        let alpha = "programme:\(seed.alpha.id!.uuidString)"
        let operatorPolicy = AccessPolicy(grants: [Grant(.operator, .academy)])
        func make(_ kind: APITokenKind, _ who: Seed.Who, _ access: APIAccessLevel, scope: String = alpha, days: Int? = nil) async throws -> (String, APIToken) {
            let policy = try await AccessPolicy(grants: RoleQueries.grants(of: seed.users[who]!.id!, on: app.db))
            let made = try await service.create(.init(name: "\(who)", kind: kind, scope: scope, access: access, expiresInDays: days), by: seed.users[who]!,
                                                policy: kind == .service ? operatorPolicy : policy)
            return (made.token, made.record)
        }
        var tokens: [Holder: String] = [:]
        tokens[.operatorWrite] = try await make(.personal, .operator, .write).0
        tokens[.operatorRead] = try await make(.personal, .operator, .read).0
        tokens[.staffWrite] = try await make(.personal, .staff, .write).0
        tokens[.staffRead] = try await make(.personal, .staff, .read).0
        tokens[.serviceWrite] = try await make(.service, .operator, .write).0
        tokens[.traineeWrite] = try await make(.personal, .trainee, .write, scope: "cohort:\(seed.alphaCohort.id!.uuidString)").0
        let (revoked, record) = try await make(.personal, .staff, .write)
        try await service.revoke(record)
        tokens[.revoked] = revoked
        let (expired, old) = try await make(.personal, .staff, .write, days: 1)
        old.expiresAt = Date().addingTimeInterval(-1)
        try await old.update(on: app.db)
        tokens[.expired] = expired
        return tokens
    }

    /// Submitted applications, so that staff see them through the API.
    static func submit(_ seed: Seed, _ app: Application) async throws {
        for (index, applicant) in [seed.alphaApplication!, seed.betaApplication!].enumerated() {
            applicant.stage = .submitted
            applicant.number = index + 1
            applicant.submittedAt = Date()
            try await applicant.update(on: app.db)
        }
    }

    static func body(for pattern: String, seed: Seed) -> String? {
        if pattern.hasSuffix("/roles") { return #"{"role": "mentor", "scope": {"kind": "programme", "programme": "alpha"}}"# }
        if pattern.hasSuffix("/stage") { return #"{"stage": "documents_passed"}"# }
        if pattern.hasSuffix("/attendance/:trainee") { return #"{"status": "present"}"# }
        return nil
    }

    @Test("each token is refused exactly where its scope, access or holder falls short", arguments: Holder.allCases)
    func walk(_ holder: Holder) async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            try await Self.submit(seed, app)
            let tokens = try await Self.tokens(seed, app)
            for route in app.routes.all where route.path.first?.description == "api" {
                let pattern = "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
                let rule = try #require(Self.rules[pattern], "no rule for \(pattern)")
                let public_ = pattern.hasSuffix("openapi.json")
                for (target, onTarget) in [("alpha", true), ("beta", false)] {
                    let path = AuthorizationWalkTests.concrete(route.path.map(\.description), target: target, seed: seed)
                    var headers = HTTPHeaders()
                    if let token = tokens[holder] { headers.bearerAuthorization = BearerAuthorization(token: token) }
                    let body = Self.body(for: pattern, seed: seed)
                    if body != nil { headers.contentType = .json }
                    let response = try await app.testing().performTest(request: TestingHTTPRequest(
                        method: route.method, url: URI(path: path), headers: headers, body: ByteBuffer(string: body ?? "")))
                    #expect(response.status.code < 500, "\(holder) \(pattern) on \(target): \(response.status) \(response.body.string.prefix(300))")
                    // Operations without a programme in their path are not about alpha or beta.
                    let scoped = route.path.contains { $0.description == ":programme" } || route.path.contains { $0.description == ":person" }
                    let allowed = public_ || (rule.allows(holder) && (onTarget || !scoped))
                    let refused = response.errorCode.map(Self.refusals.contains) ?? false
                    #expect(refused == !allowed, "\(holder) \(pattern) on \(target): \(response.status) \(response.errorCode ?? "")")
                    if refused { #expect([.forbidden, .unauthorized].contains(response.status)) }
                    // What is allowed also works (a second move of the same application may find it moved already).
                    if allowed { #expect(response.status.code < 300 || response.status == .conflict, "\(holder) \(pattern) on \(target): \(response.status) \(response.body.string.prefix(200))") }
                }
            }
            #expect(MissingKeys.shared.all.isEmpty, "keys shown raw: \(MissingKeys.shared.all.sorted())")
        }
    }
}

extension Application {
    /// An API request with a bearer token, for tests.
    func api(_ method: HTTPMethod, _ path: String, token: String?, json: String? = nil, headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = extra
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        if json != nil { headers.contentType = .json }
        return try await testing().performTest(request: TestingHTTPRequest(method: method, url: URI(path: path), headers: headers, body: ByteBuffer(string: json ?? "")))
    }
}
