import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

/// Regression tests for what a hostile request could do (issue 9): crash the server, redirect
/// elsewhere, pick its own address, read metrics, cache personal data, smuggle control
/// characters, or show a raw catalogue key.
@Suite("Security: hostile requests")
struct SecurityRequestTests {
    /// Every query value a pager, a filter or a link parameter might choke on.
    static let hostileValues = ["9223372036854775807", "-9223372036854775808", "99999999999999999999999999", "-1", "0", "abc", "1e400",
                                "nan", "inf", "-inf", "%00", "%FF%FE", "%E0%A4", "%0D%0ALocation:%20x", "/%09/evil.example", "'%22%3C%3E",
                                String(repeating: "9", count: 5_000)]
    /// Every query parameter the pages read, and the ones the API will.
    static let keys = ["page", "q", "next", "token", "notice", "action", "actor", "entity", "programme", "from", "to", "stage", "region",
                       "major_field", "age_band", "min_score", "max_score", "sort", "lang", "cursor", "limit", "format"]

    @Test("every GET route survives hostile query values: no 5xx, no raw catalogue key, and the server stays up", arguments: [Seed.Who.operator, .anonymous, .trainee])
    func hostileQueryWalk(_ who: Seed.Who) async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(who, app: app)
            for route in app.routes.all where route.method == .GET {
                let path = AuthorizationWalkTests.concrete(route.path.map(\.description), target: "alpha", seed: seed)
                for value in Self.hostileValues {
                    let query = Self.keys.map { "\($0)=\(value)" }.joined(separator: "&")
                    let response = try await browser.send(.GET, path + "?" + query, body: nil)
                    #expect(response.status.code < 500, "\(who) GET \(path)?…=\(value.prefix(40)): \(response.status) \(response.text.prefix(200))")
                }
                // Repeated and bracketed keys too.
                let repeated = try await browser.send(.GET, path + "?page=1&page=9223372036854775807&page[]=2&q[x]=1", body: nil)
                #expect(repeated.status.code < 500, "\(who) GET \(path) with repeated keys: \(repeated.status)")
            }
            #expect(try await browser.get("/healthz").status == .ok)
            #expect(MissingKeys.shared.all.isEmpty, "keys shown raw: \(MissingKeys.shared.all.sorted())")
        }
    }

    /// Every field name the templates use.
    static func formFields() throws -> [String] {
        let views = LocalisationTests.sources.appendingPathComponent("Resources/Views")
        var names: Set<String> = []
        let regex = try NSRegularExpression(pattern: #"name="([a-z_]+)(\[\])?""#)
        for case let url as URL in FileManager.default.enumerator(at: views, includingPropertiesForKeys: nil)! where url.pathExtension == "leaf" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                names.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        return names.sorted()
    }

    @Test("every POST route survives a form whose every field holds a NUL: no 5xx", arguments: [Seed.Who.operator, .trainee, .anonymous])
    func hostileFormWalk(_ who: Seed.Who) async throws {
        let fields = try Self.formFields()
        #expect(fields.contains("email") && fields.contains("capacity"))
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            for route in app.routes.all where route.method == .POST {
                let path = AuthorizationWalkTests.concrete(route.path.map(\.description), target: "alpha", seed: seed)
                let browser = try await seed.browser(who, app: app)
                let response = try await browser.post(path, Dictionary(uniqueKeysWithValues: fields.map { ($0, "x\u{0}y") }))
                #expect(response.status.code < 500, "\(who) POST \(path): \(response.status) \(response.text.prefix(200))")
            }
            #expect(MissingKeys.shared.all.isEmpty, "keys shown raw: \(MissingKeys.shared.all.sorted())")
        }
    }

    @Test("every route survives hostile values in its path parameters: no 5xx")
    func hostilePathWalk() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.operator, app: app)
            for route in app.routes.all {
                let components = route.path.map(\.description)
                for (index, component) in components.enumerated() where component.hasPrefix(":") {
                    for value in ["%00", "x%00y", "..", "%2e%2e", "a%2Fb", "%FF", String(repeating: "a", count: 300), "00000000-0000-0000-0000-000000000000"] {
                        var parts = AuthorizationWalkTests.concrete(components, target: "alpha", seed: seed).split(separator: "/").map(String.init)
                        parts[index] = value
                        let path = "/" + parts.joined(separator: "/")
                        let response = route.method == .GET ? try await browser.send(.GET, path, body: nil) : try await browser.post(path, [:])
                        #expect(response.status.code < 500, "\(route.method) \(path.prefix(120)): \(response.status) \(response.text.prefix(200))")
                    }
                }
            }
        }
    }

    @Test("page numbers clamp instead of overflowing")
    func pageNumbers() {
        #expect(PageNumber("9223372036854775807").value == PageNumber.maximum)
        #expect(PageNumber("99999999999999999999999").value == PageNumber.maximum)
        #expect(PageNumber("-9223372036854775808").value == 1)
        #expect(PageNumber("abc").value == 1)
        #expect(PageNumber(nil).value == 1)
        #expect(PageNumber(" 3 ").value == 3)
        #expect(PageNumber(value: .max).offset(size: .max) == (PageNumber.maximum - 1) * 1_000)
    }

    @Test("sign-in goes back only to a path on this site", arguments: [
        ("/%09/evil.example/x", "/"), ("/\t/evil.example", "/"), ("//evil.example", "/"), ("/\\evil.example", "/"), ("https://evil.example", "/"),
        ("/ /evil.example", "/"), ("/\u{7F}/evil.example", "/"), ("javascript:alert(1)", "/"), ("/programmes/alpha?tab=1", "/programmes/alpha?tab=1"),
    ])
    func openRedirect(_ next: String, _ expected: String) async throws {
        let decoded = next.removingPercentEncoding ?? next
        #expect(Request.safeLocalPath(decoded) == expected)
        try await TestApp.withApp { app in
            _ = try await Seed.plant(in: app)
            let browser = Browser(app)
            let signIn = try await browser.post("/signin", ["email": Seed.Who.staff.email, "password": Seed.password, "next": decoded])
            #expect(signIn.location == expected)
        }
    }

    @Test("the sign-in form carries no tab-smuggled next")
    func signInFormNext() async throws {
        try await TestApp.withApp { app in
            let page = try await Browser(app).send(.GET, "/signin?next=/%09/evil.example/x", body: nil).text
            #expect(page.contains("name=\"next\" value=\"/\""))
        }
    }

    @Test("behind N proxies the client is the N-th address from the right; what the client wrote further left is ignored")
    func forwardedFor() async throws {
        #expect(ClientAddress.resolve(remote: "10.0.0.1", forwardedFor: ["6.6.6.6, 203.0.113.9"], trustedProxies: 0) == "10.0.0.1")
        #expect(ClientAddress.resolve(remote: "10.0.0.1", forwardedFor: ["6.6.6.6, 203.0.113.9"], trustedProxies: 1) == "203.0.113.9")
        #expect(ClientAddress.resolve(remote: "10.0.0.1", forwardedFor: ["6.6.6.6", "203.0.113.9, 10.0.0.2"], trustedProxies: 2) == "203.0.113.9")
        #expect(ClientAddress.resolve(remote: "10.0.0.1", forwardedFor: ["6.6.6.6, not-an-address"], trustedProxies: 2) == "10.0.0.1")
        #expect(ClientAddress.resolve(remote: "10.0.0.1", forwardedFor: [], trustedProxies: 1) == "10.0.0.1")
        try await TestApp.withApp({ $0.trustedProxies = 1 }) { app in
            _ = try await Seed.plant(in: app)
            let browser = Browser(app)
            var headers = HTTPHeaders()
            headers.add(name: .xForwardedFor, value: "6.6.6.6, 198.51.100.7")
            if browser.cookies[CSRFMiddleware.cookieName] == nil { _ = try await browser.get("/healthz") }
            let form = ["email": Seed.Who.staff.email, "password": Seed.password, CSRFMiddleware.fieldName: try await browser.csrfToken()]
            _ = try await browser.send(.POST, "/signin", body: Browser.encode(form), extra: headers)
            let session = try #require(try await UserSession.query(on: app.db).filter(\.$user.$id == Seed.Who.staff.userID(app)).first())
            #expect(session.address == "198.51.100.7")
        }
        #expect(throws: AppConfig.Problem.self) { try AppConfig.load(["CADET_TRUST_PROXY": "maybe"]) }
        #expect(try AppConfig.load(["CADET_TRUST_PROXY": "true"]).trustedProxies == 1)
        #expect(try AppConfig.load(["CADET_TRUST_PROXY": "2"]).trustedProxies == 2)
    }

    @Test("/metrics answers the machine itself, not a request relayed by a proxy on it")
    func metricsLoopback() async throws {
        try await TestApp.withApp { app in
            let live = try app.testing(method: .running(hostname: "127.0.0.1", port: 0))
            let direct = try await live.performTest(request: TestingHTTPRequest(method: .GET, url: URI(path: "/metrics"), headers: [:], body: ByteBuffer()))
            #expect(direct.status == .ok)
            #expect(direct.body.string.contains("cadet_database_up"))
            var relayed = HTTPHeaders()
            relayed.add(name: .xForwardedFor, value: "203.0.113.5")
            let proxied = try await live.performTest(request: TestingHTTPRequest(method: .GET, url: URI(path: "/metrics"), headers: relayed, body: ByteBuffer()))
            #expect(proxied.status == .forbidden)
        }
    }

    @Test("downloads of personal data are never cached, and CSV cells that a spreadsheet would run are defused")
    func downloads() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let staff = try await seed.browser(.staff, app: app)
            for path in ["/programmes/alpha/cohorts/a1/applicants/export.csv", "/programmes/alpha/cohorts/a1/exam/results.csv"] {
                let response = try await staff.get(path)
                #expect(response.status == .ok)
                #expect(response.headers.first(name: .cacheControl)?.contains("no-store") == true, "\(path)")
                #expect(response.text.hasPrefix("\u{FEFF}"))
            }
        }
        // "=" followed by a combining mark is one grapheme that is not "=", but a spreadsheet sees a formula.
        #expect(CSVWriter.row(["=\u{0301}HYPERLINK(\"x\")"]).unicodeScalars.starts(with: "\"'=".unicodeScalars))
        #expect(CSVWriter.row(["+\u{20DD}1"]).unicodeScalars.starts(with: "'+".unicodeScalars))
        #expect(CSVWriter.row(["-12.5"]) == "-12.5\r\n")
    }

    @Test("NUL and other control characters are refused with a message naming the field, and nothing is stored")
    func controlCharacters() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = Browser(app)
            browser.acceptLanguage = "en"
            let signUp = try await browser.post("/signup", ["name": "Kim\u{0}", "email": "kim@example.org\u{0}", "password": "a long passphrase", "password_confirm": "a long passphrase"])
            #expect(signUp.status == .unprocessableEntity)
            #expect(signUp.text.contains("Name: contains a control character (such as NUL) that cannot be stored."))
            #expect(signUp.text.contains("E-mail: contains a control character"))
            #expect(try await User.query(on: app.db).filter(\.$email ~~ "kim@").count() == 0)

            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            let csv = "name,email,birth_date,region,submitted_at\r\nNul\u{0}Name,nul@example.org,1990-01-01,Gwangju,2026-03-01T10:00\r\n"
            let imported = try await Multipart.upload(staff, "/programmes/alpha/cohorts/a1/applicants/import", filename: "a.csv", data: Data(csv.utf8))
            #expect(imported.status == .unprocessableEntity)
            #expect(imported.text.contains("Line 2, column #1: the cell holds a NUL or another control character."))
            #expect(try await Applicant.query(on: app.db).filter(\.$email == "nul@example.org").count() == 0)

            // A field with no message of its own for a bad format still gets a sentence, not a key.
            let trainee = try await seed.browser(.trainee, app: app)
            trainee.acceptLanguage = "en"
            let phone = try await trainee.post("/applications/\(seed.alphaApplication.id!.uuidString.lowercased())", ["phone": "not a phone ☎"])
            #expect(phone.status == .unprocessableEntity)
            #expect(!phone.text.contains("issue.invalid_format"))
            #expect(phone.text.contains("Phone: this is not in the expected format."))
        }
    }

    @Test("an upload whose file name is not UTF-8 is a clear 400, not an expired form")
    func nonUTF8FileName() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.trainee, app: app)
            browser.acceptLanguage = "en"
            _ = try await browser.get("/healthz")
            let boundary = "cadet-\(UUID().uuidString)"
            var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(try await browser.csrfToken())\r\n".utf8)
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"".utf8))
            body.append(Data([0xC3, 0x28, 0xFF, 0x2E, 0x70, 0x64, 0x66]))
            body.append(Data("\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 x\r\n--\(boundary)--\r\n".utf8))
            var headers = HTTPHeaders()
            headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
            headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            headers.add(name: .acceptLanguage, value: "en")
            let path = "/applications/\(seed.alphaApplication.id!.uuidString.lowercased())/files/cv"
            let response = try await app.testing().performTest(request: TestingHTTPRequest(method: .POST, url: URI(path: path), headers: headers, body: ByteBuffer(data: body)))
            #expect(response.status == .badRequest)
            #expect(!response.text.contains("This form has expired"))
            #expect(response.text.contains("not UTF-8"))
            #expect(try await ApplicantFile.query(on: app.db).count() == 0)
        }
    }
}

extension Seed.Who {
    func userID(_ app: Application) async throws -> UUID {
        try #require(try await User.query(on: app.db).filter(\.$email == email).first()?.id)
    }
}
