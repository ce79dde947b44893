import CadetCore
import CadetSandbox
import Fluent
import Foundation
import Logging
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

/// Marking the test: objective answers at submission, code in the real sandbox with partial
/// credit, the score into the selection rubric, re-grading after a fix, the deadline's own
/// submission, sample runs and the signals staff see.
@Suite("Grading the admission test")
struct ExamGradingTests {
    static func worker(_ app: Application) throws -> GradingWorker {
        let sandbox = try Sandbox(configuration: SandboxConfiguration(concurrency: 2))
        return GradingWorker.standard(database: app.db, sandbox: sandbox, owner: "test", concurrency: 2, logger: Logger(label: "test"))
    }

    static func drain(_ worker: GradingWorker) async throws {
        while try await worker.gradeNext() {}
    }

    /// Starts the trainee's attempt, answers every question on the paper rightly except
    /// `c_vowels` (which earns 2 of its 5 points), submits, and waits for the marking.
    static func submitMostlyRight(_ f: ExamFixture) async throws {
        try await submitMostlyRightUnmarked(f)
        await f.app.examMarking.idle()
    }

    static func submitMostlyRightUnmarked(_ f: ExamFixture) async throws {
        let browser = try await f.taker()
        _ = try await f.start(browser)
        var answers = Dictionary(uniqueKeysWithValues: try await f.paperKeys().map { ($0, ExamFixture.right[$0]!) })
        answers["c_vowels"] = "def count_vowels(text):\n    return 0\n"
        #expect(try await f.save(browser, seq: 1, answers).status == .ok)
        #expect(try await browser.post(f.path + "/submit").status == .seeOther)
    }

    @Test("objective answers are marked after submission, code by the workers with partial credit, and the score reaches the rubric")
    func endToEnd() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            try await Self.submitMostlyRight(f)
            var attempt = try await f.attempt()
            #expect(attempt.objectiveScore == 13)
            #expect(attempt.maxScore == 23)
            #expect(attempt.gradedAt == nil, "code is still being graded")
            #expect(try await GradingJob.query(on: app.db).filter(\.$purpose == "exam").count() == 2)

            try await Self.drain(try Self.worker(app))
            attempt = try await f.attempt()
            #expect(attempt.codeScore == 7)
            #expect(attempt.totalScore == 20)
            #expect(attempt.gradedAt != nil)
            let answers = try await f.answers()
            #expect(answers["c_sum"]?.score == 5)
            #expect(answers["c_vowels"]?.verdict == "wrong_answer")
            #expect(try await Applicant.find(f.seed.alphaApplication.id, on: app.db)?.testScore == 86.96)

            let staff = try await f.english(.staff)
            let results = try await staff.get(f.staffBase + "/results")
            #expect(results.text.contains("<td class=\"total\">20</td>"))
            #expect(results.text.contains("87.0%"))
            let detail = try await staff.get("\(f.staffBase)/attempts/\(f.attemptID.uuidString.lowercased())")
            #expect(detail.text.contains("Wrong answer"))
            #expect(detail.text.contains("capitals"), "staff see the hidden tests' verdicts")
            let csv = try await staff.get(f.staffBase + "/results.csv")
            #expect(csv.text.contains(",20,87.0%,"))
        }
    }

    @Test("a paper with no code to grade is marked completely after submission, its writes in one commit on SQLite")
    func objectiveOnly() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let browser = try await f.taker()
            _ = try await f.start(browser)
            #expect(try await f.save(browser, seq: 1, ["p_slice": "ade", "p_len": "3"]).status == .ok)
            let commitsBefore = app.groupCommit.transactions
            #expect(try await browser.post(f.path + "/submit").status == .seeOther)
            await app.examMarking.idle()
            if app.groupCommit.batching {
                #expect(app.groupCommit.transactions - commitsBefore == 2, "the submission, then its marks")
            }
            let attempt = try await f.attempt()
            #expect(attempt.objectiveScore == 2)
            #expect(attempt.codeScore == 0)
            #expect(attempt.totalScore == 2)
            #expect(attempt.gradedAt != nil)
            #expect(try await GradingJob.query(on: app.db).filter(\.$purpose == "exam").count() == 0)
            #expect(try await Applicant.find(f.seed.alphaApplication.id, on: app.db)?.testScore == 8.7)
            #expect(try await f.answers()["p_slice"]?.verdict == "correct")
        }
    }

    @Test("after staff fix a question's tests, re-grading marks every answer again and is audited")
    func regrade() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            try await Self.submitMostlyRight(f)
            let worker = try Self.worker(app)
            try await Self.drain(worker)
            #expect(try await f.attempt().totalScore == 20)

            // The fix: "capitals" and "long" were the only tests a `return 0` answer failed
            // besides "empty" and "none"; say staff decide vowels count only in lower case now
            // and the tests change accordingly: the wrong answer still gets the zero cases.
            var fixed = ExamDefinition.example
            let coding = fixed.sections.firstIndex { $0.key == "coding" }!
            let vowels = fixed.sections[coding].questions.firstIndex { $0.key == "c_vowels" }!
            fixed.sections[coding].questions[vowels].problem!.tests.removeAll { $0.name == "capitals" }
            let staff = try await f.english(.staff)
            _ = try await staff.get(f.staffBase)
            #expect(try await ExamSetupTests.upload(staff, f.staffBase + "/definition", file: fixed.json).status == .seeOther)
            let regraded = try await staff.post(f.staffBase + "/regrade", ["question": "c_vowels"])
            #expect(regraded.location == f.staffBase + "/results?notice=notice.exam_regrading")
            #expect(try await f.attempt().gradedAt == nil)
            try await Self.drain(worker)
            let attempt = try await f.attempt()
            #expect(attempt.maxScore == 21)
            #expect(attempt.totalScore == 20)
            #expect(try await f.answers()["c_vowels"]?.score == 2)
            #expect(try await Applicant.find(f.seed.alphaApplication.id, on: app.db)?.testScore == 95.24)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "exam.regrade").count() == 1)

            // Objective questions are re-marked at once.
            var lenient = fixed
            let python = lenient.sections.firstIndex { $0.key == "python" }!
            lenient.sections[python].questions[2].accept = ["ade", "zzz"]
            #expect(try await ExamSetupTests.upload(staff, f.staffBase + "/definition", file: lenient.json).status == .seeOther)
            _ = try await staff.post(f.staffBase + "/regrade", ["question": "p_slice"])
            #expect(try await f.attempt().totalScore == 20)
            #expect(try await f.attempt().gradedAt != nil)
        }
    }

    /// At the end of a test thousands of submissions arrive in the same minute: the taker's
    /// answer waits for the submission's commit only, and the marking follows.
    @Test("a submission is answered before it is marked; the marking lane marks it after")
    func markedAfterTheAnswer() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let held = Hold()
            app.examMarking = BackgroundLane(width: 1) { id in
                await held.wait()
                try? await ExamMarking.mark(id, app)
            }
            let browser = try await f.taker()
            _ = try await f.start(browser)
            #expect(try await f.save(browser, seq: 1, ["p_slice": "ade", "p_len": "3"]).status == .ok)
            #expect(try await browser.post(f.path + "/submit").location == f.path + "?notice=notice.exam_submitted")
            var attempt = try await f.attempt()
            #expect(attempt.status == .submitted)
            #expect(attempt.objectiveScore == nil, "not marked while the lane is held")
            #expect(app.examMarking.pending == 1)
            await held.release()
            await app.examMarking.idle()
            attempt = try await f.attempt()
            #expect(attempt.objectiveScore == 2)
            #expect(attempt.gradedAt != nil)
        }
    }

    @Test("marking the same submission twice, one after the other or at once, writes its marks and queues its code once")
    func markingTwice() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            // The lane leaves this submission alone: the test marks it itself.
            app.examMarking = BackgroundLane(width: 1) { _ in }
            try await Self.submitMostlyRightUnmarked(f)
            #expect(try await f.attempt().objectiveScore == nil)
            let grading = ExamGrading(database: app.db, writes: app.groupCommit)
            async let first: Void = grading.grade(f.attemptID)
            async let second: Void = grading.grade(f.attemptID)
            _ = try await (first, second)
            try await grading.grade(f.attemptID)
            #expect(try await GradingJob.query(on: app.db).filter(\.$purpose == "exam").count() == 2, "one job for each code answer")
            #expect(try await f.attempt().objectiveScore == 13)
        }
    }

    @Test("at the deadline the sweeper submits the attempt from its saved answers")
    func deadlineSweep() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let browser = try await f.taker()
            _ = try await f.start(browser)
            try await f.save(browser, seq: 1, ["p_slice": "ade", "p_len": "3"])
            #expect(try await ExamSweeper.sweep(on: app.db).submitted == 0)
            try await f.setTimes(deadline: Date().addingTimeInterval(-60), savesUntil: Date().addingTimeInterval(-30))
            let swept = try await ExamSweeper.sweep(on: app.db)
            #expect(swept.submitted == 1)
            let attempt = try await f.attempt()
            #expect(attempt.status == .submitted)
            #expect(attempt.objectiveScore == 2)
            #expect(attempt.totalScore == 2, "nothing left for the sandbox: marked completely")
            #expect(attempt.gradedAt != nil)
            #expect(try await ExamEvent.query(on: app.db).filter(\.$attempt.$id == f.attemptID).filter(\.$kind == "submitted").first()?.detail == "deadline")
            // Nothing to do twice.
            #expect(try await ExamSweeper.sweep(on: app.db).submitted == 0)
        }
    }

    @Test("a taker runs the samples through the sandbox and sees each sample's verdict; runs are limited")
    func sampleRuns() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let browser = try await f.taker()
            _ = try await f.start(browser)
            let worker = try Self.worker(app)
            try await Self.drain(worker)
            let started = try await browser.postJSON(f.path + "/runs", ["question": "c_sum", "source": "print(5)"])
            #expect(started.status == .ok)
            struct Started: Decodable { let run: String }
            let run = try JSONDecoder().decode(Started.self, from: Data(started.body.readableBytesView)).run
            let busy = try await browser.postJSON(f.path + "/runs", ["question": "c_sum", "source": "print(5)"])
            #expect(busy.status == .tooManyRequests)
            #expect(busy.errorCode == "exam.run_pending")
            browser.json = true
            #expect(try await browser.get(f.path + "/runs/" + run).text.contains("\"done\":false"))
            try await Self.drain(worker)
            let result = try await browser.get(f.path + "/runs/" + run).text
            #expect(result.contains("\"done\":true"))
            #expect(result.contains("\"name\":\"small\""))
            #expect(result.contains("\"verdict\":\"accepted\""))
            #expect(!result.contains("negative"), "hidden tests are not run for samples")
            let noSamples = try await browser.postJSON(f.path + "/runs", ["question": "p_slice", "source": "print(5)"])
            #expect(noSamples.errorCode == "exam.run_refused")
        }
    }

    @Test("code answers alike after renaming are listed for staff; different ones are not")
    func similarity() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let sources = [
                "def count_vowels(text):\n    total = 0\n    for letter in text.lower():\n        if letter in 'aeiou':\n            total = total + 1\n    return total\n",
                "def count_vowels(s):\n    n = 0\n    for c in s.lower():\n        if c in 'aeiou':\n            n = n + 1\n    return n\n",
                "def count_vowels(text):\n    return len([ch for ch in text if ch.lower() in set('aeiou')])\n",
            ]
            var ids: [UUID] = []
            for (index, source) in sources.enumerated() {
                let applicant = Applicant()
                applicant.$round.id = f.seed.alphaRound.id!
                applicant.$cohort.id = f.seed.alphaCohort.id!
                applicant.name = "Similar \(index)"
                applicant.email = "similar\(index)@test.example"
                applicant.stage = .submitted
                applicant.answersJSON = "{}"
                try await applicant.create(on: app.db)
                let attempt = ExamAttempt()
                attempt.$exam.id = f.exam.id!
                attempt.$applicant.id = applicant.id!
                attempt.paperJSON = try await f.attempt().paperJSON
                attempt.paperVersion = 1
                attempt.status = .submitted
                attempt.extraMinutes = 0
                try await attempt.create(on: app.db)
                let answer = ExamAnswer()
                answer.$attempt.id = attempt.id!
                answer.questionKey = "c_vowels"
                answer.value = source
                answer.seq = 1
                answer.savedAt = Date()
                try await answer.create(on: app.db)
                ids.append(attempt.id!)
            }
            let pairs = try await ExamQueries(database: app.db).similarPairs(of: f.exam.id!, definition: .example)
            #expect(pairs.count == 1)
            #expect(Set([pairs.first?.pair.first, pairs.first?.pair.second]) == Set([ids[0].uuidString, ids[1].uuidString]))
            let staff = try await f.english(.staff)
            let page = try await staff.get(f.staffBase + "/results").text
            #expect(page.contains("Similar 0") && page.contains("100%"))
        }
    }

    @Test("the live page counts takers and lists those not heard from first")
    func livePage() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let browser = try await f.taker()
            _ = try await f.start(browser)
            // The page reads the application's clock, so a slow machine cannot move "120 s ago".
            let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded())
            app.clock = FixedClock(now)
            let attempt = try await f.attempt()
            attempt.lastSeenAt = now.addingTimeInterval(-120)
            try await attempt.save(on: app.db)
            let staff = try await f.english(.staff)
            let page = try await staff.get(f.staffBase + "/live").text
            #expect(page.contains("data-count=\"in-progress\">1<"))
            #expect(page.contains("data-count=\"trouble\">1<"))
            #expect(page.contains("http-equiv=\"refresh\""))
            #expect(page.contains("120 s ago"))
        }
    }
}
