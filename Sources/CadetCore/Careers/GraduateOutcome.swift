/// Where a graduate stands after the course. The funder's employment rate (취업률) counts the
/// first three: employed, founded a start-up, went to graduate school, over everyone who completed.
public enum OutcomeStatus: String, CaseIterable, Codable, Sendable {
    case employed
    case startUp = "start_up"
    case graduateSchool = "graduate_school"
    case stillLooking = "still_looking"
    case notSeeking = "not_seeking"
    /// The graduate has not told the academy; also where everyone starts.
    case notReporting = "not_reporting"

    /// Counts towards the funder's employment rate.
    public var isPlaced: Bool { [.employed, .startUp, .graduateSchool].contains(self) }
}

/// The path a trainee says, at completion, they mean to take (compared later with the result).
public enum ChosenPath: String, CaseIterable, Codable, Sendable {
    case employment, startUp = "start_up", graduateSchool = "graduate_school", undecided
}

/// How a job is held, as the CIRR standard asks.
public enum EmploymentType: String, CaseIterable, Codable, Sendable {
    /// 30 hours a week or more, permanent or for at least 90 days.
    case fullTime = "full_time"
    /// Apprenticeship, internship or fixed-term contract, full time.
    case contract
    /// Under 30 hours a week.
    case partTime = "part_time"
}

/// Yearly pay bands in KRW, optional: academies report the band, never the salary.
public enum SalaryBand: String, CaseIterable, Codable, Sendable {
    case under30m = "under_30m", from30to40m = "30_40m", from40to50m = "40_50m", from50m = "50m_plus"
}

/// The CIRR (Council on Integrity in Results Reporting) outcome categories, for academies that
/// report to that standard as well as to their funder. 1: full-time in-field job or venture;
/// 2: part-time in-field; 3: out of field, further study or not seeking; 4: still seeking or not
/// reached. (CIRR's 1D, hired by the school itself, is reported as 1A here.)
public enum CIRRCategory: String, CaseIterable, Codable, Sendable {
    case c1A = "1A", c1B = "1B", c1C = "1C", c2A = "2A", c3A = "3A", c3B = "3B", c3C = "3C", c4A = "4A", c4B = "4B"

    public static func of(status: OutcomeStatus, inField: Bool, type: EmploymentType?) -> CIRRCategory {
        switch status {
        case .employed where !inField: .c3A
        case .employed: switch type ?? .fullTime { case .fullTime: .c1A; case .contract: .c1B; case .partTime: .c2A }
        case .startUp: inField ? .c1C : .c3A
        case .graduateSchool: .c3B
        case .notSeeking: .c3C
        case .stillLooking: .c4A
        case .notReporting: .c4B
        }
    }
}

/// A graduate's outcome as staff (or the graduate, through a follow-up link) enter it.
public struct OutcomeDraft: Codable, Equatable, Sendable {
    public var status: OutcomeStatus
    public var chosenPath: ChosenPath?
    /// Employer, company founded, or school, by status.
    public var organisation: String?
    public var role: String?
    public var startedOn: CalendarDate?
    public var inField: Bool
    public var employmentType: EmploymentType?
    public var salaryBand: SalaryBand?
    /// Checked against the employment-insurance record (고용보험 가입 이력).
    public var verified: Bool

    public init(status: OutcomeStatus, chosenPath: ChosenPath? = nil, organisation: String? = nil, role: String? = nil, startedOn: CalendarDate? = nil,
                inField: Bool = false, employmentType: EmploymentType? = nil, salaryBand: SalaryBand? = nil, verified: Bool = false) {
        self.status = status
        self.chosenPath = chosenPath
        self.organisation = organisation
        self.role = role
        self.startedOn = startedOn
        self.inField = inField
        self.employmentType = employmentType
        self.salaryBand = salaryBand
        self.verified = verified
    }

    public var cirr: CIRRCategory { .of(status: status, inField: inField, type: employmentType) }

    /// Reads a form. Employed, start-up and graduate school need the organisation and the start
    /// day; a job also needs how it is held. Facts that do not fit the status are dropped, so a
    /// graduate who stops working does not keep an employer.
    public static func parse(_ values: [String: String]) throws(ValidationFailure) -> OutcomeDraft {
        var reader = FieldReader(values)
        let status = reader.choice("status", as: OutcomeStatus.self)
        let chosen = reader.raw("chosen_path") == nil ? nil : reader.choice("chosen_path", as: ChosenPath.self)
        let placed = status?.isPlaced == true
        let organisation = reader.text("organisation", required: placed, minLength: 2, maxLength: 120)
        let role = reader.text("role", required: false, maxLength: 120)
        let started = reader.date("started_on", required: placed)
        let type = status == .employed ? reader.choice("employment_type", as: EmploymentType.self) : nil
        let band = reader.raw("salary_band") == nil ? nil : reader.choice("salary_band", as: SalaryBand.self)
        let inField = ["on", "true", "1", "yes"].contains(reader.raw("in_field") ?? "")
        let verified = ["on", "true", "1", "yes"].contains(reader.raw("verified") ?? "")
        try reader.check()
        return OutcomeDraft(status: status!, chosenPath: chosen, organisation: placed ? organisation : nil, role: placed ? role : nil,
                            startedOn: placed ? started : nil, inField: placed && inField, employmentType: type,
                            salaryBand: status == .employed ? band : nil, verified: placed && verified)
    }
}

/// When outcomes are frozen for the funder: at completion and three, six and twelve months on.
public enum SnapshotPoint: String, CaseIterable, Codable, Sendable {
    case completion, months3 = "3m", months6 = "6m", months12 = "12m"

    /// Months after the cohort's last day.
    public var months: Int {
        switch self { case .completion: 0; case .months3: 3; case .months6: 6; case .months12: 12 }
    }

    /// The day this point falls on for a cohort that ended on `lastDay`.
    public func due(after lastDay: CalendarDate) -> CalendarDate { lastDay.adding(months: months) }
}
