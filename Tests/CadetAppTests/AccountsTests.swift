import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

@Suite("Accounts, sessions and CSRF")
struct AccountsTests {
    @Test("a remembered session lasts its minute, is forgotten by session or person, and the memory stays bounded")
    func recentSessionsBounds() {
        let recent = RecentSessions()
        let now = Date()
        func person(_ n: Int, session: UUID = UUID()) -> CurrentUser {
            CurrentUser(id: UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))!, email: "p\(n)@example.org", name: "P\(n)",
                        sessionID: session, locale: nil, policy: AccessPolicy(grants: []), emailVerified: true)
        }
        recent.remember(person(1), tokenHash: "a", now: now)
        #expect(recent.user(tokenHash: "a", now: now.addingTimeInterval(RecentSessions.lifetime - 1))?.email == "p1@example.org")
        #expect(recent.user(tokenHash: "a", now: now.addingTimeInterval(RecentSessions.lifetime + 1)) == nil)
        #expect(recent.count == 0)

        let kept = UUID()
        recent.remember(person(2), tokenHash: "b", now: now)
        recent.remember(person(2, session: kept), tokenHash: "c", now: now)
        recent.remember(person(3), tokenHash: "d", now: now)
        recent.forget(user: person(2).id, keeping: kept)
        #expect(recent.user(tokenHash: "b", now: now) == nil)
        #expect(recent.user(tokenHash: "c", now: now) != nil)
        recent.forget(session: kept)
        #expect(recent.user(tokenHash: "c", now: now) == nil)
        #expect(recent.user(tokenHash: "d", now: now) != nil)

        // Full: the older half goes, the newest stays.
        for n in 0..<RecentSessions.capacity + 10 {
            recent.remember(person(10 + n), tokenHash: "t\(n)", now: now.addingTimeInterval(Double(n) / 1000))
        }
        #expect(recent.count <= RecentSessions.capacity)
        #expect(recent.count > RecentSessions.capacity / 4)
        #expect(recent.user(tokenHash: "t\(RecentSessions.capacity + 9)", now: now) != nil)
        #expect(recent.user(tokenHash: "t0", now: now) == nil)
    }

    @Test("signing up hashes the password with bcrypt and mails a link; signing in keeps the session in the database")
    func signUp() async throws {
        try await TestApp.withApp { app in
            let browser = Browser(app)
            browser.acceptLanguage = "en"
            let response = try await browser.post("/signup", ["name": "김민준", "email": "Minjun@Example.org", "password": "a long passphrase", "password_confirm": "a long passphrase"])
            #expect(response.status == .ok)
            #expect(response.text.contains("We sent a link to <strong>minjun@example.org</strong>"))
            #expect(!response.headers[.setCookie].contains { $0.hasPrefix(SessionMiddleware.cookieName) })
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "minjun@example.org").first())
            #expect(user.passwordHash?.hasPrefix("$2b$") == true)
            #expect(user.passwordHash?.contains("a long passphrase") == false)
            #expect(user.emailVerifiedAt == nil)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "minjun@example.org").filter(\.$kind == "verify_email").count() == 1)
            let signIn = try await browser.post("/signin", ["email": "minjun@example.org", "password": "a long passphrase"])
            let cookie = try #require(signIn.headers[.setCookie].first { $0.hasPrefix(SessionMiddleware.cookieName) })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))
            #expect(try await UserSession.query(on: app.db).filter(\.$user.$id == user.id!).count() == 1)
            let account = try await browser.get("/account").text
            #expect(account.contains("minjun@example.org"))
            #expect(account.contains("not confirmed yet"))
        }
    }

    @Test("cookies are Secure when Cadet is served over HTTPS")
    func secureCookies() async throws {
        try await TestApp.withApp({ $0.publicURL = URL(string: "https://cadet.example.kr")! }) { app in
            let response = try await Browser(app).get("/signin")
            let cookie = try #require(response.headers[.setCookie].first { $0.hasPrefix(CSRFMiddleware.cookieName) })
            #expect(cookie.contains("Secure"))
            #expect(response.headers.first(name: "Strict-Transport-Security") != nil)
        }
    }

    @Test("a bad sign-up form names each bad field in the reader's language and creates nothing", arguments: [("ko", "이메일: 올바른 이메일 주소가 아닙니다."), ("en", "E-mail: this is not an e-mail address.")])
    func badSignUp(language: String, expected: String) async throws {
        try await TestApp.withApp { app in
            let browser = Browser(app)
            browser.acceptLanguage = language
            let response = try await browser.post("/signup", ["name": String(repeating: "가", count: 81), "email": "not-an-address", "password": "short"])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains(expected))
            #expect(response.text.contains("data-field=\"name\""))
            #expect(response.text.contains("data-field=\"password\""))
            #expect(try await User.query(on: app.db).count() == 0)
        }
    }

    @Test("the same e-mail cannot sign up twice, and the second sign-up looks the same as the first")
    func duplicateEmail() async throws {
        try await TestApp.withApp { app in
            let form = ["name": "A", "email": "a@example.org", "password": "a long passphrase", "password_confirm": "a long passphrase"]
            let first = try await Browser(app).post("/signup", form)
            let again = try await Browser(app).post("/signup", form.merging(["name": "Someone Else", "password": "another passphrase", "password_confirm": "another passphrase"]) { $1 })
            #expect(first.status == .ok && again.status == .ok)
            #expect(Self.withoutTokens(first.text) == Self.withoutTokens(again.text))
            #expect(try await User.query(on: app.db).count() == 1)
            #expect(try await User.query(on: app.db).first()?.name == "A")
            // The owner hears of it, with a way back into the account.
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "a@example.org").filter(\.$kind == "existing_account").count() == 1)
        }
    }

    @Test("a wrong password is refused with the same words as an unknown e-mail")
    func wrongPassword() async throws {
        try await TestApp.withApp { app in
            _ = try await Seed.plant(in: app)
            let browser = Browser(app)
            browser.acceptLanguage = "en"
            let wrong = try await browser.post("/signin", ["email": Seed.Who.staff.email, "password": "nope nope nope"])
            let unknown = try await browser.post("/signin", ["email": "ghost@example.org", "password": "nope nope nope"])
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(wrong.text.contains("do not match an account") && unknown.text.contains("do not match an account"))
            #expect(browser.cookies[SessionMiddleware.cookieName] == nil)
        }
    }

    @Test("after five failures an account is locked, even for the right password")
    func throttlePerAccount() async throws {
        try await TestApp.withApp { app in
            _ = try await Seed.plant(in: app)
            for _ in 0..<5 {
                _ = try await Browser(app).post("/signin", ["email": Seed.Who.staff.email, "password": "guess guess guess"])
            }
            let browser = Browser(app)
            browser.acceptLanguage = "en"
            let locked = try await browser.post("/signin", ["email": Seed.Who.staff.email, "password": Seed.password])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.text.contains("Try again in 15 minutes"))
            // Another account from elsewhere is not affected.
            let other = try await Browser(app).post("/signin", ["email": Seed.Who.mentor.email, "password": Seed.password])
            #expect(other.status == .seeOther)
        }
    }

    @Test("one address guessing across many accounts is locked out too")
    func throttlePerAddress() async throws {
        try await TestApp.withApp { app in
            _ = try await Seed.plant(in: app)
            for n in 0..<30 {
                _ = try await Browser(app).post("/signin", ["email": "victim\(n)@example.org", "password": "guess guess guess"])
            }
            let response = try await Browser(app).post("/signin", ["email": Seed.Who.mentor.email, "password": Seed.password])
            #expect(response.status == .tooManyRequests)
        }
    }

    @Test("signing out ends the session in the database; the old cookie no longer works")
    func signOut() async throws {
        try await TestApp.withApp { app in
            _ = try await Seed.plant(in: app)
            let browser = Browser(app)
            try await browser.signIn(Seed.Who.staff.email)
            let token = try #require(browser.cookies[SessionMiddleware.cookieName])
            #expect(try await browser.post("/signout").status == .seeOther)
            #expect(try await UserSession.query(on: app.db).filter(\.$tokenHash == Tokens.sha256(token)).count() == 0)
            let stale = Browser(app)
            stale.cookies[SessionMiddleware.cookieName] = token
            #expect(try await stale.get("/account").location?.hasPrefix("/signin") == true)
        }
    }

    @Test("a session is touched (seen, extended) when last seen over five minutes ago, not on every request")
    func sessionTouch() async throws {
        try await TestApp.withApp { app in
            _ = try await Seed.plant(in: app)
            let browser = Browser(app)
            try await browser.signIn(Seed.Who.staff.email)
            let token = try #require(browser.cookies[SessionMiddleware.cookieName])
            let session = { try await UserSession.query(on: app.db).filter(\.$tokenHash == Tokens.sha256(token)).first()! }
            let recently = Date().addingTimeInterval(-60), long = Date().addingTimeInterval(-600)
            var stored = try await session()
            stored.lastSeenAt = recently
            stored.expiresAt = Date().addingTimeInterval(3600)
            try await stored.save(on: app.db)
            #expect(try await browser.get("/account").status == .ok)
            stored = try await session()
            #expect(abs(stored.lastSeenAt.timeIntervalSince(recently)) < 1, "seen a minute ago: not written again")

            stored.lastSeenAt = long
            try await stored.save(on: app.db)
            #expect(try await browser.get("/account").status == .ok)
            stored = try await session()
            #expect(stored.lastSeenAt > Date().addingTimeInterval(-30))
            #expect(stored.expiresAt > Date().addingTimeInterval(TimeInterval(app.config.sessionHours * 3600) - 30))
        }
    }

    @Test("a form without its CSRF token, or with a forged one, is refused and changes nothing")
    func csrf() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.operator, app: app)
            _ = try await browser.get("/programmes")
            let form = ["slug": "gamma", "name": "Gamma"]
            let missing = try await browser.post("/programmes", form, csrf: false)
            #expect(missing.status == .forbidden)
            var forged = form
            forged["_csrf"] = Tokens.hmac(browser.cookies[CSRFMiddleware.cookieName]!, key: "not the secret at all, not at all!")
            let forgedResponse = try await browser.post("/programmes", forged, csrf: false)
            #expect(forgedResponse.status == .forbidden)
            // Another browser's token does not fit this browser's cookie.
            let other = Browser(app)
            _ = try await other.get("/")
            var stolen = form
            stolen["_csrf"] = try await other.csrfToken()
            #expect(try await browser.post("/programmes", stolen, csrf: false).status == .forbidden)
            #expect(try await Programme.query(on: app.db).filter(\.$slug == "gamma").count() == 0)
            #expect(try await browser.post("/programmes", form).status == .seeOther)
        }
    }

    @Test("sign-in never redirects off the site")
    func openRedirect() async throws {
        try await TestApp.withApp { app in
            _ = try await Seed.plant(in: app)
            for next in ["https://evil.example/", "//evil.example", "/\\evil.example"] {
                let response = try await Browser(app).post("/signin", ["email": Seed.Who.staff.email, "password": Seed.password, "next": next])
                #expect(response.location == "/")
            }
        }
    }

    @Test("changing one's password needs the current one and signs out other browsers")
    func changePassword() async throws {
        try await TestApp.withApp { app in
            _ = try await Seed.plant(in: app)
            let first = Browser(app), second = Browser(app)
            try await first.signIn(Seed.Who.mentor.email)
            try await second.signIn(Seed.Who.mentor.email)
            let wrong = try await first.post("/account/password", ["current_password": "not it at all", "password": "a new passphrase", "password_confirm": "a new passphrase"])
            #expect(wrong.status == .unauthorized)
            let changed = try await first.post("/account/password", ["current_password": Seed.password, "password": "a new passphrase", "password_confirm": "a new passphrase"])
            #expect(changed.status == .seeOther)
            #expect(try await first.get("/account").status == .ok)
            #expect(try await second.get("/account").location?.hasPrefix("/signin") == true)
            let fresh = Browser(app)
            try await fresh.signIn(Seed.Who.mentor.email, password: "a new passphrase")
        }
    }

    /// A page with its per-browser CSRF token taken out, to compare two answers.
    static func withoutTokens(_ html: String) -> String {
        html.replacing(/name="_csrf" value="[^"]*"/, with: "")
    }
}
