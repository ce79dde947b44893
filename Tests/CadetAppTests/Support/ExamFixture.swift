import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

/// The seed's alpha test, open now, with the trainee's attempt; helpers to take it as the
/// trainee's browser would.
struct ExamFixture {
    let app: Application
    let seed: Seed

    static func make(_ app: Application) async throws -> ExamFixture {
        ExamFixture(app: app, seed: try await Seed.plant(in: app))
    }

    var exam: Exam { seed.alphaExam }
    var attemptID: UUID { seed.alphaAttempt.id! }
    var path: String { "/exams/\(attemptID.uuidString.lowercased())" }
    var staffBase: String { "/programmes/alpha/cohorts/a1/exam" }

    /// A new browser session for the trainee (as after signing in again).
    func taker() async throws -> Browser {
        try await english(.trainee)
    }

    /// A browser reading English, so tests can look for the English words.
    func english(_ who: Seed.Who) async throws -> Browser {
        let browser = try await seed.browser(who, app: app)
        browser.acceptLanguage = "en"
        return browser
    }

    func start(_ browser: Browser) async throws -> TestingHTTPResponse {
        try await browser.post(path + "/start")
    }

    struct Save: Encodable { let seq: Int; let answers: [String: String] }

    @discardableResult
    func save(_ browser: Browser, seq: Int, _ answers: [String: String], csrf: Bool = true) async throws -> TestingHTTPResponse {
        try await browser.postJSON(path + "/answers", Save(seq: seq, answers: answers), csrf: csrf)
    }

    func attempt() async throws -> ExamAttempt {
        try #require(try await ExamAttempt.find(attemptID, on: app.db))
    }

    func answers() async throws -> [String: ExamAnswer] {
        Dictionary(uniqueKeysWithValues: try await ExamAnswer.query(on: app.db).filter(\.$attempt.$id == attemptID).all().map { ($0.questionKey, $0) })
    }

    /// The questions on the trainee's paper, in order.
    func paperKeys() async throws -> [String] {
        try await attempt().paper.items.map(\.question)
    }

    /// Right answers to the example test's questions.
    static let right: [String: String] = [
        "m_mean": "10.75", "m_slope": "3", "m_prob": "1/36", "m_log": "1",
        "p_len": "0", "p_mutable": "0,2,4", "p_slice": "ade",
        "c_sum": "a, b = map(int, input().split())\nprint(a + b)\n",
        "c_vowels": "def count_vowels(text):\n    return sum(1 for ch in text.lower() if ch in 'aeiou')\n",
    ]

    /// Moves the clock on an attempt: what a long wait would do.
    func setTimes(deadline: Date, savesUntil: Date) async throws {
        let attempt = try await attempt()
        attempt.deadlineAt = deadline
        attempt.savesUntil = savesUntil
        try await attempt.save(on: app.db)
    }
}
