import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

/// Staff set the test up through its pages: timing, content as a file, preview, preparation
/// and extra time. Bad input is refused with every problem named, and changes nothing.
@Suite("Setting up the admission test")
struct ExamSetupTests {
    static func upload(_ browser: Browser, _ path: String, file: String) async throws -> TestingHTTPResponse {
        let boundary = "cadet-test-boundary"
        let token = try await browser.csrfToken()
        let body = """
            --\(boundary)\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n\(token)\r\n\
            --\(boundary)\r\nContent-Disposition: form-data; name="file"; filename="test.json"\r\nContent-Type: application/json\r\n\r\n\(file)\r\n\
            --\(boundary)--\r\n
            """
        return try await browser.send(.POST, path, body: body, contentType: HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary]))
    }

    @Test("staff set the timing, load the content, export it, preview it and prepare the attempts")
    func setUpOverHTTP() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            try await seed.alphaExam.delete(on: app.db)
            let applicant = seed.alphaApplication!
            applicant.stage = .submitted
            try await applicant.save(on: app.db)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            let base = "/programmes/alpha/cohorts/a1/exam"
            _ = try await staff.get(base)

            let bad = try await staff.post(base + "/timing", ["window_start": "2027-04-02T12:00", "window_end": "2027-04-02T10:00", "duration_minutes": "0", "late_start_minutes": "30"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("data-field=\"window_end\""))
            #expect(bad.text.contains("data-field=\"duration_minutes\""))
            #expect(try await ExamSetupService.exam(of: seed.alphaRound.id!, on: app.db) == nil)

            let timing = try await staff.post(base + "/timing", ["window_start": "2027-04-02T10:00", "window_end": "2027-04-02T12:00", "duration_minutes": "100", "late_start_minutes": "30", "grace_seconds": "20"])
            #expect(timing.status == .seeOther)
            let exam = try #require(try await ExamSetupService.exam(of: seed.alphaRound.id!, on: app.db))
            #expect(exam.durationMinutes == 100)
            #expect(exam.graceSeconds == 20)

            let unreadable = try await Self.upload(staff, base + "/definition", file: "{\"title\": \"x\", \"sections\": [")
            #expect(unreadable.status == .unprocessableEntity)
            #expect(unreadable.text.contains("could not be read"))
            var broken = ExamDefinition.example
            broken.sections[1].questions[0].answer = [7]
            broken.sections[2].questions[0].problem?.tests.removeAll { !$0.sample }
            let invalid = try await Self.upload(staff, base + "/definition", file: broken.json)
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.text.contains("sections[1].questions[0].answer"))
            #expect(invalid.text.contains("sections[2].questions[0].problem.tests: at least one hidden test"))
            #expect(try await Exam.find(exam.id, on: app.db)?.version == 0)

            let loaded = try await Self.upload(staff, base + "/definition", file: ExamDefinition.example.json)
            #expect(loaded.location == base + "?notice=notice.exam_content_saved")
            let exported = try await staff.get(base + "/definition.json")
            #expect(exported.headers.first(name: .contentDisposition)?.contains("alpha-a1-exam.json") == true)
            #expect(try ExamDefinition.decode(Data(exported.text.utf8)) == ExamDefinition.example)

            let preview = try await staff.get(base + "/preview")
            #expect(preview.status == .ok)
            #expect(preview.text.contains("data-preview=\"true\""))
            #expect(!preview.text.contains("1111111110"))

            #expect(try await staff.post(base + "/prepare").location == base + "?notice=notice.exam_prepared")
            let attempts = try await ExamAttempt.query(on: app.db).filter(\.$exam.$id == exam.id!).all()
            #expect(attempts.count == 1)
            #expect(attempts.first?.paper.items.count == 8)
            // Preparing again makes nothing twice.
            _ = try await staff.post(base + "/prepare")
            #expect(try await ExamAttempt.query(on: app.db).filter(\.$exam.$id == exam.id!).count() == 1)
            let actions = try await AuditEvent.query(on: app.db).filter(\.$entityType == "exam").all().map(\.action)
            #expect(actions.contains("exam.create") && actions.contains("exam.definition") && actions.contains("exam.prepare"))
        }
    }

    @Test("papers draw N of M and shuffle questions and choices, so neighbours differ; each paper is kept")
    func papersDiffer() async throws {
        let definition = ExamDefinition.example
        let papers = (0..<40).map { _ in Paper.draw(definition.plan, seed: Paper.seed(UUID().uuidString)) }
        for paper in papers {
            #expect(paper.items.count == 8)
            #expect(paper.items.filter { $0.section == "maths" }.count == 3)
            #expect(Set(paper.items.map(\.question)).count == 8)
        }
        #expect(Set(papers.map { $0.items.map(\.question) }).count > 10)
        #expect(Set(papers.compactMap { $0.items.first { $0.question == "p_mutable" }?.choiceOrder }).count > 5)
        let id = UUID()
        #expect(ExamSetupService.paperJSON(for: id, definition: definition, version: 3) == ExamSetupService.paperJSON(for: id, definition: definition, version: 3))
    }

    @Test("changing the content keeps the questions of papers already started")
    func contentChangeKeepsStartedQuestions() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let browser = try await f.taker()
            _ = try await f.start(browser)
            var smaller = ExamDefinition.example
            smaller.sections.removeLast()
            let staff = try await f.english(.staff)
            _ = try await staff.get(f.staffBase)
            let refused = try await Self.upload(staff, f.staffBase + "/definition", file: smaller.json)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("c_sum, c_vowels are on papers already started"))
        }
    }

    @Test("extra time extends a started attempt's deadline at once, the taker's page hears of it at its next save, and it is audited")
    func extraTime() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let taker = try await f.taker()
            _ = try await f.start(taker)
            let before = try #require(try await f.attempt().deadlineAt)
            let key = try #require(try await f.paperKeys().first)
            // A save before: the server now knows the paper's questions, and the page the deadline.
            #expect(try await f.save(taker, seq: 1, [key: "1"]).content.decode(ExamTaking.Saved.self).deadline == before.milliseconds)
            let staff = try await f.english(.staff)
            let path = "\(f.staffBase)/attempts/\(f.attemptID.uuidString.lowercased())"
            _ = try await staff.get(path)
            let bad = try await staff.post(path + "/extra-time", ["extra_minutes": "lots"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("data-field=\"extra_minutes\""))
            #expect(try await staff.post(path + "/extra-time", ["extra_minutes": "15"]).status == .seeOther)
            let after = try await f.attempt()
            #expect(after.extraMinutes == 15)
            let extended = try #require(after.deadlineAt)
            #expect(abs(extended.timeIntervalSince(before) - 900) < 1)
            // The next save, with answers or without (a heartbeat), brings the page the new deadline.
            #expect(try await f.save(taker, seq: 2, [key: "2"]).content.decode(ExamTaking.Saved.self).deadline == extended.milliseconds)
            #expect(try await f.save(taker, seq: 3, [:]).content.decode(ExamTaking.Saved.self).deadline == extended.milliseconds)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "exam.extra_time").count() == 1)
        }
    }
}
