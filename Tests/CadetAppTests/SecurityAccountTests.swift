import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

/// Regression tests for the account holes found when Cadet was probed as an attacker would
/// (issue 9): each failed on the main branch before the fix.
@Suite("Security: accounts, claims and lockouts")
struct SecurityAccountTests {
    static let passphrase = "a long passphrase"

    /// The link of the latest message of this kind to this address.
    static func link(in app: Application, to email: String, kind: String) async throws -> String {
        let message = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipient == email).filter(\.$kind == kind)
            .sort(\.$createdAt, .descending).first())
        let range = try #require(message.body.range(of: #"/[a-z/]+\?token=[A-Za-z0-9_.-]+"#, options: .regularExpression))
        return String(message.body[range])
    }

    /// An application entered by staff (here imported) for someone with no account, and a test
    /// attempt for it.
    static func unclaimedApplication(_ seed: Seed, _ app: Application, email: String) async throws -> (Applicant, ExamAttempt) {
        let csv = "name,email,birth_date,region,submitted_at\r\n피해자,\(email),1990-01-01,Gwangju,2026-03-01T10:00\r\n"
        let outcome = try await ApplicationsImporter(database: app.db, actor: .commandLine, timeZone: app.config.timeZone)
            .run(Array(csv.utf8), round: seed.alphaRound, cohort: seed.alphaCohort)
        guard case .imported(1) = outcome else { throw TestFailure("import failed: \(outcome)") }
        let applicant = try #require(try await Applicant.query(on: app.db).filter(\.$email == email).first())
        #expect(applicant.$user.id == nil)
        let attempt = ExamAttempt()
        attempt.id = UUID()
        attempt.$exam.id = seed.alphaExam.id!
        attempt.$applicant.id = applicant.id!
        attempt.paperJSON = seed.alphaAttempt.paperJSON
        attempt.paperVersion = 1
        attempt.status = .prepared
        attempt.extraMinutes = 0
        try await attempt.create(on: app.db)
        return (applicant, attempt)
    }

    @Test("signing up with someone else's e-mail claims none of their applications or tests; proving the address does")
    func noTakeoverBySignUp() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let victim = "victim@example.org"
            let (applicant, attempt) = try await Self.unclaimedApplication(seed, app, email: victim)
            let applicationPath = "/applications/\(applicant.id!.uuidString.lowercased())"
            let attemptPath = "/exams/\(attempt.id!.uuidString.lowercased())"

            // The attacker signs up with the victim's address and signs in: the account exists, unproved.
            let attacker = Browser(app)
            attacker.acceptLanguage = "en"
            _ = try await attacker.post("/signup", ["name": "Attacker", "email": victim, "password": Self.passphrase, "password_confirm": Self.passphrase])
            try await attacker.signIn(victim, password: Self.passphrase)
            #expect(try await attacker.get(applicationPath).status == .notFound)
            #expect(try await attacker.post(applicationPath + "/withdraw").status == .notFound)
            #expect(try await attacker.get(attemptPath).status == .notFound)
            #expect(try await attacker.post(attemptPath + "/start").status == .notFound)
            #expect(!(try await attacker.get("/applications").text.contains("Alpha Academy")))
            #expect(!(try await attacker.get("/exams").text.contains(attemptPath)))
            let start = try await attacker.post("/apply/alpha/a1")
            #expect(start.status == .forbidden)
            #expect(start.text.contains("Confirm your e-mail address first"))
            #expect(try await Applicant.find(applicant.id, on: app.db)?.$user.id == nil)
            #expect(try await Applicant.find(applicant.id, on: app.db)?.stage == .submitted)

            // The real owner asks again, gets a password link in their mailbox, and uses it:
            // the address is proved, the attacker is out, and the application is theirs.
            let owner = Browser(app)
            _ = try await owner.post("/signup", ["name": "피해자", "email": victim, "password": "the owner's passphrase", "password_confirm": "the owner's passphrase"])
            let link = try await Self.link(in: app, to: victim, kind: "existing_account")
            let token = String(link.split(separator: "=")[1])
            #expect(try await owner.post("/password/reset", ["token": token, "password": "the owner's passphrase", "password_confirm": "the owner's passphrase"]).status == .seeOther)
            #expect(try await attacker.get("/account").location?.hasPrefix("/signin") == true)
            try await owner.signIn(victim, password: "the owner's passphrase")
            #expect(try await owner.get(applicationPath).status == .ok)
            #expect(try await owner.get(attemptPath).status == .ok)
        }
    }

    @Test("the verification link proves the address once it is opened, and only for that account and address")
    func verificationLink() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let email = "new.person@example.org"
            let (applicant, _) = try await Self.unclaimedApplication(seed, app, email: email)
            let browser = Browser(app)
            browser.acceptLanguage = "en"
            _ = try await browser.post("/signup", ["name": "새사람", "email": email, "password": Self.passphrase, "password_confirm": Self.passphrase])
            try await browser.signIn(email, password: Self.passphrase)
            #expect(try await browser.get("/").text.contains("id=\"verify-banner\""))
            let token = String(try await Self.link(in: app, to: email, kind: "verify_email").split(separator: "=")[1])
            // A tampered token, or one made for another purpose, proves nothing.
            #expect(try await browser.get("/account/verify?token=\(token)x").status == .badRequest)
            let secret = try await app.secrets.key(on: app.db)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == email).first())
            let forOtherPurpose = SignedToken.make(.unlockSignIn, subject: "\(user.id!.uuidString):\(email)", expires: Date().addingTimeInterval(600), secret: secret)
            #expect(try await browser.get("/account/verify?token=\(forOtherPurpose)").status == .badRequest)
            let expired = SignedToken.make(.verifyEmail, subject: "\(user.id!.uuidString):\(email)", expires: Date().addingTimeInterval(-1), secret: secret)
            #expect(try await browser.get("/account/verify?token=\(expired)").status == .badRequest)
            #expect(try await User.find(user.id, on: app.db)?.emailVerifiedAt == nil)

            let verified = try await browser.get("/account/verify?token=\(token)")
            #expect(verified.location == "/apply?notice=notice.email_verified")
            #expect(try await User.find(user.id, on: app.db)?.emailVerifiedAt != nil)
            #expect(try await browser.get("/applications/\(applicant.id!.uuidString.lowercased())").status == .ok)
            #expect(!(try await browser.get("/").text.contains("id=\"verify-banner\"")))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "user.email_verified").count() == 1)
        }
    }

    @Test("a company cannot adopt an independent application by nominating its e-mail; the applicant decides")
    func nominationNeedsConsent() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            try await seed.alphaInvitation.delete(on: app.db)
            let company = try await seed.browser(.company, app: app)
            company.acceptLanguage = "en"
            let path = "/sponsorships/\(seed.alphaSponsorship.id!.uuidString.lowercased())"
            // The trainee applied on their own; a stranger has no application at all.
            #expect(try await company.post(path + "/nominations", ["name": "Someone", "email": Seed.Who.trainee.email]).status == .seeOther)
            #expect(try await company.post(path + "/nominations", ["name": "Stranger", "email": "stranger@example.org"]).status == .seeOther)
            #expect(try await Applicant.find(seed.alphaApplication.id, on: app.db)?.sponsorshipID == nil)
            #expect(try await Applicant.query(on: app.db).filter(\.$email == "stranger@example.org").count() == 0)

            // The company's page says the same of both, and shows neither stage nor an upload form.
            let page = try await company.get(path).text
            let rows = page.components(separatedBy: "<tr>").filter { $0.contains(Seed.Who.trainee.email) || $0.contains("stranger@example.org") }
            #expect(rows.count == 2)
            for row in rows {
                #expect(row.contains("Waiting for the nominee to accept"))
                #expect(!row.contains("Draft") && !row.contains("/certificate"))
            }
            let nomination = try #require(try await Nomination.query(on: app.db).filter(\.$email == Seed.Who.trainee.email)
                .filter(\.$sponsorship.$id == seed.alphaSponsorship.id!).sort(\.$createdAt, .descending).first())
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 1, count: 64)
            let upload = try await Multipart.upload(company, path + "/nominations/\(nomination.id!.uuidString.lowercased())/certificate", filename: "c.png", data: png)
            #expect(upload.status == .conflict)
            #expect(try await ApplicantFile.query(on: app.db).filter(\.$applicant.$id == seed.alphaApplication.id!).count() == 0)

            // Nobody but the nominee can answer; the nominee accepts and the company sees the stage.
            let path2 = "/nominations/\(nomination.id!.uuidString.lowercased())/accept"
            #expect(try await (try await seed.browser(.outsider, app: app)).post(path2).status == .notFound)
            let trainee = try await seed.browser(.trainee, app: app)
            #expect(try await trainee.get("/applications").text.contains("Alpha Corp"))
            #expect(try await trainee.post(path2).status == .seeOther)
            #expect(try await Applicant.find(seed.alphaApplication.id, on: app.db)?.sponsorshipID == seed.alphaSponsorship.id)
            let after = try await company.get(path).text.components(separatedBy: "<tr>").first { $0.contains(Seed.Who.trainee.email) && $0.contains("Accepted") }
            #expect(after?.contains("Draft") == true)
        }
    }

    @Test("after a reset or a password change, every older reset link stops working")
    func oldResetLinksDie() async throws {
        try await TestApp.withApp { app in
            _ = try await Seed.plant(in: app)
            let email = Seed.Who.trainee.email
            let browser = Browser(app)
            _ = try await browser.post("/password/forgot", ["email": email])
            let older = try await PasswordResetTests.link(in: app, for: email)
            try await Task.sleep(for: .milliseconds(5))
            _ = try await browser.post("/password/forgot", ["email": email])
            let newer = try await PasswordResetTests.link(in: app, for: email)
            #expect(older != newer)
            #expect(try await browser.post("/password/reset", ["token": newer, "password": "brand new passphrase", "password_confirm": "brand new passphrase"]).status == .seeOther)
            #expect(try await browser.get("/password/reset?token=\(older)").status == .badRequest)

            _ = try await browser.post("/password/forgot", ["email": email])
            let pending = try await PasswordResetTests.link(in: app, for: email)
            let signedIn = Browser(app)
            try await signedIn.signIn(email, password: "brand new passphrase")
            #expect(try await signedIn.post("/account/password", ["current_password": "brand new passphrase", "password": "third passphrase here",
                                                                   "password_confirm": "third passphrase here"]).status == .seeOther)
            #expect(try await browser.post("/password/reset", ["token": pending, "password": "attacker's passphrase", "password_confirm": "attacker's passphrase"]).status == .badRequest)
            try await Browser(app).signIn(email, password: "third passphrase here")
        }
    }

    @Test("the reset form answers alike for known and unknown addresses, and mail requests are throttled per address")
    func mailRequestsIndistinguishableAndThrottled() async throws {
        try await TestApp.withApp { app in
            _ = try await Seed.plant(in: app)
            let known = try await Browser(app).post("/password/forgot", ["email": Seed.Who.trainee.email])
            let unknown = try await Browser(app).post("/password/forgot", ["email": "nobody@example.org"])
            #expect(known.status == unknown.status)
            #expect(SecurityAccountTests.strip(known.text) == SecurityAccountTests.strip(unknown.text))
            let browser = Browser(app)
            browser.acceptLanguage = "en"
            var last = try await browser.post("/password/forgot", ["email": "nobody@example.org"])
            for n in 0..<AttemptThrottle.mailRequestsPerAddress.limit {
                last = try await browser.post(n % 2 == 0 ? "/password/forgot" : "/signup",
                                              ["email": "n\(n)@example.org", "name": "N", "password": Self.passphrase, "password_confirm": Self.passphrase])
            }
            #expect(last.status == .tooManyRequests)
            #expect(last.text.contains("Too many requests from your network"))
        }
    }

    static func strip(_ html: String) -> String { AccountsTests.withoutTokens(html) }

    @Test("failing on purpose locks out other browsers, never one that signed in before; an e-mailed link makes a new browser known")
    func lockoutSparesTheOwner() async throws {
        try await TestApp.withApp { app in
            _ = try await Seed.plant(in: app)
            let email = Seed.Who.trainee.email
            let owner = Browser(app)
            try await owner.signIn(email)
            #expect(owner.cookies[KnownDevice.cookieName] != nil)
            _ = try await owner.post("/signout")

            let attacker = Browser(app)
            attacker.acceptLanguage = "en"
            for _ in 0..<AttemptThrottle.perAccount.limit { _ = try await attacker.post("/signin", ["email": email, "password": "wrong guess"]) }
            let locked = try await attacker.post("/signin", ["email": email, "password": Seed.password])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.text.contains("E-mail me a link"))
            #expect(try await Browser(app).post("/signin", ["email": email, "password": Seed.password]).status == .tooManyRequests)
            // The owner's browser still gets in with the right password.
            try await owner.signIn(email)
            _ = try await owner.post("/signout")

            // A new browser of the owner's asks for a link and opens it.
            let newBrowser = Browser(app)
            #expect(try await newBrowser.post("/signin/unlock", ["email": email]).status == .seeOther)
            #expect(try await newBrowser.get(try await Self.link(in: app, to: email, kind: "unlock_sign_in")).status == .seeOther)
            try await newBrowser.signIn(email)
            // An unknown address gets the same answer and no message.
            #expect(try await Browser(app).post("/signin/unlock", ["email": "nobody@example.org"]).location == "/signin?notice=notice.unlock_sent")
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "nobody@example.org").count() == 0)
        }
    }

    @Test("one address failing against many accounts is held back, but not the owners' known browsers")
    func addressLockSparesKnownBrowsers() async throws {
        try await TestApp.withApp { app in
            _ = try await Seed.plant(in: app)
            let owner = Browser(app)
            try await owner.signIn(Seed.Who.staff.email)
            _ = try await owner.post("/signout")
            let attacker = Browser(app)
            for n in 0..<AttemptThrottle.perAddress.limit {
                _ = try await attacker.post("/signin", ["email": "spray\(n)@example.org", "password": "wrong guess"])
            }
            #expect(try await Browser(app).post("/signin", ["email": Seed.Who.mentor.email, "password": Seed.password]).status == .tooManyRequests)
            try await owner.signIn(Seed.Who.staff.email)
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
