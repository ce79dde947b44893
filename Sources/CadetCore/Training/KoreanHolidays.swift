/// Korea's public holidays (공휴일) for the years Cadet's academies run, with substitute holidays
/// (대체공휴일), election days and temporary holidays, as the government announced them. No
/// training is scheduled on them; academies add their own closures on top.
public enum KoreanHolidays {
    public struct Holiday: Sendable, Equatable {
        public let date: CalendarDate
        public let name: String
    }

    /// The years this table covers; a timetable outside them is refused rather than silently
    /// scheduled over holidays nobody entered.
    public static let years: ClosedRange<Int> = 2020...2027

    public static func on(_ date: CalendarDate) -> Holiday? {
        byDate[date]
    }

    public static func covers(_ date: CalendarDate) -> Bool {
        years.contains(date.year)
    }

    public static let all: [Holiday] = table.flatMap { year, days in
        days.map { Holiday(date: CalendarDate(iso: "\(year)-\($0.0)")!, name: $0.1) }
    }

    private static let byDate: [CalendarDate: Holiday] = Dictionary(all.map { ($0.date, $0) }, uniquingKeysWith: { first, _ in first })

    private static let newYear = "신정 (New Year's Day)", seollal = "설날 (Seollal)", independence = "삼일절 (Independence Movement Day)"
    private static let children = "어린이날 (Children's Day)", buddha = "부처님오신날 (Buddha's Birthday)", memorial = "현충일 (Memorial Day)"
    private static let liberation = "광복절 (Liberation Day)", chuseok = "추석 (Chuseok)", foundation = "개천절 (National Foundation Day)"
    private static let hangeul = "한글날 (Hangeul Day)", christmas = "성탄절 (Christmas)", substitute = "대체공휴일 (substitute holiday)"
    private static let temporary = "임시공휴일 (temporary holiday)", election = "선거일 (election day)"

    private static let table: [(Int, [(String, String)])] = [
        (2020, [("01-01", newYear), ("01-24", seollal), ("01-25", seollal), ("01-26", seollal), ("01-27", substitute), ("03-01", independence),
                ("04-15", election), ("04-30", buddha), ("05-05", children), ("06-06", memorial), ("08-15", liberation), ("08-17", temporary),
                ("09-30", chuseok), ("10-01", chuseok), ("10-02", chuseok), ("10-03", foundation), ("10-09", hangeul), ("12-25", christmas)]),
        (2021, [("01-01", newYear), ("02-11", seollal), ("02-12", seollal), ("02-13", seollal), ("03-01", independence), ("05-05", children),
                ("05-19", buddha), ("06-06", memorial), ("08-15", liberation), ("08-16", substitute), ("09-20", chuseok), ("09-21", chuseok),
                ("09-22", chuseok), ("10-03", foundation), ("10-04", substitute), ("10-09", hangeul), ("10-11", substitute), ("12-25", christmas)]),
        (2022, [("01-01", newYear), ("01-31", seollal), ("02-01", seollal), ("02-02", seollal), ("03-01", independence), ("03-09", election),
                ("05-05", children), ("05-08", buddha), ("06-01", election), ("06-06", memorial), ("08-15", liberation), ("09-09", chuseok),
                ("09-10", chuseok), ("09-11", chuseok), ("09-12", substitute), ("10-03", foundation), ("10-09", hangeul), ("10-10", substitute),
                ("12-25", christmas)]),
        (2023, [("01-01", newYear), ("01-21", seollal), ("01-22", seollal), ("01-23", seollal), ("01-24", substitute), ("03-01", independence),
                ("05-05", children), ("05-27", buddha), ("05-29", substitute), ("06-06", memorial), ("08-15", liberation), ("09-28", chuseok),
                ("09-29", chuseok), ("09-30", chuseok), ("10-02", temporary), ("10-03", foundation), ("10-09", hangeul), ("12-25", christmas)]),
        (2024, [("01-01", newYear), ("02-09", seollal), ("02-10", seollal), ("02-11", seollal), ("02-12", substitute), ("03-01", independence),
                ("04-10", election), ("05-05", children), ("05-06", substitute), ("05-15", buddha), ("06-06", memorial), ("08-15", liberation),
                ("09-16", chuseok), ("09-17", chuseok), ("09-18", chuseok), ("10-01", temporary), ("10-03", foundation), ("10-09", hangeul),
                ("12-25", christmas)]),
        (2025, [("01-01", newYear), ("01-27", temporary), ("01-28", seollal), ("01-29", seollal), ("01-30", seollal), ("03-01", independence),
                ("03-03", substitute), ("05-05", children), ("05-06", substitute), ("06-03", election), ("06-06", memorial), ("08-15", liberation),
                ("10-03", foundation), ("10-05", chuseok), ("10-06", chuseok), ("10-07", chuseok), ("10-08", substitute), ("10-09", hangeul),
                ("12-25", christmas)]),
        (2026, [("01-01", newYear), ("02-16", seollal), ("02-17", seollal), ("02-18", seollal), ("03-01", independence), ("03-02", substitute),
                ("05-05", children), ("05-24", buddha), ("05-25", substitute), ("06-03", election), ("06-06", memorial), ("08-15", liberation),
                ("08-17", substitute), ("09-24", chuseok), ("09-25", chuseok), ("09-26", chuseok), ("10-03", foundation), ("10-05", substitute),
                ("10-09", hangeul), ("12-25", christmas)]),
        (2027, [("01-01", newYear), ("02-06", seollal), ("02-07", seollal), ("02-08", seollal), ("02-09", substitute), ("03-01", independence),
                ("05-05", children), ("05-13", buddha), ("06-06", memorial), ("08-15", liberation), ("08-16", substitute), ("09-14", chuseok),
                ("09-15", chuseok), ("09-16", chuseok), ("10-03", foundation), ("10-04", substitute), ("10-09", hangeul), ("10-11", substitute),
                ("12-25", christmas), ("12-27", substitute)]),
    ]
}
