import CadetCore
import Fluent
import Foundation

/// The demo's careers: where the graduates of the cohorts that completed went, frozen into the
/// snapshots the funder saw. Gwangju's first cohort reproduces the published 130 of 155 (83.9%)
/// employed, founded a start-up or went to graduate school at six months, after 104 at three;
/// KAIST's in-house developers all went back to their companies.
struct CareersDemo {
    let academy: DemoAcademy

    /// How a cohort's graduates turn out: counts per status, in the order they are dealt.
    struct Plan {
        let programme: String
        let cohort: String
        /// Snapshots to freeze, each with the statuses as they stood then.
        let stages: [(SnapshotPoint, [(OutcomeStatus, Int)])]
    }

    static let homeRegions: [String: Region] = ["gwangju-ai": .gwangju, "kaist-mle": .seoul]

    static let plans: [Plan] = [
        Plan(programme: "gwangju-ai", cohort: "c1", stages: [
            // Dealt so that each graduate's path only moves forward: those still looking at three
            // months are the ones who found work, founded or enrolled by six.
            (.months3, [(.employed, 84), (.stillLooking, 20), (.startUp, 5), (.stillLooking, 3), (.graduateSchool, 15), (.stillLooking, 18),
                        (.notSeeking, 4), (.notReporting, 6)]),
            (.months6, [(.employed, 104), (.startUp, 8), (.graduateSchool, 18), (.stillLooking, 15), (.notSeeking, 4), (.notReporting, 6)]),
        ]),
        // Not published for the second cohort; the demo assumes a little better than the first.
        Plan(programme: "gwangju-ai", cohort: "c2", stages: [
            (.months3, [(.employed, 112), (.startUp, 7), (.graduateSchool, 15), (.stillLooking, 22), (.notSeeking, 3), (.notReporting, 4)]),
        ]),
        Plan(programme: "kaist-mle", cohort: "c1", stages: [(.completion, [(.employed, 25)])]),
    ]

    static let employers = ["광주데이터랩", "빛고을소프트", "무등AI", "호남클라우드", "첨단모빌리티", "남도헬스케어", "한빛소프트웨어", "서울데이터랩",
                            "누리클라우드", "가람AI", "마루핀테크", "보라헬스케어"]
    static let schools = ["GIST 대학원", "전남대학교 대학원", "KAIST 대학원", "조선대학교 대학원"]

    func load(on db: any Database) async throws -> Int {
        var created = 0
        for (slug, region) in Self.homeRegions {
            guard let programme = try await Programme.query(on: db).filter(\.$slug == slug).first(),
                  try await ProgrammeReportSetting.query(on: db).filter(\.$programme.$id == programme.requireID()).count() == 0 else { continue }
            try await OutcomeService(database: db, actor: .demo, now: Date()).setHomeRegion(region, of: programme)
            created += 1
        }
        for plan in Self.plans {
            guard let programme = try await Programme.query(on: db).filter(\.$slug == plan.programme).first(),
                  let cohort = try await Cohort.query(on: db).filter(\.$programme.$id == programme.requireID()).filter(\.$slug == plan.cohort).first(),
                  try await OutcomeSnapshot.query(on: db).filter(\.$cohort.$id == cohort.requireID()).count() == 0 else { continue }
            created += try await load(plan, DirectoryLookup.CohortRef(programme: programme, cohort: cohort, id: try cohort.requireID()), on: db)
        }
        return created
    }

    private func load(_ plan: Plan, _ ref: DirectoryLookup.CohortRef, on db: any Database) async throws -> Int {
        let ids = try await OutcomeService.graduates(of: ref.id, on: db)
        let graduates = try await User.query(on: db).filter(\.$id ~~ ids).sort(\.$email).all()
        let lastDay = CalendarDate(iso: ref.cohort.endsOn)!
        let companies = companiesByEmail(plan)
        var created = 0
        for (point, counts) in plan.stages {
            precondition(counts.map(\.1).reduce(0, +) == graduates.count, "\(plan.programme)/\(plan.cohort): plan for \(graduates.count) graduates")
            let day = point.due(after: lastDay)
            let service = OutcomeService(database: db, actor: .demo, now: day.moment(atMinute: 9 * 60, in: TrainingDemo.zone))
            let statuses = counts.flatMap { Array(repeating: $0.0, count: $0.1) }
            for (index, (graduate, status)) in zip(graduates, statuses).enumerated() {
                try await service.save(draft(status, index: index, company: companies[graduate.email], lastDay: lastDay), of: graduate, in: ref)
                created += 1
            }
            created += try await service.freeze(point, in: ref, on: day)
        }
        return created
    }

    /// For sponsored cohorts, the company that nominated each trainee.
    private func companiesByEmail(_ plan: Plan) -> [String: String] {
        let cohort = academy.programmes.first { $0.draft.slug == plan.programme }?.cohorts.first { $0.draft.slug == plan.cohort }
        return Dictionary((cohort?.round?.applicants ?? []).compactMap { a in a.company.map { (a.person.email, $0) } }) { a, _ in a }
    }

    /// A believable outcome: most jobs full time and in the field, most checked against the
    /// employment-insurance record, start dates spread over the months after the course.
    private func draft(_ status: OutcomeStatus, index: Int, company: String?, lastDay: CalendarDate) -> OutcomeDraft {
        let started = lastDay.adding(days: 14 + (index * 37) % 150)
        switch status {
        case .employed:
            let type: EmploymentType = index % 13 == 0 ? .partTime : index % 7 == 0 ? .contract : .fullTime
            return OutcomeDraft(status: .employed, chosenPath: .employment, organisation: company ?? Self.employers[index % Self.employers.count],
                                role: ["AI 엔지니어 (AI engineer)", "데이터 분석가 (Data analyst)", "백엔드 개발자 (Back-end developer)"][index % 3],
                                startedOn: company == nil ? started : lastDay.adding(days: 1), inField: index % 9 != 0, employmentType: type,
                                salaryBand: SalaryBand.allCases[index % SalaryBand.allCases.count], verified: index % 5 != 0)
        case .startUp:
            return OutcomeDraft(status: .startUp, chosenPath: .startUp, organisation: "스타트업 \(index + 1)호 (Start-up no. \(index + 1))", role: "대표 (Founder)",
                                startedOn: started, inField: true, verified: false)
        case .graduateSchool:
            return OutcomeDraft(status: .graduateSchool, chosenPath: .graduateSchool, organisation: Self.schools[index % Self.schools.count],
                                role: "석사과정 (Master's student)", startedOn: lastDay.adding(months: 2), inField: true, verified: true)
        default:
            return OutcomeDraft(status: status, chosenPath: index % 2 == 0 ? .employment : .undecided)
        }
    }
}
