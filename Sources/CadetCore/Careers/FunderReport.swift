/// The funder's report: for each cohort of a programme, the funnel from applicants to graduates in
/// work, and the programme's totals. Every figure is counted from records by the caller (this type
/// only divides and adds up), so the report is reproducible from the database alone.
public struct FunderReport: Codable, Equatable, Sendable {
    public let programme: String
    public let programmeName: String
    /// The region the academy counts as local (광주 for Gwangju), if set.
    public let homeRegion: Region?
    public let cohorts: [Cohort]
    public let totals: Totals

    public init(programme: String, programmeName: String, homeRegion: Region?, cohorts: [Cohort], partnerCompanies: Int = 0) {
        self.programme = programme
        self.programmeName = programmeName
        self.homeRegion = homeRegion
        self.cohorts = cohorts
        self.totals = Totals(cohorts, partnerCompanies: partnerCompanies)
    }

    public struct Cohort: Codable, Equatable, Sendable {
        public let slug: String
        public let name: String
        public let startsOn: String
        public let endsOn: String
        public let capacity: Int
        public let applicants: Applicants
        /// Applications that reached an offer (admitted, accepted or enrolled).
        public let admitted: Int
        /// Of those, from the home region.
        public let admittedLocal: Int
        /// Trainees in the cohort's classes.
        public let trainees: Int
        /// Hours on the timetable (the longest class's).
        public let hours: Int
        /// Completed in the latest completion run.
        public let completers: Int
        /// Outcomes now, then each frozen snapshot, oldest first; empty until completion has run.
        public let outcomes: [Outcomes]
        /// Approved team projects, and how many of them partner companies brought.
        public let projectTeams: Int
        public let corporateProjects: Int
        public let hackathons: Int
        public let awards: Int
        public let certificates: Int
        /// Partner companies with a hiring agreement in force at some time during the cohort.
        public let agreements: Int
        public let subsidy: Subsidy
        /// Applicants per place (경쟁률), two decimals.
        public let competitionRatio: Double
        /// Admitted from the home region, in percent.
        public let localShare: Double?
        /// Completers over trainees, in percent.
        public let completionRate: Double?

        public init(slug: String, name: String, startsOn: String, endsOn: String, capacity: Int, applicants: Applicants, admitted: Int, admittedLocal: Int,
                    trainees: Int, hours: Int, completers: Int, outcomes: [Outcomes], projectTeams: Int = 0, corporateProjects: Int = 0, hackathons: Int, awards: Int,
                    certificates: Int, agreements: Int = 0, subsidy: Subsidy) {
            self.slug = slug
            self.name = name
            self.startsOn = startsOn
            self.endsOn = endsOn
            self.capacity = capacity
            self.applicants = applicants
            self.admitted = admitted
            self.admittedLocal = admittedLocal
            self.trainees = trainees
            self.hours = hours
            self.completers = completers
            self.outcomes = outcomes
            self.projectTeams = projectTeams
            self.corporateProjects = corporateProjects
            self.hackathons = hackathons
            self.awards = awards
            self.certificates = certificates
            self.agreements = agreements
            self.subsidy = subsidy
            competitionRatio = RecruitmentReport.ratio(applicants: applicants.total, capacity: capacity)
            localShare = FunderReport.percent(admittedLocal, of: admitted)
            completionRate = outcomes.isEmpty ? nil : FunderReport.percent(completers, of: trainees)
        }

        /// Outcomes as they stand now.
        public var current: Outcomes? { outcomes.first }
    }

    /// Who applied, and from where: the breakdowns the funder asks for.
    public struct Applicants: Codable, Equatable, Sendable {
        public let total: Int
        public let homeRegion: Int
        /// Seoul, Incheon and Gyeonggi, less the home region if it is one of them.
        public let capitalArea: Int
        public let otherRegions: Int
        public let byRegion: [String: Int]
        public let byAgeBand: [String: Int]
        public let byGender: [String: Int]
        public let byMajorField: [String: Int]
        public let byEducation: [String: Int]
        public let byEmploymentStatus: [String: Int]

        public init(total: Int, byRegion: [String: Int], home: Region?, byAgeBand: [String: Int], byGender: [String: Int],
                    byMajorField: [String: Int], byEducation: [String: Int], byEmploymentStatus: [String: Int]) {
            self.total = total
            self.byRegion = byRegion
            let homeCount = home.map { byRegion[$0.rawValue] ?? 0 } ?? 0
            let capital = Region.allCases.filter { $0.isCapitalArea && $0 != home }.map { byRegion[$0.rawValue] ?? 0 }.reduce(0, +)
            homeRegion = homeCount
            capitalArea = capital
            otherRegions = total - homeCount - capital
            self.byAgeBand = byAgeBand
            self.byGender = byGender
            self.byMajorField = byMajorField
            self.byEducation = byEducation
            self.byEmploymentStatus = byEmploymentStatus
        }
    }

    /// Graduates' outcomes at one moment: now, or a frozen snapshot (+3, +6, +12 months).
    public struct Outcomes: Codable, Equatable, Sendable {
        /// "current", or the snapshot's label.
        public let label: String
        public let takenOn: String?
        public let completers: Int
        public let byStatus: [String: Int]
        public let byCIRR: [String: Int]
        /// Employed, founded a start-up or went to graduate school.
        public let placed: Int
        /// Placed over completers (취업률), in percent.
        public let employmentRate: Double?

        public init(label: String, takenOn: String?, completers: Int, byStatus: [String: Int], byCIRR: [String: Int]) {
            self.label = label
            self.takenOn = takenOn
            self.completers = completers
            self.byStatus = byStatus
            self.byCIRR = byCIRR
            placed = OutcomeStatus.allCases.filter(\.isPlaced).map { byStatus[$0.rawValue] ?? 0 }.reduce(0, +)
            employmentRate = FunderReport.percent(placed, of: completers)
        }
    }

    /// Tuition invoiced to sponsors, received, and the funder's refund per completer (KRW).
    public struct Subsidy: Codable, Equatable, Sendable {
        public let invoiced: Int
        public let paid: Int
        public let refundDue: Int

        public init(invoiced: Int, paid: Int, refundDue: Int) {
            self.invoiced = invoiced
            self.paid = paid
            self.refundDue = refundDue
        }

        public static let none = Subsidy(invoiced: 0, paid: 0, refundDue: 0)
    }

    /// The programme across its cohorts (outcomes as they stand now).
    public struct Totals: Codable, Equatable, Sendable {
        public let capacity: Int
        public let applicants: Int
        public let admitted: Int
        public let admittedLocal: Int
        public let trainees: Int
        /// Trainees of the cohorts that have run completion: what the completion rate divides by.
        public let traineesJudged: Int
        public let completers: Int
        public let placed: Int
        /// Outcomes now, added up over the cohorts.
        public let byStatus: [String: Int]
        public let projectTeams: Int
        public let corporateProjects: Int
        public let hackathons: Int
        public let awards: Int
        public let certificates: Int
        /// Distinct companies with a hiring agreement, ever.
        public let partnerCompanies: Int
        public let subsidy: Subsidy
        public let competitionRatio: Double
        public let localShare: Double?
        public let completionRate: Double?
        public let employmentRate: Double?

        init(_ cohorts: [Cohort], partnerCompanies: Int) {
            func sum(_ value: (Cohort) -> Int) -> Int { cohorts.map(value).reduce(0, +) }
            capacity = sum(\.capacity)
            applicants = sum(\.applicants.total)
            admitted = sum(\.admitted)
            admittedLocal = sum(\.admittedLocal)
            trainees = sum(\.trainees)
            traineesJudged = sum { $0.current == nil ? 0 : $0.trainees }
            completers = sum(\.completers)
            byStatus = cohorts.compactMap { $0.current?.byStatus }.reduce(into: [:]) { total, next in total.merge(next, uniquingKeysWith: +) }
            placed = sum { $0.current?.placed ?? 0 }
            projectTeams = sum(\.projectTeams)
            corporateProjects = sum(\.corporateProjects)
            hackathons = sum(\.hackathons)
            awards = sum(\.awards)
            certificates = sum(\.certificates)
            self.partnerCompanies = partnerCompanies
            subsidy = Subsidy(invoiced: sum(\.subsidy.invoiced), paid: sum(\.subsidy.paid), refundDue: sum(\.subsidy.refundDue))
            competitionRatio = RecruitmentReport.ratio(applicants: applicants, capacity: capacity)
            localShare = FunderReport.percent(admittedLocal, of: admitted)
            completionRate = FunderReport.percent(completers, of: traineesJudged)
            employmentRate = FunderReport.percent(placed, of: completers)
        }
    }

    /// `part` of `whole` in percent to one decimal; nil when there is nothing to divide by.
    public static func percent(_ part: Int, of whole: Int) -> Double? {
        whole > 0 ? (Double(part) * 1000 / Double(whole)).rounded() / 10 : nil
    }
}
