import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

@Suite("Training: the hours ledger, excuses, warnings, calendars")
struct TrainingLedgerTests {
    static let base = "/programmes/alpha/cohorts/a1"

    /// Ten past sessions for alpha's class, marked as given for the trainee.
    static func history(_ seed: Seed, _ app: Application, _ statuses: [AttendanceStatus]) async throws {
        let start = CalendarDate(iso: seed.alphaCohort.startsOn)!
        var day = start
        for status in statuses {
            while KoreanHolidays.on(day) != nil || day.weekday > 5 { day = day.adding(days: 1) }
            let session = TrainingSession()
            session.$cohort.id = seed.alphaCohort.id!
            session.$trainingClass.id = seed.alphaClass.id!
            session.$course.id = seed.alphaCourse.id!
            session.day = day.iso
            session.startsAt = day.moment(atMinute: 540, in: app.config.timeZone)
            session.endsAt = day.moment(atMinute: 1080, in: app.config.timeZone)
            session.minutes = 480
            try await session.create(on: app.db)
            let record = AttendanceRecord()
            record.$session.id = session.id!
            record.$trainee.id = seed.users[.trainee]!.id!
            record.status = status
            record.attendedMinutes = CheckIn.defaultMinutes(for: status, of: 480, rules: .standard)
            record.source = .staff
            record.updatedAt = Date()
            try await record.create(on: app.db)
            day = day.adding(days: 1)
        }
    }

    @Test("the cohort's ledger and at-risk list, and a CSV with a byte-order mark, for those who teach it")
    func ledgerPages() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            try await Self.history(seed, app, Array(repeating: .absent, count: 6) + Array(repeating: .present, count: 4))
            let instructor = try await seed.browser(.instructor, app: app)
            instructor.acceptLanguage = "en"
            let ledger = try await instructor.get(Self.base + "/ledger").text
            #expect(ledger.contains("data-trainee=\"\(Seed.Who.trainee.email)\""))
            #expect(ledger.contains("<td>32</td>") && ledger.contains("40.0%"))
            // The class's line sums its trainees: one trainee, 88 hours planned (today's session too), 32 of 80 recorded attended, none on track, one at risk.
            let classes = try #require(ledger.range(of: "id=\"classes\"").map { String(ledger[$0.upperBound...].prefix(600)) })
            #expect(classes.contains("<td>\(seed.alphaClass.name)</td><td>1</td><td>88</td><td>32</td><td>40.0%</td><td>0</td><td>1</td>"))
            let risky = try await instructor.get(Self.base + "/at-risk").text
            #expect(risky.contains(Seed.Who.trainee.email) && risky.contains("Completion needs"))
            let csv = try await instructor.get(Self.base + "/ledger.csv")
            #expect(csv.text.hasPrefix("\u{FEFF}name,email,class,planned_hours"))
            #expect(csv.headers.first(name: .cacheControl)?.contains("no-store") == true)
            #expect(csv.text.contains(Seed.Who.trainee.email) && csv.text.contains("cannot_complete"))
            #expect(try await (try await seed.browser(.trainee, app: app)).get(Self.base + "/ledger").status == .forbidden)
        }
    }

    @Test("a trainee asks for an excused absence with evidence; approving marks the day excused, within the days a period allows")
    func excuses() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            let path = Self.base + "/excuses/\(seed.alphaExcuse.id!.uuidString.lowercased())"
            #expect(try await staff.get(Self.base + "/excuses").text.contains("Reserve forces training"))
            #expect(try await staff.post(path, ["decision": "approve", "note": "Orders seen"]).status == .seeOther)
            let record = try #require(try await AttendanceRecord.query(on: app.db).filter(\.$session.$id == seed.alphaSession.id!).first())
            #expect(record.status == .excused && record.attendedMinutes == 480 && record.source == .excuse)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$kind == "excuse_decided").filter(\.$recipient == Seed.Who.trainee.email).count() == 1)
            #expect(try await staff.post(path, ["decision": "approve"]).status == .conflict)
            // With no excused days allowed, the next request is refused.
            var strict = AttendanceRules.standard
            strict.excusedDaysPerPeriod = 0
            _ = try await AttendanceRulesStore.save(strict, for: seed.alpha, by: .demo, on: app.db)
            try await Self.history(seed, app, [.absent])
            let day = try #require(try await TrainingSession.query(on: app.db).filter(\.$trainingClass.$id == seed.alphaClass.id!).sort(\.$day).first()?.day)
            let another = try await ExcuseService(database: app.db, actor: .demo, now: Date())
                .request(ExcuseDraft(firstDay: CalendarDate(iso: day)!, lastDay: CalendarDate(iso: day)!, reason: "Ill"), evidence: nil, trainee: seed.users[.trainee]!.id!, cohort: seed.alphaCohort)
            let refused = try await staff.post(Self.base + "/excuses/\(another.id!.uuidString.lowercased())", ["decision": "approve"])
            #expect(refused.status == .conflict && refused.text.contains("more than 0 excused days"))
            // The trainee's own page takes a new request with a PDF.
            let trainee = try await seed.browser(.trainee, app: app)
            trainee.acceptLanguage = "en"
            #expect(try await trainee.get("/training/excuses").text.contains("Reserve forces training"))
            let evidence = try await trainee.get("/training/excuses/\(seed.alphaExcuse.id!.uuidString.lowercased())/evidence")
            #expect(evidence.status == .ok && evidence.headers.first(name: .cacheControl)?.contains("no-store") == true)
            #expect(try await (try await seed.browser(.mentor, app: app)).get("/training/excuses/\(seed.alphaExcuse.id!.uuidString.lowercased())/evidence").status == .notFound)
        }
    }

    @Test("crossing a threshold tells the trainee and the instructor once, even from two processes at once; the next run tells nobody again")
    func warningsOnce() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            try await Self.history(seed, app, Array(repeating: .absent, count: 6) + Array(repeating: .present, count: 4))
            let now = Date()
            // Two serving processes run the job at the same moment: each warning still goes once.
            async let first = AttendanceWarnings.send(for: seed.alphaCohort, on: app.db, now: now, config: app.config)
            async let second = AttendanceWarnings.send(for: seed.alphaCohort, on: app.db, now: now, config: app.config)
            let sent = try await first + second
            #expect(sent >= 2)
            let toTrainee = try await OutboxMessage.query(on: app.db).filter(\.$kind == "attendance_warning").filter(\.$recipient == Seed.Who.trainee.email).count()
            let toInstructor = try await OutboxMessage.query(on: app.db).filter(\.$kind == "attendance_warning").filter(\.$recipient == Seed.Who.instructor.email).count()
            #expect(toTrainee == sent && toInstructor == sent)
            #expect(try await AttendanceWarnings.send(for: seed.alphaCohort, on: app.db, now: now, config: app.config) == 0)
            #expect(Set(try await AttendanceWarning.query(on: app.db).all().map(\.kind)).contains("cannot_complete"))
        }
    }

    @Test("a person's timetable as a page and as an iCalendar feed behind a signed link")
    func calendars() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let trainee = try await seed.browser(.trainee, app: app)
            trainee.acceptLanguage = "en"
            let page = try await trainee.get("/calendar").text
            #expect(page.contains("Python"))
            let feed = try #require(page.firstMatch(of: /\/calendar\/feed\/[A-Za-z0-9_.-]+\.ics/).map { String($0.0) })
            let ics = try await Browser(app).get(feed)
            #expect(ics.status == .ok && ics.headers.contentType?.subType == "calendar")
            #expect(ics.text.contains("BEGIN:VEVENT\r\nUID:\(seed.alphaSession.id!.uuidString.lowercased())@cadet"))
            #expect(ics.text.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 75 })
            #expect(try await Browser(app).get(feed.replacingOccurrences(of: ".ics", with: "x.ics")).status == .notFound)
            let instructor = try await seed.browser(.instructor, app: app)
            #expect(try await instructor.get(Self.base + "/calendar").text.contains("/sessions/\(seed.alphaSession.id!.uuidString.lowercased())"))
        }
    }

    @Test("the API lists sessions and marks attendance with the roster's rules")
    func api() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let token = try await APITests.operatorToken(seed, app)
            let sessions = try await app.api(.GET, "/api/v1/programmes/alpha/cohorts/a1/sessions", token: token)
            #expect(sessions.status == .ok && sessions.body.string.contains(seed.alphaSession.id!.uuidString))
            let path = "/api/v1/programmes/alpha/cohorts/a1/sessions/\(seed.alphaSession.id!.uuidString.lowercased())/attendance/\(seed.users[.trainee]!.id!.uuidString.lowercased())"
            #expect(try await app.api(.PUT, path, token: token, json: #"{"status": "late", "minutes": 400}"#).body.string.contains(#""attended_minutes":400"#))
            let again = try await app.api(.PUT, path, token: token, json: #"{"status": "present"}"#)
            #expect(again.status == .unprocessableEntity && again.errorCode == "training.reason_required")
            #expect(try await app.api(.PUT, path, token: token, json: #"{"status": "present", "reason": "clock was wrong"}"#).status == .ok)
            let ledger = try await app.api(.GET, "/api/v1/programmes/alpha/cohorts/a1/ledger", token: token)
            #expect(ledger.body.string.contains(#""planned_hours":8"#))
            #expect(try await app.api(.GET, "/api/v1/programmes/alpha/cohorts/a1/sessions?from=yesterday", token: token).errorCode == "api.bad_parameter")
        }
    }
}
