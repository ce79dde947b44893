import Foundation
import Testing
@testable import CadetCore

@Suite("Timetable: holidays, weekly patterns, calendar arithmetic")
struct TimetableTests {
    func d(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

    @Test("public holidays, substitutes and election days are known; weekends and other days are not holidays")
    func holidays() {
        #expect(KoreanHolidays.on(d("2020-10-01"))?.name.contains("Chuseok") == true)
        #expect(KoreanHolidays.on(d("2022-06-01"))?.name.contains("election") == true)
        #expect(KoreanHolidays.on(d("2021-08-16"))?.name.contains("substitute") == true)
        #expect(KoreanHolidays.on(d("2026-12-01")) == nil)
        #expect(KoreanHolidays.covers(d("2027-12-31")) && !KoreanHolidays.covers(d("2028-01-03")))
    }

    @Test("calendar arithmetic: weekdays, days and months (clamped to the month's end)")
    func arithmetic() {
        #expect(d("2026-12-01").weekday == 2)
        #expect(d("2020-07-05").weekday == 7)
        #expect(d("2020-12-31").adding(days: 1) == d("2021-01-01"))
        #expect(d("2021-01-31").adding(months: 1) == d("2021-02-28"))
        #expect(d("2020-01-31").adding(months: 1) == d("2020-02-29"))
        #expect(d("2020-07-01").through(d("2020-07-03")).count == 3)
    }

    @Test("the published hours fit the published dates: 960 in Gwangju's first cohort, 320 at KAIST")
    func publishedHours() {
        let weekdays: Set<Int> = [1, 2, 3, 4, 5]
        let gwangju = WeeklyPattern(weekdays: weekdays, startMinute: 9 * 60, endMinute: 18 * 60, breakMinutes: 60, from: d("2020-07-01"), to: d("2020-12-23"))
        let plan = Timetable.plan(gwangju, closures: [:], taken: [], remaining: 960 * 60)
        #expect(gwangju.minutes == 480)
        #expect(plan.days.count == 120 && plan.shortfall == 0)
        #expect(!plan.days.contains(d("2020-10-01")) && plan.skipped.contains { $0.date == d("2020-08-17") })
        let kaist = WeeklyPattern(weekdays: weekdays, startMinute: 9 * 60, endMinute: 18 * 60, breakMinutes: 60, from: d("2022-05-09"), to: d("2022-07-05"))
        let kaistPlan = Timetable.plan(kaist, closures: [d("2022-05-20"): "academy closure"], taken: [], remaining: 320 * 60)
        // 42 weekdays less 1 June (local elections), 6 June (Memorial Day) and the closure: 39 days, 8 hours short.
        #expect(kaistPlan.days.count == 39 && kaistPlan.shortfall == 8 * 60)
        #expect(kaistPlan.skipped.map(\.reason).contains("academy closure"))
        #expect(Timetable.plan(kaist, closures: [:], taken: [d("2022-05-09")], remaining: nil).days.count == 39)
    }

    @Test("a weekly pattern form names every bad field")
    func patternForm() {
        #expect(throws: ValidationFailure.self) { try WeeklyPattern.parse(["weekdays": "8", "starts": "9am", "ends": "08:00", "from": "2020-07-01", "to": "2020-06-01"]) }
        do {
            _ = try WeeklyPattern.parse(["weekdays": "", "starts": "25:00", "ends": "18:00", "from": "2031-01-01", "to": "2031-02-01"])
        } catch {
            let fields = Set(error.issues.map(\.field))
            #expect(fields == ["weekdays", "starts", "from", "to"])
        }
        // Under 30 minutes from start to end is the end's fault; the break is blamed only when it is what makes it too short.
        let day = ["weekdays": "1", "from": "2026-03-02", "to": "2026-03-02"]
        #expect(Self.issues(day.merging(["starts": "23:35", "ends": "23:59"]) { $1 }) == [FieldIssue("ends", .lastsUnder(minutes: 30))])
        #expect(Self.issues(day.merging(["starts": "09:00", "ends": "10:00", "break_minutes": "45"]) { $1 }) == [FieldIssue("break_minutes", .outOfRange(minimum: 0, maximum: 30))])
        #expect(Self.issues(day.merging(["starts": "09:00", "ends": "09:30"]) { $1 }).isEmpty)
        let pattern = try? WeeklyPattern.parse(["weekdays": "1\n3\n5", "starts": "09:00", "ends": "12:00", "from": "2026-03-02", "to": "2026-03-31"])
        #expect(pattern?.weekdays == [1, 3, 5] && pattern?.minutes == 180)
    }

    private static func issues(_ form: [String: String]) -> [FieldIssue] {
        do {
            _ = try WeeklyPattern.parse(form)
            return []
        } catch {
            return error.issues
        }
    }
}

@Suite("Attendance rules")
struct AttendanceRulesTests {
    let rules = AttendanceRules.standard
    let start = Date(timeIntervalSince1970: 1_600_000_000)
    var end: Date { start.addingTimeInterval(9 * 3600) }

    @Test("a self check-in judges lateness and early leave against the allowances, and counts minutes on the session's scale")
    func judge() {
        let onTime = CheckIn.judge(start: start, end: end, minutes: 480, checkIn: start.addingTimeInterval(9 * 60), checkOut: end, rules: rules)
        #expect(onTime.status == .present && onTime.attended == 472)
        let late = CheckIn.judge(start: start, end: end, minutes: 480, checkIn: start.addingTimeInterval(11 * 60), checkOut: end, rules: rules)
        #expect(late.status == .late && late.attended == 470)
        let early = CheckIn.judge(start: start, end: end, minutes: 480, checkIn: start, checkOut: end.addingTimeInterval(-3600), rules: rules)
        #expect(early.status == .earlyLeave && early.attended == 427)
        let away = CheckIn.judge(start: start, end: end, minutes: 480, checkIn: start, checkOut: end, awayMinutes: 54, rules: rules)
        #expect(away.status == .outAndBack && away.attended == 432)
        #expect(CheckIn.defaultMinutes(for: .late, of: 480, rules: rules) == 470)
        #expect(CheckIn.defaultMinutes(for: .excused, of: 480, rules: rules) == 480)
        #expect(CheckIn.window(at: Date(timeIntervalSince1970: 30), rotation: 15) == 2)
    }

    func day(_ n: Int) -> CalendarDate { CalendarDate(iso: "2026-03-02")!.adding(days: n) }

    /// `days` eight-hour days, all ended unless said otherwise, marked as given.
    func ledger(_ marks: [AttendanceStatus?], ended: Int? = nil, rules: AttendanceRules = .standard, minutes: [Int]? = nil) -> HoursLedger {
        let sessions = marks.indices.map { i in
            HoursLedger.Session(date: day(i), minutes: 480, course: i < marks.count / 2 ? "python" : "ml", phase: "basics", ended: i < (ended ?? marks.count))
        }
        let ledgerMarks: [HoursLedger.Mark?] = marks.enumerated().map { i, status in
            status.map { HoursLedger.Mark(status: $0, attendedMinutes: minutes?[i] ?? CheckIn.defaultMinutes(for: $0, of: 480, rules: rules)) }
        }
        return HoursLedger(sessions: sessions, marks: ledgerMarks, rules: rules, startsOn: day(0))
    }

    @Test("a day with less than half its hours attended is an absent day; an excused day counts as attended")
    func dayRule() {
        let l = ledger([.present, .earlyLeave, .earlyLeave, .excused], minutes: [480, 200, 240, 0])
        #expect(l.absentDays == 1 && l.excusedDays == 1 && l.recordedDays == 4)
        #expect(l.total.attended == 480 + 200 + 240 + 480)
    }

    @Test("three lates, early leaves or outings in a unit period make one absence")
    func lapses() {
        let l = ledger([.late, .earlyLeave, .outAndBack, .late, .present])
        #expect(l.lapses == 4 && l.convertedAbsences == 1 && l.absences == 1)
        var strict = AttendanceRules.standard
        strict.lapsesPerAbsence = 2
        #expect(ledger([.late, .late, .late, .late], rules: strict).convertedAbsences == 2)
    }

    @Test("unit periods run one month from the start date")
    func periods() {
        let start = CalendarDate(iso: "2020-07-01")!
        #expect(HoursLedger.period(of: CalendarDate(iso: "2020-07-31")!, from: start) == 0)
        #expect(HoursLedger.period(of: CalendarDate(iso: "2020-08-01")!, from: start) == 1)
        // From 31 January the next period starts on the last day of February.
        let mid = CalendarDate(iso: "2021-01-31")!
        #expect(HoursLedger.period(of: CalendarDate(iso: "2021-02-27")!, from: mid) == 0)
        #expect(HoursLedger.period(of: CalendarDate(iso: "2021-02-28")!, from: mid) == 1)
        #expect(HoursLedger.period(of: CalendarDate(iso: "2021-03-31")!, from: mid) == 2)
        #expect(HoursLedger.period(of: CalendarDate(iso: "2021-01-30")!, from: mid) == -1)
    }

    @Test("a session nobody marked is pending, not absent; the forecast says how much more can be missed")
    func pendingAndForecast() {
        // Ten days planned, six over: four present, one absent, one not yet marked.
        let l = ledger([.present, .present, .absent, .present, .present, nil, nil, nil, nil, nil], ended: 6)
        #expect(l.absentDays == 1 && l.recordedDays == 5)
        #expect(l.pendingMinutes == 480 && l.remainingMinutes == 4 * 480)
        #expect(l.requiredMinutes == 3840)
        // 4 days attended + 1 pending + 4 remaining = 9 days possible; 8 needed: one more day may be missed.
        #expect(l.missableMinutes == 480)
        #expect(l.warnings.contains(.closeToLimit))
        #expect(l.total.rate == 0.8)
        #expect(!l.completed)
    }

    @Test("completion needs 80% of the planned hours, all delivered and marked")
    func completion() {
        let just = ledger(Array(repeating: .present, count: 8) + [.absent, .absent])
        #expect(just.completed && just.missableMinutes == 0)
        let short = ledger(Array(repeating: .present, count: 7) + [.absent, .absent, .late])
        #expect(!short.completed && short.warnings.contains(.cannotComplete))
    }

    @Test("dismissal warnings: half a unit period absent, or more than a fifth of all days")
    func warnings() {
        // 20 days in one period: 10 absent reach half the period.
        let half = ledger(Array(repeating: .absent, count: 10) + Array(repeating: .present, count: 10))
        #expect(half.warnings.contains(.unitAbsence(period: 0)) && half.warnings.contains(.totalAbsence))
        let fifth = ledger(Array(repeating: .absent, count: 4) + Array(repeating: .present, count: 16))
        #expect(!fifth.warnings.contains(.totalAbsence))
        let over = ledger(Array(repeating: .absent, count: 5) + Array(repeating: .present, count: 15))
        #expect(over.warnings.contains(.totalAbsence) && !over.warnings.contains(.unitAbsence(period: 0)))
    }

    @Test("the training allowance pays attended days up to the cap, only at 80% attendance in the period")
    func allowance() {
        var paying = AttendanceRules.standard
        paying.allowancePerDay = 15_800
        paying.allowanceMonthlyCap = 200_000
        let full = ledger(Array(repeating: .present, count: 10), rules: paying)
        #expect(full.periods[0].allowance == 158_000)
        let capped = ledger(Array(repeating: .present, count: 20), rules: paying)
        #expect(capped.periods[0].allowance == 200_000)
        let below = ledger(Array(repeating: .present, count: 7) + [.absent, .absent, .absent], rules: paying)
        #expect(below.periods[0].allowance == 0)
        #expect(ledger([.present], rules: .standard).periods[0].allowance == nil)
    }

    @Test("the rules form reads percentages and address ranges, and refuses nonsense by field")
    func rulesForm() throws {
        var values = AttendanceRules.standard.values
        values["completion_percent"] = "75"
        values["check_in_networks"] = "10.20.0.0/16\n2001:db8::/32"
        let rules = try AttendanceRules.parse(values)
        #expect(rules.completionShare == 0.75 && rules.checkInNetworks.count == 2)
        values["late_after_minutes"] = "-3"
        values["check_in_networks"] = "10.20.0.0/40"
        #expect { try AttendanceRules.parse(values) } throws: { error in
            Set((error as! ValidationFailure).issues.map(\.field)) == ["late_after_minutes", "check_in_networks"]
        }
    }

    @Test("address ranges match IPv4 and IPv6 addresses by prefix")
    func ranges() {
        #expect(AddressRange("10.20.0.0/16")!.contains("10.20.31.4"))
        #expect(!AddressRange("10.20.0.0/16")!.contains("10.21.0.1"))
        #expect(AddressRange("192.168.1.7")!.contains("192.168.1.7"))
        #expect(AddressRange("2001:db8::/32")!.contains("2001:db8:1::5"))
        #expect(!AddressRange("2001:db8::/32")!.contains("10.20.0.1"))
        #expect(AddressRange("300.1.1.1") == nil && AddressRange("::1::2") == nil)
    }
}
