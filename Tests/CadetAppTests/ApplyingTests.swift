import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

@Suite("Applying")
struct ApplyingTests {
    static func profile(_ extra: [String: String] = [:]) -> [String: String] {
        ["name": "김지원", "phone": "010-1234-5678", "birth_date": "1998-04-01", "region": "Gwangju", "gender": "female",
         "education": "bachelor", "major_field": "computing", "employment_status": "unemployed"].merging(extra) { $1 }
    }

    static func path(_ a: Applicant) -> String { "/applications/\(a.id!.uuidString.lowercased())" }

    @Test("an applicant saves a draft, submits with the consent they saw, and gets a number and a confirmation")
    func submit() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.trainee, app: app)
            browser.acceptLanguage = "en"
            let path = Self.path(seed.alphaApplication)
            #expect(try await browser.post(path, ["name": "김지원", "region": "Gwangju"]).status == .seeOther)
            let missing = try await browser.post(path + "/submit", ["name": "김지원"])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.text.contains("Birth date: this is required."))
            #expect(missing.text.contains("Consent: this is required."))
            let draft = try #require(try await Applicant.find(seed.alphaApplication.id, on: app.db))
            #expect(draft.stage == .draft && draft.region == "Gwangju")

            let submitted = try await browser.post(path + "/submit", Self.profile(["consent": "yes"]))
            #expect(submitted.status == .seeOther)
            let done = try #require(try await Applicant.find(seed.alphaApplication.id, on: app.db))
            #expect(done.stage == .submitted && done.number == 1 && done.submittedAt != nil)
            let consent = try #require(try await ConsentService.current(for: seed.alphaRound.id!, on: app.db))
            #expect(done.consentVersionID == consent.id && done.consentedAt != nil)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == Seed.Who.trainee.email).filter(\.$kind == "application_submitted").count() == 1)
            // A later consent version does not change what this applicant agreed to.
            try await ConsentService(database: app.db, actor: .demo).publish(for: seed.alphaRound, cohort: seed.alphaCohort, ConsentService.standard)
            #expect(try await Applicant.find(done.id, on: app.db)?.consentVersionID == consent.id)
        }
    }

    @Test("bad values are named and nothing is saved")
    func badValues() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.trainee, app: app)
            browser.acceptLanguage = "ko"
            let response = try await browser.post(Self.path(seed.alphaApplication), Self.profile(["birth_date": "1998-02-31", "region": "Atlantis", "phone": "call me"]))
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("생년월일: 날짜를 YYYY-MM-DD 형식으로 입력하세요."))
            #expect(response.text.contains("data-field=\"region\""))
            #expect(response.text.contains("data-field=\"phone\""))
            #expect(try await Applicant.find(seed.alphaApplication.id, on: app.db)?.birthDate == nil)
        }
    }

    @Test("after the deadline nothing can be saved or submitted; the server's clock decides")
    func deadline() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            seed.alphaRound.closesAt = Date().addingTimeInterval(-1)
            try await seed.alphaRound.update(on: app.db)
            let browser = try await seed.browser(.trainee, app: app)
            browser.acceptLanguage = "en"
            let late = try await browser.post(Self.path(seed.alphaApplication) + "/submit", Self.profile(["consent": "yes"]))
            #expect(late.status == .conflict)
            #expect(late.text.contains("Applications have closed"))
            #expect(try await Applicant.find(seed.alphaApplication.id, on: app.db)?.stage == .draft)
            let start = try await seed.browser(.mentor, app: app).post("/apply/alpha/a1")
            #expect(start.status == .conflict)
        }
    }

    @Test("an eligibility question answered no blocks submission")
    func eligibility() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            try await RoundService(database: app.db, actor: .demo, timeZone: app.config.timeZone).addQuestion(to: seed.alphaRound, cohort: seed.alphaCohort, try QuestionDraft.parse([
                "key": "resident", "label_ko": "광주 거주", "label_en": "Lives in Gwangju", "kind": "eligibility"]))
            let browser = try await seed.browser(.trainee, app: app)
            browser.acceptLanguage = "en"
            let no = try await browser.post(Self.path(seed.alphaApplication) + "/submit", Self.profile(["consent": "yes", "q_resident": "no"]))
            #expect(no.status == .unprocessableEntity)
            #expect(no.text.contains("requires"))
            let yes = try await browser.post(Self.path(seed.alphaApplication) + "/submit", Self.profile(["consent": "yes", "q_resident": "yes"]))
            #expect(yes.status == .seeOther)
        }
    }

    @Test("multiple-choice answers keep every choice")
    func multipleChoice() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            try await RoundService(database: app.db, actor: .demo, timeZone: app.config.timeZone).addQuestion(to: seed.alphaRound, cohort: seed.alphaCohort, try QuestionDraft.parse([
                "key": "tracks", "label_ko": "관심 분야", "label_en": "Tracks", "kind": "multiple_choice", "options": "Vision\nLanguage\nTime series"]))
            let browser = try await seed.browser(.trainee, app: app)
            _ = try await browser.get("/")
            let token = try await browser.csrfToken()
            let body = "_csrf=\(token)&q_tracks%5B%5D=Vision&q_tracks%5B%5D=Time%20series&name=x"
            #expect(try await browser.send(.POST, Self.path(seed.alphaApplication), body: body).status == .seeOther)
            #expect(try await Applicant.find(seed.alphaApplication.id, on: app.db)?.answers["tracks"] == "Vision\nTime series")
        }
    }

    @Test("uploads are checked by content and size, and shown only to the applicant and staff")
    func uploads() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.trainee, app: app)
            browser.acceptLanguage = "en"
            let path = Self.path(seed.alphaApplication)
            let pdf = Data("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n".utf8)
            #expect(try await Multipart.upload(browser, path + "/files/cv", filename: "cv.pdf", data: pdf).status == .seeOther)
            let exe = Data([0x4D, 0x5A, 0x90, 0x00]) + Data(repeating: 0, count: 100)
            let disguised = try await Multipart.upload(browser, path + "/files/cv", filename: "cv.pdf", data: exe)
            #expect(disguised.status == .unprocessableEntity)
            #expect(disguised.text.contains("checked by content"))
            let huge = Data("%PDF-".utf8) + Data(repeating: 0x20, count: 11 << 20)
            #expect(try await Multipart.upload(browser, path + "/files/cv", filename: "big.pdf", data: huge).status.code >= 400)

            let file = try #require(try await ApplicantFile.query(on: app.db).filter(\.$applicant.$id == seed.alphaApplication.id!).first())
            #expect(file.filename == "cv.pdf" && file.contentType == "application/pdf")
            let own = try await browser.get(path + "/files/\(file.id!.uuidString)")
            #expect(own.status == .ok && own.body.readableBytes == pdf.count)
            #expect(own.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            // Another applicant: not found. A mentor: forbidden. Staff: yes.
            #expect(try await seed.browser(.outsider, app: app).get(path + "/files/\(file.id!.uuidString)").status == .notFound)
            let staffPath = "/programmes/alpha/cohorts/a1/applicants/\(seed.alphaApplication.id!.uuidString.lowercased())/files/\(file.id!.uuidString)"
            #expect(try await seed.browser(.mentor, app: app).get(staffPath).status == .forbidden)
            #expect(try await seed.browser(.staff, app: app).get(staffPath).status == .ok)
            // Stored outside anything served: no URL reaches it by name.
            #expect(try await browser.get("/uploads/\(file.storageName)").status == .notFound)
        }
    }

    @Test("an applicant can never read another's application")
    func privacy() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let other = try await seed.browser(.outsider, app: app)
            #expect(try await other.get(Self.path(seed.alphaApplication)).status == .notFound)
            #expect(try await other.post(Self.path(seed.alphaApplication), ["name": "hijack"]).status == .notFound)
            #expect(try await Applicant.find(seed.alphaApplication.id, on: app.db)?.name != "hijack")
            let list = try await other.get("/applications").text
            #expect(!list.contains("Alpha Academy"))
        }
    }

    @Test("withdrawing is the applicant's own move, and is audited")
    func withdraw() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let browser = try await seed.browser(.trainee, app: app)
            #expect(try await browser.post(Self.path(seed.alphaApplication) + "/withdraw").status == .seeOther)
            #expect(try await Applicant.find(seed.alphaApplication.id, on: app.db)?.stage == .withdrawn)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "application.withdrawn").count() == 1)
            #expect(try await browser.post(Self.path(seed.alphaApplication) + "/withdraw").status == .conflict)
        }
    }
}

/// Builds multipart form uploads the way a browser sends them.
enum Multipart {
    static func upload(_ browser: Browser, _ path: String, filename: String, data: Data, field: String = "file",
                       fields: [String: String] = [:]) async throws -> TestingHTTPResponse {
        try await upload(browser, path, files: [(field, filename, data)], fields: fields)
    }

    /// Several files in one form.
    static func upload(_ browser: Browser, _ path: String, files: [(field: String, filename: String, data: Data)],
                       fields: [String: String] = [:]) async throws -> TestingHTTPResponse {
        if browser.cookies[CSRFMiddleware.cookieName] == nil { _ = try await browser.get("/healthz") }
        let boundary = "cadet-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields.merging([CSRFMiddleware.fieldName: try await browser.csrfToken()], uniquingKeysWith: { a, _ in a }) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for file in files {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        if let language = browser.acceptLanguage { headers.add(name: .acceptLanguage, value: language) }
        let request = TestingHTTPRequest(method: .POST, url: URI(path: path), headers: headers, body: ByteBuffer(data: body))
        return try await browser.app.testing().performTest(request: request)
    }
}
