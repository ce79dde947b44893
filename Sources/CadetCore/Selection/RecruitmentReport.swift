import Foundation

/// The recruitment figures a funder watches, as `cadet report recruitment` prints them and the
/// dashboard draws them. Counted by the database; this type only holds and shapes them.
public struct RecruitmentReport: Codable, Equatable, Sendable {
    public var capacity: Int
    /// Applications received (every one submitted, including those later withdrawn).
    public var applicants: Int
    /// Applicants per place, rounded to two decimals (경쟁률).
    public var competitionRatio: Double
    public var byRegion: [String: Int]
    /// Seoul, Incheon and Gyeonggi together.
    public var capitalArea: Int
    public var byGender: [String: Int]
    public var byAgeBand: [String: Int]
    public var byMajorField: [String: Int]
    public var byEducation: [String: Int]
    public var byEmploymentStatus: [String: Int]
    /// How many applications stand at each stage now.
    public var funnel: [String: Int]
    /// Applications submitted per day (YYYY-MM-DD in the academy's time zone).
    public var applicationsPerDay: [String: Int]

    public init(capacity: Int, applicants: Int, competitionRatio: Double, byRegion: [String: Int], capitalArea: Int,
                byGender: [String: Int], byAgeBand: [String: Int], byMajorField: [String: Int], byEducation: [String: Int],
                byEmploymentStatus: [String: Int], funnel: [String: Int], applicationsPerDay: [String: Int]) {
        self.capacity = capacity
        self.applicants = applicants
        self.competitionRatio = competitionRatio
        self.byRegion = byRegion
        self.capitalArea = capitalArea
        self.byGender = byGender
        self.byAgeBand = byAgeBand
        self.byMajorField = byMajorField
        self.byEducation = byEducation
        self.byEmploymentStatus = byEmploymentStatus
        self.funnel = funnel
        self.applicationsPerDay = applicationsPerDay
    }

    enum CodingKeys: String, CodingKey {
        case capacity, applicants, competitionRatio = "competition_ratio", byRegion = "by_region", capitalArea = "capital_area"
        case byGender = "by_gender", byAgeBand = "by_age_band", byMajorField = "by_major_field", byEducation = "by_education"
        case byEmploymentStatus = "by_employment_status", funnel, applicationsPerDay = "applications_per_day"
    }

    public static func ratio(applicants: Int, capacity: Int) -> Double {
        guard capacity > 0 else { return 0 }
        return (Double(applicants) / Double(capacity) * 100).rounded() / 100
    }

    /// Every key present, zero where nobody counted: the report's shape does not depend on the data.
    public static func filled<T: RawRepresentable & CaseIterable>(_ counts: [String: Int], _ type: T.Type, unknown: Bool = true) -> [String: Int] where T.RawValue == String {
        var result = Dictionary(uniqueKeysWithValues: T.allCases.map { ($0.rawValue, counts[$0.rawValue] ?? 0) })
        if unknown {
            let known = Set(T.allCases.map(\.rawValue))
            result["unknown"] = counts.filter { !known.contains($0.key) }.values.reduce(0, +)
        }
        return result
    }

    /// Applications that got at least as far as each funnel stage, from the current counts.
    public var reached: [(ApplicationStage, Int)] {
        ApplicationStage.funnel.map { stage in
            (stage, funnel.filter { (ApplicationStage(rawValue: $0.key)?.funnelDepth ?? -1) >= stage.funnelDepth }.values.reduce(0, +))
        }
    }
}

/// Who is offered a place when an admitted applicant declines: the first on the waiting list.
public enum WaitingList {
    public struct Entry: Equatable, Sendable {
        public let id: UUID
        public let position: Int

        public init(id: UUID, position: Int) {
            self.id = id
            self.position = position
        }
    }

    public static func next(_ waiting: [Entry]) -> Entry? {
        waiting.min { $0.position < $1.position }
    }
}
