import Foundation

/// A demo cohort's recruitment round, shaped to reproduce the published recruitment figures.
public struct DemoRound: Sendable {
    public let opensAt: Date
    public let closesAt: Date
    public let sponsored: Bool
    public let tuitionPerTrainee: Int?
    public let refundPerCompleter: Int?
    public let applicants: [DemoApplicant]
    /// For sponsored rounds: the companies whose employees are nominated, with their contact.
    public let companies: [String]
}

public struct DemoApplicant: Sendable {
    public let person: DemoAcademy.Person
    /// One of the cohort's trainees (and so admitted and enrolled).
    public let admitted: Bool
    /// Got past document screening to the committee.
    public let reachedCommittee: Bool
    public let submittedAt: Date
    /// Documents, test and interview, 0–100, built so that the round's standard weights (30/40/30)
    /// give exactly `target`: the admitted all rank above everyone else.
    public let documents: Double
    public let test: Double
    public let interview: Double
    public let target: Double
    public let company: String?
}

/// How a cohort's applicants who were not admitted divide, to meet the published totals.
struct ApplicantPlan {
    let total: Int
    /// Regions of the applicants who were not admitted.
    let others: [(Region, Int)]
    let opens: String
    let closes: String
    var sponsored = false
    var companies: [String] = []
}

extension DemoBuilder {
    static func round(for cohort: DemoAcademy.Cohort, plan: ApplicantPlan, tag: String) -> DemoRound {
        var generator = SeededGenerator(seed: UInt64(plan.total) &* 7919 &+ UInt64(cohort.draft.capacity))
        let seoul = TimeZone(identifier: "Asia/Seoul")!
        let opens = Timestamps.parse(plan.opens, defaultZone: seoul)!
        let closes = Timestamps.parse(plan.closes, defaultZone: seoul)!
        let window = closes.timeIntervalSince(opens)
        // Most applications arrive near the deadline.
        func submitted() -> Date {
            let u = Double.random(in: 0..<1, using: &generator)
            return opens.addingTimeInterval(window * (1 - u * u) * 0.999)
        }
        func scores(_ target: Double) -> (Double, Double, Double) {
            let spread = Double.random(in: -6...6, using: &generator)
            let d = min(100, max(0, target + spread)), i = min(100, max(0, target - spread))
            // 0.3 d + 0.4 t + 0.3 i = target, with d + i = 2 target unless clipped.
            let t = (target - 0.3 * d - 0.3 * i) / 0.4
            return ((d * 100).rounded() / 100, (t * 1e6).rounded() / 1e6, (i * 100).rounded() / 100)
        }
        var applicants: [DemoApplicant] = []
        let trainees = cohort.trainees
        for (index, person) in trainees.enumerated() {
            let target = 97 - Double(index) * 20 / Double(max(trainees.count, 1))
            let (d, t, i) = scores(target)
            applicants.append(DemoApplicant(person: person, admitted: true, reachedCommittee: true, submittedAt: submitted(),
                                            documents: d, test: t, interview: i, target: target,
                                            company: plan.companies.isEmpty ? nil : plan.companies[index % plan.companies.count]))
        }
        let regions = Array.quota(plan.others, using: &generator)
        let majors = Array.quota(split(regions.count, [0.38, 0.16, 0.22, 0.24]).enumerated().map { (MajorField.allCases[$0.offset], $0.element) }, using: &generator)
        let genders = Array.quota(split(regions.count, [0.66, 0.34]).enumerated().map { ([Gender.male, .female][$0.offset], $0.element) }, using: &generator)
        for index in 0..<regions.count {
            let name = KoreanNames.make(using: &generator)
            let year = Int.random(in: 1980...2002, using: &generator)
            let person = DemoAcademy.Person(email: "\(tag).a\(String(format: "%04d", index + 1))@\(DemoAcademy.emailDomain)", name: name.korean,
                                            region: regions[index], gender: genders[index], majorField: majors[index],
                                            birthDate: CalendarDate(year: year, month: Int.random(in: 1...12, using: &generator), day: Int.random(in: 1...28, using: &generator)))
            let target = Double.random(in: 30...76, using: &generator)
            let (d, t, i) = scores(target)
            applicants.append(DemoApplicant(person: person, admitted: false, reachedCommittee: index % 3 != 0, submittedAt: submitted(),
                                            documents: d, test: t, interview: i, target: target,
                                            company: plan.companies.isEmpty ? nil : plan.companies[index % plan.companies.count]))
        }
        precondition(applicants.count == plan.total, "\(tag): \(applicants.count) applicants planned, \(plan.total) published")
        applicants.sort { $0.submittedAt < $1.submittedAt }
        return DemoRound(opensAt: opens, closesAt: closes, sponsored: plan.sponsored,
                         tuitionPerTrainee: plan.sponsored ? 15_000_000 : nil, refundPerCompleter: plan.sponsored ? 5_000_000 : nil,
                         applicants: applicants, companies: plan.companies)
    }

    /// Whole numbers in the given proportions that add up to `total`.
    static func split(_ total: Int, _ shares: [Double]) -> [Int] {
        var counts = shares.map { Int((Double(total) * $0).rounded(.down)) }
        var index = 0
        while counts.reduce(0, +) < total {
            counts[index % counts.count] += 1
            index += 1
        }
        return counts
    }
}
