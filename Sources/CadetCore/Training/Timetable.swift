import Foundation

/// A weekly pattern of sessions over a range of dates: "Monday to Friday, 09:00–18:00 with an
/// hour's lunch, from 1 July to 23 December".
public struct WeeklyPattern: Equatable, Sendable {
    /// ISO weekdays: 1 is Monday, 7 is Sunday.
    public var weekdays: Set<Int>
    /// Minutes after midnight, in the academy's time zone.
    public var startMinute: Int
    public var endMinute: Int
    /// Minutes within the session that are not training time (lunch).
    public var breakMinutes: Int
    public var from: CalendarDate
    public var to: CalendarDate

    public init(weekdays: Set<Int>, startMinute: Int, endMinute: Int, breakMinutes: Int = 0, from: CalendarDate, to: CalendarDate) {
        self.weekdays = weekdays
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.breakMinutes = breakMinutes
        self.from = from
        self.to = to
    }

    /// Training minutes each session counts for.
    public var minutes: Int { endMinute - startMinute - breakMinutes }

    /// Minutes of teaching a session must hold, at least.
    public static let shortestSession = 30

    /// Reads `weekdays` (1–7, one per line as checkboxes send them), `starts` and `ends` (HH:MM),
    /// `break_minutes`, `from` and `to`.
    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> WeeklyPattern {
        var reader = FieldReader(values)
        var weekdays: Set<Int> = []
        for part in (reader.raw("weekdays") ?? "").split(whereSeparator: { $0.isNewline || $0 == "," }) {
            guard let day = Int(part.trimmingCharacters(in: .whitespaces)), (1...7).contains(day) else {
                reader.add(FieldIssue("weekdays", .unknownChoice))
                break
            }
            weekdays.insert(day)
        }
        if weekdays.isEmpty, reader.issues.isEmpty { reader.add(FieldIssue("weekdays", .required)) }
        let start = time(&reader, "starts"), end = time(&reader, "ends")
        let breakMinutes = reader.integer("break_minutes", required: false, in: 0...240) ?? 0
        let from = reader.date("from"), to = reader.date("to")
        if let from, let to, to < from { reader.add(FieldIssue("to", .mustNotPrecede(field: "from"))) }
        if let from, let to, from.days(until: to) > 800 { reader.add(FieldIssue("to", .outOfRange(minimum: 0, maximum: 800))) }
        for (field, date) in [("from", from), ("to", to)] {
            if let date, !KoreanHolidays.covers(date) { reader.add(FieldIssue(field, .outOfRange(minimum: KoreanHolidays.years.lowerBound, maximum: KoreanHolidays.years.upperBound))) }
        }
        if let start, let end {
            // Too short by itself is the end time's fault; long enough but for the break, the break's.
            if end <= start { reader.add(FieldIssue("ends", .mustNotPrecede(field: "starts"))) }
            else if end - start < Self.shortestSession { reader.add(FieldIssue("ends", .lastsUnder(minutes: Self.shortestSession))) }
            else if end - start - breakMinutes < Self.shortestSession {
                reader.add(FieldIssue("break_minutes", .outOfRange(minimum: 0, maximum: end - start - Self.shortestSession)))
            }
        }
        try reader.check()
        return WeeklyPattern(weekdays: weekdays, startMinute: start!, endMinute: end!, breakMinutes: breakMinutes, from: from!, to: to!)
    }

    /// `HH:MM` as minutes after midnight.
    static func time(_ reader: inout FieldReader, _ field: String) -> Int? {
        guard let text = reader.raw(field) else { reader.add(FieldIssue(field, .required)); return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m), parts[1].count == 2 else {
            reader.add(FieldIssue(field, .invalidFormat))
            return nil
        }
        return h * 60 + m
    }
}

/// Which days a pattern gives, skipping Korea's public holidays and the academy's closures, and
/// stopping once a course has all its hours.
public enum Timetable {
    public struct Skipped: Equatable, Sendable {
        public let date: CalendarDate
        public let reason: String
    }

    public struct Plan: Equatable, Sendable {
        public var days: [CalendarDate] = []
        public var skipped: [Skipped] = []
        /// Minutes the course still needs after these days (0 when the range was enough).
        public var shortfall = 0
    }

    /// - Parameters:
    ///   - closures: the academy's own days off, with their reasons.
    ///   - taken: days that already have a session for this class (not scheduled twice).
    ///   - remaining: the course's minutes still to schedule; nil for no limit.
    public static func plan(_ pattern: WeeklyPattern, closures: [CalendarDate: String], taken: Set<CalendarDate>, remaining: Int?) -> Plan {
        var plan = Plan()
        var left = remaining
        for date in pattern.from.through(pattern.to) where pattern.weekdays.contains(date.weekday) {
            if let left, left <= 0 { break }
            if let holiday = KoreanHolidays.on(date) {
                plan.skipped.append(Skipped(date: date, reason: holiday.name))
            } else if let closure = closures[date] {
                plan.skipped.append(Skipped(date: date, reason: closure))
            } else if !taken.contains(date) {
                plan.days.append(date)
                left = left.map { $0 - pattern.minutes }
            }
        }
        plan.shortfall = max(0, left ?? 0)
        return plan
    }
}
