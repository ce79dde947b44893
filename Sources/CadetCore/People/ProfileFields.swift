import Foundation

public enum Education: String, CaseIterable, Codable, Sendable {
    case highSchool = "high_school", associate, bachelor, master, doctorate
}

public enum EmploymentStatus: String, CaseIterable, Codable, Sendable {
    case employed, unemployed, student
}

/// The age bands the funder's report counts by.
public enum AgeBand: String, CaseIterable, Codable, Sendable {
    case under25 = "under_25"
    case from25to29 = "25_29"
    case from30to34 = "30_34"
    case from35to39 = "35_39"
    case from40 = "40_plus"

    /// Full years of age on `day`.
    public static func age(born: CalendarDate, on day: CalendarDate) -> Int {
        var years = day.year - born.year
        if (day.month, day.day) < (born.month, born.day) { years -= 1 }
        return years
    }

    public init(age: Int) {
        switch age {
        case ..<25: self = .under25
        case 25...29: self = .from25to29
        case 30...34: self = .from30to34
        case 35...39: self = .from35to39
        default: self = .from40
        }
    }

    /// Birth dates (inclusive bounds) that fall in this band on `day`, for counting in SQL.
    public func birthDates(on day: CalendarDate) -> (earliest: CalendarDate?, latest: CalendarDate?) {
        func yearsBefore(_ n: Int) -> CalendarDate {
            // The latest birth date of someone at least n years old on `day`.
            let year = day.year - n
            return CalendarDate(year: year, month: day.month, day: min(day.day, CalendarDate.daysIn(month: day.month, year: year)))!
        }
        func dayAfter(_ date: CalendarDate) -> CalendarDate {
            if let next = CalendarDate(year: date.year, month: date.month, day: date.day + 1) { return next }
            if let next = CalendarDate(year: date.year, month: date.month + 1, day: 1) { return next }
            return CalendarDate(year: date.year + 1, month: 1, day: 1)!
        }
        switch self {
        case .under25: return (dayAfter(yearsBefore(25)), nil)
        case .from25to29: return (dayAfter(yearsBefore(30)), yearsBefore(25))
        case .from30to34: return (dayAfter(yearsBefore(35)), yearsBefore(30))
        case .from35to39: return (dayAfter(yearsBefore(40)), yearsBefore(35))
        case .from40: return (nil, yearsBefore(40))
        }
    }
}

extension Region {
    /// Reads a region from its English name, its official Korean name or the short Korean name
    /// people write (광주, 경기, 충남 …).
    public init?(name: String) {
        let text = name.trimmingCharacters(in: .whitespaces)
        if let region = Region.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(text) == .orderedSame || $0.koreanName == text || $0.shortKoreanName == text }) {
            self = region
            return
        }
        // Older official names that forms still use.
        switch text {
        case "강원도": self = .gangwon
        case "전라북도": self = .jeonbuk
        case "제주도": self = .jeju
        default: return nil
        }
    }

    public var shortKoreanName: String {
        switch self {
        case .seoul: "서울"
        case .busan: "부산"
        case .daegu: "대구"
        case .incheon: "인천"
        case .gwangju: "광주"
        case .daejeon: "대전"
        case .ulsan: "울산"
        case .sejong: "세종"
        case .gyeonggi: "경기"
        case .gangwon: "강원"
        case .chungbuk: "충북"
        case .chungnam: "충남"
        case .jeonbuk: "전북"
        case .jeonnam: "전남"
        case .gyeongbuk: "경북"
        case .gyeongnam: "경남"
        case .jeju: "제주"
        }
    }
}
