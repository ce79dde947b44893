import Foundation

extension CalendarDate {
    /// The day `dayNumber` days after 1970-01-01 (Howard Hinnant's algorithm, inverted).
    init(dayNumber: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        self.init(year: year, month: month, day: day)!
    }

    public func adding(days: Int) -> CalendarDate {
        CalendarDate(dayNumber: dayNumber + days)
    }

    /// ISO weekday: 1 is Monday, 7 is Sunday.
    public var weekday: Int {
        ((dayNumber + 3) % 7 + 7) % 7 + 1
    }

    /// The same day `months` months later, or the month's last day when it has no such day
    /// (31 January plus one month is 28 or 29 February).
    public func adding(months: Int) -> CalendarDate {
        let total = year * 12 + (month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return CalendarDate(year: y, month: m, day: min(day, CalendarDate.daysIn(month: m, year: y)))!
    }

    /// Every day from this one through `end`, both included.
    public func through(_ end: CalendarDate) -> [CalendarDate] {
        guard self <= end else { return [] }
        return (dayNumber...end.dayNumber).map(CalendarDate.init(dayNumber:))
    }
}

extension CalendarDate {
    /// The moment `minute` minutes after midnight of this day in `zone`.
    public func moment(atMinute minute: Int, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: minute / 60, minute: minute % 60))!
    }

    /// The day a moment falls on in `zone`.
    public init(_ date: Date, in zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
