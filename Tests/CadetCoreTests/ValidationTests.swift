import Testing
@testable import CadetCore

@Suite("Drafts and validation")
struct ValidationTests {
    @Test("slugs: lowercase letters, digits, inner single hyphens, 1 to 40 characters")
    func slugs() {
        for good in ["c1", "gwangju-ai", "kaist-mle-2026", String(repeating: "a", count: 40)] { #expect(Slug.isValid(good), "\(good)") }
        for bad in ["", "-a", "a-", "a--b", "A1", "한글", "a b", "a/b", String(repeating: "a", count: 41)] { #expect(!Slug.isValid(bad), "\(bad)") }
    }

    @Test("a cohort draft collects every problem at once")
    func cohortProblems() {
        #expect(throws: ValidationFailure.self) { try CohortDraft.parse([:]) }
        do {
            _ = try CohortDraft.parse(["slug": "x y", "capacity": "0", "starts_on": "2026-13-01", "ends_on": "2026-01-01", "target_hours": "1.5"])
        } catch {
            #expect(error.issue(for: "slug")?.kind == .invalidFormat)
            #expect(error.issue(for: "name")?.kind == .required)
            #expect(error.issue(for: "capacity")?.kind == .outOfRange(minimum: 1, maximum: 10_000))
            #expect(error.issue(for: "starts_on")?.kind == .invalidDate)
            #expect(error.issue(for: "target_hours")?.kind == .notAWholeNumber)
        }
    }

    @Test("a valid cohort draft keeps its values and knows its weekday hours")
    func cohortDraft() throws {
        let draft = try CohortDraft.parse(["slug": "c1", "name": " 1기 ", "capacity": "25", "starts_on": "2022-05-09", "ends_on": "2022-07-05", "target_hours": "320"])
        #expect(draft.name == "1기")
        #expect(draft.capacity == 25 && draft.targetHours == 320)
        // 9 May to 5 July 2022: 42 weekdays, 336 hours at 8 a day, room for the 320-hour course.
        #expect(draft.weekdayHoursAvailable == 336)
    }

    @Test("calendar dates parse strictly and count weekdays")
    func dates() throws {
        #expect(CalendarDate(iso: "2024-02-29") != nil)
        #expect(CalendarDate(iso: "2023-02-29") == nil)
        #expect(CalendarDate(iso: "2024-2-9") == nil)
        #expect(CalendarDate(iso: "２０２４-０２-０９") == nil)
        let monday = try #require(CalendarDate(iso: "2026-11-16"))
        let sunday = try #require(CalendarDate(iso: "2026-11-22"))
        #expect(monday.weekdays(through: sunday) == 5)
        #expect(monday.days(until: sunday) == 6)
    }

    @Test("passwords: at least 10 characters, at most bcrypt's 72 bytes, confirmed")
    func passwords() {
        func issues(_ values: [String: String]) -> [FieldIssue] {
            var reader = FieldReader(values)
            _ = AccountDraft.readNewPassword(&reader, values: values)
            return reader.issues
        }
        #expect(issues(["password": "short"]).first?.kind == .tooShort(minimum: 10))
        #expect(issues(["password": String(repeating: "가", count: 25)]).first?.kind == .tooLong(maximum: 72))
        #expect(issues(["password": "long enough pass", "password_confirm": "different one"]).first?.field == "password_confirm")
        #expect(issues(["password": "long enough pass", "password_confirm": "long enough pass"]).isEmpty)
    }

    @Test("e-mail addresses are normalised and checked for shape")
    func emails() {
        #expect(EmailAddress.normalise("  Kim@Example.ORG ") == "kim@example.org")
        #expect(EmailAddress.isPlausible("kim@example.org"))
        for bad in ["kim", "kim@", "@example.org", "kim@example", "a b@example.org", "kim@exa..mple.org", "<kim@example.org>"] {
            #expect(!EmailAddress.isPlausible(bad), "\(bad)")
        }
    }

    @Test("a class's instructor and TA must be different people")
    func classStaff() {
        #expect(throws: ValidationFailure.self) { try ClassDraft.parse(["name": "1반", "instructor_email": "a@x.org", "assistant_email": "A@x.org"]) }
    }
}

@Suite("Sign-in throttle")
struct AttemptThrottleTests {
    let rule = AttemptThrottle(limit: 3, window: 60, lockout: 120)
    let start = Date(timeIntervalSince1970: 1_000_000)

    @Test("locks after the limit, for the lockout, then starts afresh")
    func locks() {
        var state: AttemptThrottle.State?
        for n in 0..<3 {
            #expect(rule.remainingLock(state, now: start.addingTimeInterval(Double(n))) == nil)
            state = rule.recordingFailure(state, now: start.addingTimeInterval(Double(n)))
        }
        #expect(rule.remainingLock(state, now: start.addingTimeInterval(10)) == 112)
        #expect(rule.remainingLock(state, now: start.addingTimeInterval(123)) == nil)
        state = rule.recordingFailure(state, now: start.addingTimeInterval(130))
        #expect(state?.failures == 1)
    }

    @Test("failures spread beyond the window do not add up")
    func window() {
        var state = rule.recordingFailure(nil, now: start)
        state = rule.recordingFailure(state, now: start.addingTimeInterval(30))
        state = rule.recordingFailure(state, now: start.addingTimeInterval(100))
        #expect(state.failures == 1)
        #expect(state.lockedUntil == nil)
    }
}

import Foundation

@Suite("Control characters")
struct ControlCharacterTests {
    @Test("a field holding a NUL is refused once, by name, only when it is read")
    func refusedWhenRead() throws {
        var reader = FieldReader(["name": "Kim\u{0}", "other": "\u{1B}[31m", "essay": "line one\nline two\twith a tab"])
        #expect(reader.text("name", maxLength: 80) == nil)
        #expect(reader.text("essay", maxLength: 200) == "line one\nline two\twith a tab")
        #expect(reader.issues == [FieldIssue("name", .controlCharacters)])
        #expect(throws: ValidationFailure.self) { try reader.check() }
    }

    @Test("e-mail addresses and CSV cells refuse them too")
    func emailAndCSV() {
        #expect(!EmailAddress.isPlausible("a\u{0}@example.org"))
        #expect(throws: CSVParser.Failure(line: 2, column: 2, reason: .controlCharacter)) {
            try CSVParser().parse(Array("a,b\nc,d\u{0}\n".utf8))
        }
    }
}
