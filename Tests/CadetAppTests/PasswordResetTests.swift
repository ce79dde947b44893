import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

@Suite("Password reset through the outbox")
struct PasswordResetTests {
    static func link(in app: Application, for email: String) async throws -> String {
        let message = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipient == email).sort(\.$createdAt, .descending).first())
        let range = try #require(message.body.range(of: #"token=[A-Za-z0-9_-]+"#, options: .regularExpression))
        return String(message.body[range].dropFirst("token=".count))
    }

    @Test("a reset link arrives in the outbox, works once, and ends every session")
    func resetFlow() async throws {
        try await TestApp.withApp { app in
            _ = try await Seed.plant(in: app)
            let email = Seed.Who.trainee.email
            let signedIn = Browser(app)
            try await signedIn.signIn(email)

            let browser = Browser(app)
            browser.acceptLanguage = "ko"
            let requested = try await browser.post("/password/forgot", ["email": email])
            #expect(requested.text.contains("비밀번호 재설정 링크를 보냈습니다"))
            let token = try await Self.link(in: app, for: email)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == email).filter(\.$kind == "password_reset").first()?.subject == "Cadet 비밀번호 재설정")

            #expect(try await browser.get("/password/reset?token=\(token)").status == .ok)
            let reset = try await browser.post("/password/reset", ["token": token, "password": "brand new passphrase", "password_confirm": "brand new passphrase"])
            #expect(reset.status == .seeOther)
            #expect(try await signedIn.get("/account").location?.hasPrefix("/signin") == true)
            try await Browser(app).signIn(email, password: "brand new passphrase")

            let again = try await browser.post("/password/reset", ["token": token, "password": "another passphrase", "password_confirm": "another passphrase"])
            #expect(again.status == .badRequest)
            try await Browser(app).signIn(email, password: "brand new passphrase")
        }
    }

    @Test("an unknown address gets the same answer and no message")
    func unknownAddress() async throws {
        try await TestApp.withApp { app in
            _ = try await Seed.plant(in: app)
            let before = try await OutboxMessage.query(on: app.db).count()
            let response = try await Browser(app).post("/password/forgot", ["email": "nobody@nowhere.example"])
            #expect(response.status == .ok)
            #expect(try await OutboxMessage.query(on: app.db).count() == before)
        }
    }

    @Test("an expired link is refused and the password stays")
    func expired() async throws {
        try await TestApp.withApp { app in
            _ = try await Seed.plant(in: app)
            let email = Seed.Who.trainee.email
            _ = try await Browser(app).post("/password/forgot", ["email": email])
            let token = try await Self.link(in: app, for: email)
            try await PasswordReset.query(on: app.db).set(\.$expiresAt, to: Date().addingTimeInterval(-1)).update()
            let response = try await Browser(app).post("/password/reset", ["token": token, "password": "brand new passphrase", "password_confirm": "brand new passphrase"])
            #expect(response.status == .badRequest)
            try await Browser(app).signIn(email)
        }
    }

    @Test("the database keeps only a hash of the token")
    func tokenHashed() async throws {
        try await TestApp.withApp { app in
            _ = try await Seed.plant(in: app)
            _ = try await Browser(app).post("/password/forgot", ["email": Seed.Who.trainee.email])
            let token = try await Self.link(in: app, for: Seed.Who.trainee.email)
            let trainee = try #require(try await User.query(on: app.db).filter(\.$email == Seed.Who.trainee.email).first())
            let stored = try #require(try await PasswordReset.query(on: app.db).filter(\.$user.$id == trainee.id!).first())
            #expect(stored.tokenHash != token)
            #expect(stored.tokenHash == Tokens.sha256(token))
        }
    }
}
