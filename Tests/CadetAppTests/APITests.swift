import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

@Suite("The API: description, tokens, paging, ETags, limits")
struct APITests {
    @Test("the OpenAPI document and the routes name the same operations")
    func specMatchesRoutes() async throws {
        try await TestApp.withApp { app in
            let response = try await app.api(.GET, "/api/v1/openapi.json", token: nil)
            #expect(response.status == .ok)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var described: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    let route = path.replacing(/\{([a-z_]+)\}/) { ":" + $0.1 }
                    described.insert("\(method.uppercased()) /api/v1\(route)")
                }
            }
            let routed = Set(app.routes.all.filter { $0.path.first?.description == "api" && $0.path.last?.description != "openapi.json" }
                .map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") })
            #expect(described == routed, "described only: \(described.subtracting(routed)); routed only: \(routed.subtracting(described))")
            // Every reference resolves.
            let text = response.body.string
            let components = try #require(document["components"] as? [String: [String: Any]])
            for match in text.matches(of: /"#\/components\/([a-zA-Z]+)\/([A-Za-z]+)"/) {
                #expect(components[String(match.1)]?[String(match.2)] != nil, "unresolved \(match.0)")
            }
        }
    }

    @Test("lists page with a cursor, in order, without repeats, and a broken cursor or limit is a clear 400")
    func cursorPaging() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let programmes = ProgrammeService(database: app.db, actor: .demo)
            for n in 1...7 { _ = try await programmes.create(["slug": "p\(n)", "name": "Programme \(n)"]) }
            let token = try await Self.operatorToken(seed, app)
            var seen: [String] = []
            var cursor: String?
            repeat {
                let response = try await app.api(.GET, "/api/v1/programmes?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
                #expect(response.status == .ok)
                let page = try JSONDecoder().decode(Page.self, from: Data(response.body.readableBytesView))
                #expect(page.data.count <= 3)
                seen += page.data.map(\.slug)
                cursor = page.next_cursor
            } while cursor != nil
            #expect(seen == ["alpha", "beta", "p1", "p2", "p3", "p4", "p5", "p6", "p7"])
            let badCursor = try await app.api(.GET, "/api/v1/programmes?cursor=not-ours", token: token)
            #expect(badCursor.status == .badRequest && badCursor.errorCode == "api.bad_cursor")
            let badLimit = try await app.api(.GET, "/api/v1/programmes?limit=100000", token: token)
            #expect(badLimit.status == .badRequest && badLimit.errorCode == "api.bad_parameter")
            #expect(badLimit.body.string.contains("limit"))
        }
    }

    struct Page: Decodable {
        struct Item: Decodable { let slug: String }
        let data: [Item]
        let next_cursor: String?
    }

    static func operatorToken(_ seed: Seed, _ app: Application, access: APIAccessLevel = .write) async throws -> String {
        try await APITokenService(database: app.db, actor: .demo)
            .create(.init(name: "t", kind: .personal, scope: "academy", access: access, expiresInDays: nil), by: seed.users[.operator]!,
                    policy: AccessPolicy(grants: [Grant(.operator, .academy)])).token
    }

    @Test("a GET answers with an ETag; sending it back gets 304 until the record changes")
    func etags() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let token = try await Self.operatorToken(seed, app)
            let first = try await app.api(.GET, "/api/v1/programmes/alpha", token: token)
            let tag = try #require(first.headers.first(name: .eTag))
            var conditional = HTTPHeaders()
            conditional.add(name: .ifNoneMatch, value: tag)
            let again = try await app.api(.GET, "/api/v1/programmes/alpha", token: token, headers: conditional)
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            seed.alpha.name = "Alpha Academy (renamed)"
            try await seed.alpha.update(on: app.db)
            let changed = try await app.api(.GET, "/api/v1/programmes/alpha", token: token, headers: conditional)
            #expect(changed.status == .ok)
            #expect(changed.headers.first(name: .eTag) != tag)
        }
    }

    @Test("a token over its requests per minute gets 429 with Retry-After, and others are not held back")
    func rateLimit() async throws {
        try await TestApp.withApp({ $0.apiRateLimit = 5 }) { app in
            // The window is the clock's minute: stand the clock still in the middle of one, so a
            // slow run cannot straddle two windows.
            let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60 + 30)
            app.clock = FixedClock(now)
            let seed = try await Seed.plant(in: app)
            let busy = try await Self.operatorToken(seed, app)
            let other = try await Self.operatorToken(seed, app)
            var statuses: [HTTPResponseStatus] = []
            for _ in 0..<7 { statuses.append(try await app.api(.GET, "/api/v1/me", token: busy).status) }
            #expect(statuses.prefix(5).allSatisfy { $0 == .ok })
            let limited = try await app.api(.GET, "/api/v1/me", token: busy)
            #expect(limited.status == .tooManyRequests && limited.errorCode == "api.rate_limited")
            #expect(limited.headers.first(name: "Retry-After") == "30")
            #expect(try await app.api(.GET, "/api/v1/me", token: other).status == .ok)
        }
    }

    @Test("moving an application through the API follows the pipeline's rules, tells the applicant and is audited under the token")
    func stageMove() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            try await APIWalkTests.submit(seed, app)
            let token = try await Self.operatorToken(seed, app)
            let path = "/api/v1/programmes/alpha/cohorts/a1/applications/\(seed.alphaApplication.id!.uuidString.lowercased())/stage"
            let moved = try await app.api(.POST, path, token: token, json: #"{"stage": "documents_passed"}"#)
            #expect(moved.status == .ok)
            #expect(moved.body.string.contains(#""stage":"documents_passed""#))
            let refused = try await app.api(.POST, path, token: token, json: #"{"stage": "enrolled"}"#)
            #expect(refused.status == .conflict && refused.errorCode == "recruitment.not_allowed_now")
            let unknown = try await app.api(.POST, path, token: token, json: #"{"stage": "graduated"}"#)
            #expect(unknown.status == .unprocessableEntity && unknown.body.string.contains("stage"))
            let broken = try await app.api(.POST, path, token: token, json: #"{"stage": 3}"#)
            #expect(broken.status == .badRequest && broken.errorCode == "api.bad_body")
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "application.moved").first())
            #expect(event.actorLabel.contains("(api cadet_"))
            #expect(try await Applicant.find(seed.alphaApplication.id, on: app.db)?.stage == .documentsPassed)
        }
    }

    @Test("tokens are made on a page and shown once, stored hashed, audited, and stop working when revoked")
    func tokenPage() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            let made = try await staff.post("/account/tokens", ["name": "HR sync", "kind": "personal", "scope": "programme:\(seed.alpha.id!.uuidString.lowercased())",
                                                                 "access": "read", "expires_in_days": "30"])
            #expect(made.status == .ok)
            let token = try #require(made.text.firstMatch(of: /cadet_[A-Za-z0-9_-]{43}/).map { String($0.0) })
            let record = try #require(try await APIToken.query(on: app.db).filter(\.$name == "HR sync").first())
            #expect(record.tokenHash == Tokens.sha256(token) && record.tokenHash != token)
            #expect(!(try await staff.get("/account/tokens").text.contains(token)))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "api_token.created").count() >= 1)
            #expect(try await app.api(.GET, "/api/v1/me", token: token).status == .ok)
            // Not wider than its holder: staff of alpha cannot make a token for beta.
            let wider = try await staff.post("/account/tokens", ["name": "x", "kind": "personal", "scope": "programme:\(seed.beta.id!.uuidString.lowercased())", "access": "read"])
            #expect(wider.status == .unprocessableEntity)
            let service = try await staff.post("/account/tokens", ["name": "x", "kind": "service", "scope": "academy", "access": "write"])
            #expect(service.status == .forbidden)
            #expect(try await staff.post("/account/tokens/\(record.id!.uuidString.lowercased())/revoke").status == .seeOther)
            let after = try await app.api(.GET, "/api/v1/me", token: token)
            #expect(after.status == .unauthorized && after.errorCode == "api.token_invalid")
            #expect(after.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "api_token.revoked").count() == 1)
        }
    }

    @Test("the API ignores session cookies: a signed-in browser without a token gets 401 JSON")
    func noCookieAuth() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.operator, app: app)
            let response = try await browser.get("/api/v1/programmes")
            #expect(response.status == .unauthorized)
            #expect(response.errorCode == "api.token_required")
        }
    }
}
