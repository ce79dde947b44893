import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

@Suite("Training: curriculum, timetable, rosters")
struct TrainingTests {
    static let base = "/programmes/alpha/cohorts/a1"

    @Test("staff add courses and make a class's sessions from a weekly pattern, skipping public holidays and closures")
    func timetable() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            #expect(try await staff.post(Self.base + "/training/courses", ["name": "Machine learning", "planned_hours": "24", "phase": seed.alphaPhase.id!.uuidString]).status == .seeOther)
            let bad = try await staff.post(Self.base + "/training/courses", ["name": "", "planned_hours": "0"])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("data-field=\"planned_hours\""))
            #expect(try await staff.post(Self.base + "/training/closures", ["day": "2027-03-04", "reason": "Academy anniversary"]).status == .seeOther)
            let course = try #require(try await Course.query(on: app.db).filter(\.$name == "Machine learning").first())
            // 2027-03-01 is a public holiday (삼일절); 24 hours of 8-hour days need three days.
            let body = "_csrf=\(try await staff.csrfToken())&class=\(seed.alphaClass.id!.uuidString)&course=\(course.id!.uuidString)"
                + "&weekdays%5B%5D=1&weekdays%5B%5D=3&weekdays%5B%5D=4&starts=09%3A00&ends=18%3A00&break_minutes=60&from=2027-03-01&to=2027-03-31&room=301"
            let made = try await staff.send(.POST, Self.base + "/training/timetable", body: body)
            #expect(made.status == .ok)
            #expect(made.text.contains("Made 3 sessions for 1 class(es)."))
            #expect(made.text.contains("2027-03-01") && made.text.contains("Independence") && made.text.contains("Academy anniversary"))
            let days = try await TrainingSession.query(on: app.db).filter(\.$course.$id == course.id!).sort(\.$day).all().map(\.day)
            #expect(days == ["2027-03-03", "2027-03-08", "2027-03-10"])
            // Asking again adds nothing: the course has all its hours.
            #expect(try await staff.send(.POST, Self.base + "/training/timetable", body: body).text.contains("Made 0 sessions"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "training.sessions_generated").count() == 2)
            let wrong = try await staff.send(.POST, Self.base + "/training/timetable", body: body.replacingOccurrences(of: "starts=09%3A00", with: "starts=19%3A00"))
            #expect(wrong.status == .unprocessableEntity && wrong.text.contains("data-field=\"ends\""))
        }
    }

    @Test("the roster is pre-filled from the class; correcting a status needs a reason, which the audit log keeps with before and after")
    func roster() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let instructor = try await seed.browser(.instructor, app: app)
            instructor.acceptLanguage = "en"
            let path = Self.base + "/sessions/\(seed.alphaSession.id!.uuidString.lowercased())"
            let page = try await instructor.get(path).text
            #expect(page.contains("data-trainee=\"\(Seed.Who.trainee.email)\""))
            let key = seed.users[.trainee]!.id!.uuidString.lowercased()
            #expect(try await instructor.post(path, ["status_\(key)": "late"]).status == .seeOther)
            let record = try #require(try await AttendanceRecord.query(on: app.db).first())
            #expect(record.status == .late && record.attendedMinutes == 470)
            let refused = try await instructor.post(path, ["status_\(key)": "present"])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("needs a reason"))
            #expect(try await AttendanceRecord.find(record.id, on: app.db)?.status == .late)
            let nul = try await instructor.post(path, ["status_\(key)": "present", "reason": "Bus\u{0}strike"])
            #expect(nul.status == .unprocessableEntity && nul.text.contains("data-field=\"reason\""))
            #expect(try await instructor.post(path, ["status_\(key)": "present", "reason": "Bus strike; arrived with the rest"]).status == .seeOther)
            let corrected = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "attendance.corrected").first())
            #expect(corrected.summary.contains("Bus strike") && corrected.beforeJSON?.contains("late") == true && corrected.afterJSON?.contains("present") == true)
            // A session of next week cannot be marked yet.
            seed.alphaSession.startsAt = Date().addingTimeInterval(7 * 86_400)
            try await seed.alphaSession.update(on: app.db)
            #expect(try await instructor.post(path, ["status_\(key)": "absent", "reason": "x"]).status == .conflict)
        }
    }
}

@Suite("Training: self check-in with a rotating code")
struct CheckInTests {
    static func codes(_ app: Application) async throws -> CheckInCodes {
        CheckInCodes(secret: try await app.secrets.key(on: app.db), rotation: AttendanceRules.standard.checkInRotationSeconds)
    }

    @Test("a trainee checks in by the QR link and out by the typed code; the minutes follow from both times")
    func checkInAndOut() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            seed.alphaSession.endsAt = seed.alphaSession.startsAt.addingTimeInterval(9 * 3600)
            try await seed.alphaSession.update(on: app.db)
            let clock = FixedClock(seed.alphaSession.startsAt.addingTimeInterval(5 * 60))
            app.clock = clock
            let trainee = try await seed.browser(.trainee, app: app)
            trainee.acceptLanguage = "en"
            let id = seed.alphaSession.id!
            let token = try await Self.codes(app).current(session: id, at: clock.now()).token
            let confirm = try await trainee.get("/checkin/\(id.uuidString.lowercased())?t=\(token)")
            #expect(confirm.status == .ok && confirm.text.contains("id=\"confirm\""))
            let pass = try #require(confirm.text.firstMatch(of: /name="pass" value="([^"]+)"/).map { String($0.1) })
            #expect(try await trainee.post("/checkin/\(id.uuidString.lowercased())", ["pass": pass, "action": "in"]).location == "/checkin?notice=notice.checked_in")
            // In at 09:05 and out at 17:00 on a 09:00–18:00 day with an hour's lunch: an early
            // leave, 475 of 540 minutes present, so 422 of the 480 training minutes.
            clock.set(seed.alphaSession.endsAt.addingTimeInterval(-3600))
            let code = try await Self.codes(app).current(session: id, at: clock.now()).code
            #expect(try await trainee.post("/checkin", ["code": code, "action": "out"]).location == "/checkin?notice=notice.checked_out")
            let record = try #require(try await AttendanceRecord.query(on: app.db).first())
            #expect(record.status == .earlyLeave && record.attendedMinutes == 422 && record.source == .checkIn)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "attendance.checked_out").count() == 1)
            clock.set(seed.alphaSession.endsAt.addingTimeInterval(60))
            #expect(try await trainee.get("/training").text.contains("id=\"attended-hours\">7.0 / 8 h"))
        }
    }

    @Test("a code photographed and sent on stops working two rotations later; a session not yet open or of another class is refused")
    func relayedCodeFails() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let clock = FixedClock(seed.alphaSession.startsAt.addingTimeInterval(60))
            app.clock = clock
            let trainee = try await seed.browser(.trainee, app: app)
            trainee.acceptLanguage = "en"
            let id = seed.alphaSession.id!
            let old = try await Self.codes(app).current(session: id, at: clock.now())
            clock.set(clock.now().addingTimeInterval(31))
            let late = try await trainee.post("/checkin", ["code": old.code, "action": "in"])
            #expect(late.status == .unprocessableEntity && late.text.contains("has changed"))
            #expect(try await trainee.get("/checkin/\(id.uuidString.lowercased())?t=\(old.token)").status == .unprocessableEntity)
            #expect(try await AttendanceRecord.query(on: app.db).count() == 0)
            // The beta session's own code is no use to a trainee who is not in its class.
            let betaCode = try await Self.codes(app).current(session: seed.betaSession.id!, at: clock.now()).token
            #expect(try await trainee.get("/checkin/\(seed.betaSession.id!.uuidString.lowercased())?t=\(betaCode)").status == .notFound)
            // Before the half hour ahead of the start, nothing is open.
            clock.set(seed.alphaSession.startsAt.addingTimeInterval(-3600))
            let early = try await Self.codes(app).current(session: id, at: clock.now())
            #expect(try await trainee.post("/checkin", ["code": early.code, "action": "in"]).status == .conflict)
        }
    }

    @Test("with a network rule, check-ins from elsewhere are refused")
    func networkRule() async throws {
        try await TestApp.withApp({ $0.trustedProxies = 1 }) { app in
            let seed = try await Seed.plant(in: app)
            var rules = AttendanceRules.standard
            rules.checkInNetworks = ["10.20.0.0/16"]
            _ = try await AttendanceRulesStore.save(rules, for: seed.alpha, by: .demo, on: app.db)
            let trainee = try await seed.browser(.trainee, app: app)
            _ = try await trainee.get("/healthz")
            let code = try await Self.codes(app).current(session: seed.alphaSession.id!, at: Date()).code
            for (address, expected) in [("203.0.113.9", HTTPResponseStatus.forbidden), ("10.20.3.4", .seeOther)] {
                var headers = HTTPHeaders()
                headers.add(name: .xForwardedFor, value: address)
                let body = Browser.encode(["code": code, "action": "in", CSRFMiddleware.fieldName: try await trainee.csrfToken()])
                #expect(try await trainee.send(.POST, "/checkin", body: body, extra: headers).status == expected)
            }
        }
    }

    @Test("the room display shows a QR code that decodes, with zbar, to the check-in link, and the six-digit code")
    func qrDecodes() async throws {
        try await TestApp.withApp { app in
            let seed = try await Seed.plant(in: app)
            let instructor = try await seed.browser(.instructor, app: app)
            let page = try await instructor.get(TrainingTests.base + "/sessions/\(seed.alphaSession.id!.uuidString.lowercased())/display").text
            #expect(page.contains("<svg") && page.contains("http-equiv=\"refresh\""))
            let codes = try await Self.codes(app)
            let current = codes.current(session: seed.alphaSession.id!, at: Date())
            let previous = codes.current(session: seed.alphaSession.id!, at: Date().addingTimeInterval(-15))
            #expect(page.contains(current.code) || page.contains(previous.code))
            let link = "http://127.0.0.1:8080/checkin/\(seed.alphaSession.id!.uuidString.lowercased())?t=\(current.token)"
            let qr = try #require(QRCode(link))
            let decoded = try Tool.withFile(qr.pgm(), suffix: ".pgm") { try Tool.run("/usr/bin/zbarimg", ["--quiet", "--raw", $0]) }
            #expect(decoded.status == 0)
            #expect(decoded.output.trimmingCharacters(in: .whitespacesAndNewlines) == link)
        }
    }
}
