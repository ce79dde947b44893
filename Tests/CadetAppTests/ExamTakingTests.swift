import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

/// Taking the admission test over HTTP, as the page's script does: starting within the window,
/// saving idempotently, moving to another browser, the deadline, and what a taker may never see.
@Suite("Taking the admission test")
struct ExamTakingTests {
    @Test("the window decides who may start: not before it opens, not after the last start")
    func startWindow() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            f.exam.apply(ExamTiming(windowStart: Date().addingTimeInterval(3600), windowEnd: Date().addingTimeInterval(9000), durationMinutes: 60, lateStartMinutes: 30))
            try await f.exam.save(on: app.db)
            let browser = try await f.taker()
            browser.json = true
            let early = try await f.start(browser)
            #expect(early.status == .conflict)
            #expect(early.errorCode == "exam.not_yet")
            #expect(early.text.contains("opens at"))

            f.exam.apply(ExamTiming(windowStart: Date().addingTimeInterval(-7200), windowEnd: Date().addingTimeInterval(3600), durationMinutes: 60, lateStartMinutes: 30))
            try await f.exam.save(on: app.db)
            let late = try await f.start(browser)
            #expect(late.errorCode == "exam.too_late")
            #expect(try await f.attempt().status == .prepared)

            f.exam.apply(ExamTiming(windowStart: Date().addingTimeInterval(-60), windowEnd: Date().addingTimeInterval(1800), durationMinutes: 60, lateStartMinutes: 30))
            try await f.exam.save(on: app.db)
            browser.json = false
            let started = try await f.start(browser)
            // The start answers with the paper itself, whose language switch and script point
            // at /take: reloading it asks for the paper, not another start.
            #expect(started.status == .ok)
            #expect(started.text.contains("id=\"exam-form\""))
            #expect(started.text.contains("id=\"question-p_slice\""))
            #expect(started.text.contains("name=\"next\" value=\"\(f.path)/take\""))
            #expect(!started.text.contains("now open here"))
            let attempt = try await f.attempt()
            #expect(attempt.status == .started)
            // Sixty minutes allowed, but the window ends in thirty: the window wins.
            let deadline = try #require(attempt.deadlineAt)
            #expect(abs(deadline.timeIntervalSince(f.exam.windowEnd)) < 1)
            #expect(abs(try #require(attempt.savesUntil).timeIntervalSince(deadline) - 30) < 1)
        }
    }

    @Test("saves are idempotent: duplicates, replays and late older saves change nothing")
    func idempotentSaves() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let browser = try await f.taker()
            _ = try await f.start(browser)
            let ok = try await f.save(browser, seq: 2, ["p_slice": "ad"])
            #expect(ok.status == .ok)
            #expect(ok.text.contains("\"seq\":2"))
            #expect(try await f.save(browser, seq: 2, ["p_slice": "ad"]).status == .ok)
            #expect(try await f.save(browser, seq: 1, ["p_slice": "an older value"]).status == .ok)
            #expect(try await f.answers()["p_slice"]?.value == "ad")
            #expect(try await f.save(browser, seq: 5, ["p_slice": "ade", "p_len": "0"]).status == .ok)
            // The same number twice with another value: the first one stays (a replay, not an edit).
            #expect(try await f.save(browser, seq: 5, ["p_slice": "something else"]).status == .ok)
            let answers = try await f.answers()
            #expect(answers["p_slice"]?.value == "ade")
            #expect(answers["p_slice"]?.seq == 5)
            #expect(answers["p_len"]?.value == "0")
            #expect(answers.count == 2)
            // A heartbeat (no answers) only says the page is alive.
            #expect(try await f.save(browser, seq: 1, [:]).status == .ok)
            #expect(try await f.attempt().lastSeenAt != nil)
        }
    }

    @Test("bad saves are refused with a reason, and nothing is lost")
    func badSaves() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let browser = try await f.taker()
            _ = try await f.start(browser)
            try await f.save(browser, seq: 3, ["p_slice": "ade"])
            let stranger = try await f.save(browser, seq: 4, ["not_on_paper": "x"])
            #expect(stranger.status == .unprocessableEntity)
            #expect(stranger.errorCode == "exam.answer_refused")
            #expect(stranger.text.contains("not_on_paper is not a question on this paper"))
            let long = try await f.save(browser, seq: 4, ["p_slice": String(repeating: "x", count: 20_001)])
            #expect(long.errorCode == "exam.answer_refused")
            let zero = try await f.save(browser, seq: 0, ["p_slice": "x"])
            #expect(zero.text.contains("seq must be a positive whole number"))
            let garbage = try await browser.send(.POST, f.path + "/answers", body: "{\"seq\": \"many\"", contentType: .json,
                                                 extra: ["X-CSRF-Token": try await browser.csrfToken(), "Accept": "application/json"])
            #expect(garbage.status == .badRequest)
            #expect(garbage.text.contains("the body must be JSON"))
            #expect(try await f.answers()["p_slice"]?.value == "ade")
        }
    }

    @Test("a save without the CSRF token, or for someone else's attempt, is refused")
    func forgedSaves() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let browser = try await f.taker()
            _ = try await f.start(browser)
            let forged = try await f.save(browser, seq: 2, ["p_slice": "forged"], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(forged.errorCode == "platform.csrf_rejected")
            // The outsider signs in and aims at the trainee's attempt: it does not exist for them.
            let outsider = try await f.english(.outsider)
            let other = try await f.save(outsider, seq: 9, ["p_slice": "mine now"])
            #expect(other.status == .notFound)
            #expect(other.errorCode == "exam.none")
            outsider.json = true
            #expect(try await outsider.get(f.path).errorCode == "exam.none")
            #expect(try await outsider.get(f.path + "/take").errorCode == "exam.none")
            #expect(try await outsider.postJSON(f.path + "/runs", ["question": "c_sum", "source": "print(1)"]).errorCode == "exam.none")
            #expect(try await f.answers()["p_slice"] == nil)
        }
    }

    @Test("the paper shows samples but never hidden tests, right answers or reference solutions")
    func paperHidesSecrets() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let browser = try await f.taker()
            _ = try await f.start(browser)
            let page = try await browser.get(f.path + "/take")
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("count_vowels"))
            #expect(html.contains("2 3"), "the sample input is shown")
            for secret in ["1111111110", "123456789 987654321", "AEIOU and y", "for ch in text.lower()", "print(a + b)"] {
                #expect(!html.contains(secret), "the paper leaks \(secret)")
            }
            #expect(html.contains("/assets/exam.js"))
            #expect(try await browser.get("/assets/exam.js").status == .ok)
        }
    }

    @Test("opening the test in another session moves it there; the old page's saves are refused and both are logged")
    func takeover() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let first = try await f.taker()
            _ = try await f.start(first)
            try await f.save(first, seq: 1, ["p_slice": "a"])
            let second = try await f.taker()
            let landing = try await second.get(f.path)
            #expect(landing.text.contains("open in another browser"))
            #expect(try await second.get(f.path + "/take").location == f.path)
            let moved = try await f.start(second)
            #expect(moved.status == .ok)
            #expect(moved.text.contains("The test is now open here; the other browser no longer saves."))
            #expect(moved.text.contains("value=\"a\""), "the moved paper shows the answer saved from the first browser")
            let stale = try await f.save(first, seq: 2, ["p_slice": "from the old tab"])
            #expect(stale.status == .conflict)
            #expect(stale.errorCode == "exam.replaced_elsewhere")
            #expect(try await f.save(second, seq: 2, ["p_slice": "ad"]).status == .ok)
            #expect(try await f.answers()["p_slice"]?.value == "ad")
            let kinds = try await ExamEvent.query(on: app.db).filter(\.$attempt.$id == f.attemptID).sort(\.$at).all().map(\.kind)
            #expect(kinds == ["started", "takeover"])
        }
    }

    @Test("after the deadline and its grace, saves are refused with a clear message; within the grace they count")
    func deadlineAndGrace() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let browser = try await f.taker()
            _ = try await f.start(browser)
            try await f.setTimes(deadline: Date().addingTimeInterval(-10), savesUntil: Date().addingTimeInterval(20))
            #expect(try await f.save(browser, seq: 1, ["p_slice": "in the grace"]).status == .ok)
            try await f.setTimes(deadline: Date().addingTimeInterval(-40), savesUntil: Date().addingTimeInterval(-10))
            let late = try await f.save(browser, seq: 2, ["p_slice": "too late"])
            #expect(late.status == .conflict)
            #expect(late.errorCode == "exam.closed")
            #expect(late.text.contains("Time is up"))
            #expect(try await f.answers()["p_slice"]?.value == "in the grace")
        }
    }

    @Test("closing the browser and coming back resumes with every saved answer in place")
    func resume() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let first = try await f.taker()
            _ = try await f.start(first)
            try await f.save(first, seq: 7, ["p_slice": "ade", "c_sum": "print(1 < 2)"])
            let deadline = try await f.attempt().deadlineAt
            let again = try await f.taker()
            let resumed = try await f.start(again)
            #expect(resumed.status == .ok)
            for page in [resumed, try await again.get(f.path + "/take")] {
                #expect(page.text.contains("value=\"ade\""))
                #expect(page.text.contains("print(1 &lt; 2)"))
                #expect(page.text.contains("data-seq=\"7\""))
            }
            #expect(try await f.attempt().deadlineAt == deadline, "resuming does not restart the clock")
        }
    }

    @Test("the page's events are kept for staff; unknown kinds are refused")
    func events() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let browser = try await f.taker()
            _ = try await f.start(browser)
            struct Events: Encodable { struct E: Encodable { let kind: String; let detail: String? }; let events: [E] }
            let ok = try await browser.postJSON(f.path + "/events", Events(events: [.init(kind: "focus_lost", detail: "blur"), .init(kind: "paste", detail: "c_sum: 120 chars")]))
            #expect(ok.status == .noContent)
            let bad = try await browser.postJSON(f.path + "/events", Events(events: [.init(kind: "submitted", detail: nil)]))
            #expect(bad.errorCode == "exam.answer_refused")
            let kinds = Set(try await ExamEvent.query(on: app.db).filter(\.$attempt.$id == f.attemptID).all().map(\.kind))
            #expect(kinds == ["started", "focus_lost", "paste"])
        }
    }

    @Test("submitting ends the attempt; later saves and a second submission are refused")
    func submit() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let browser = try await f.taker()
            _ = try await f.start(browser)
            try await f.save(browser, seq: 1, ["p_slice": "ade", "p_len": "0"])
            let done = try await browser.post(f.path + "/submit")
            #expect(done.location == f.path + "?notice=notice.exam_submitted")
            await app.examMarking.idle()
            let attempt = try await f.attempt()
            #expect(attempt.status == .submitted)
            #expect(attempt.objectiveScore == 4)
            #expect(try await f.save(browser, seq: 2, ["p_slice": "x"]).errorCode == "exam.already_submitted")
            browser.json = true
            #expect(try await browser.post(f.path + "/submit").errorCode == "exam.already_submitted")
            #expect(try await browser.get(f.path).text.contains("submitted"))
        }
    }

    @Test("a start, saves, the paper and the submission may use a session confirmed in the last minute; other routes ask the database, and signing out or a new password ends it at once")
    func recentSessions() async throws {
        try await TestApp.withApp { app in
            let f = try await ExamFixture.make(app)
            let first = try await f.taker()
            _ = try await f.start(first)
            #expect(try await f.save(first, seq: 1, ["p_slice": "a"]).status == .ok)
            // Another process ends the session (here, straight in the database): this process's
            // saves go on with the session it confirmed a moment ago; the landing page asks again.
            try await UserSession.query(on: app.db).delete()
            #expect(try await f.save(first, seq: 2, ["p_slice": "ab"]).status == .ok)
            #expect(try await f.answers()["p_slice"]?.value == "ab")
            let paper = try await first.get(f.path + "/take")
            #expect(paper.status == .ok)
            #expect(paper.text.contains("id=\"question-p_slice\""))
            let again = try await f.start(first)
            #expect(again.status == .ok)
            #expect(again.text.contains("id=\"question-p_slice\""))
            first.json = true
            #expect(try await first.get(f.path).errorCode == "access.sign_in_required")

            // Signing out in this process: the old cookie saves nothing, at once.
            let second = try await f.taker()
            #expect(try await f.start(second).text.contains("The test is now open here"))
            #expect(try await f.save(second, seq: 3, ["p_slice": "abc"]).status == .ok)
            let signedOut = second.cookies
            #expect(try await second.post("/signout").status == .seeOther)
            second.cookies = signedOut
            let afterSignOut = try await f.save(second, seq: 4, ["p_slice": "abcd"])
            #expect(afterSignOut.status == .unauthorized)
            #expect(afterSignOut.errorCode == "access.sign_in_required")
            second.json = true
            #expect(try await second.get(f.path + "/take").errorCode == "access.sign_in_required")
            #expect(try await f.start(second).errorCode == "access.sign_in_required")
            #expect(try await second.post(f.path + "/submit").errorCode == "access.sign_in_required")
            #expect(try await f.attempt().status == .started)

            // A new password signs out every other browser of the person, remembered or not.
            let third = try await f.taker()
            _ = try await f.start(third)
            #expect(try await f.save(third, seq: 5, ["p_slice": "abcde"]).status == .ok)
            let fourth = try await f.taker()
            let changed = try await fourth.post("/account/password", ["current_password": Seed.password, "password": "a new passphrase", "password_confirm": "a new passphrase"])
            #expect(changed.status == .seeOther)
            #expect(try await f.save(third, seq: 6, ["p_slice": "abcdef"]).errorCode == "access.sign_in_required")
            #expect(try await f.answers()["p_slice"]?.value == "abcde")

            // The submission: the last browser hands the test in after another process ended
            // its session.
            #expect(try await f.start(fourth).status == .ok)
            try await UserSession.query(on: app.db).delete()
            _ = try await fourth.post(f.path + "/submit")
            #expect(try await f.attempt().status == .submitted)
        }
    }
}
