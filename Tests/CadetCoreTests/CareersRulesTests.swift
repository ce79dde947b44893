import Testing
@testable import CadetCore

@Suite("Careers rules: outcomes, CIRR categories and the funder's arithmetic")
struct CareersRulesTests {
    @Test("an outcome form keeps only the facts its status has, and names every missing one")
    func outcomeDraft() throws {
        let employed = try OutcomeDraft.parse(["status": "employed", "organisation": "무등AI", "started_on": "2021-02-01", "employment_type": "contract",
                                                "in_field": "on", "verified": "on", "salary_band": "40_50m"])
        #expect(employed.cirr == .c1B && employed.inField && employed.verified && employed.salaryBand == .from40to50m)
        let looking = try OutcomeDraft.parse(["status": "still_looking", "organisation": "무등AI", "in_field": "on", "verified": "on", "salary_band": "40_50m"])
        #expect(looking == OutcomeDraft(status: .stillLooking))
        let school = try OutcomeDraft.parse(["status": "graduate_school", "organisation": "GIST", "started_on": "2021-03-02", "salary_band": "40_50m"])
        #expect(school.salaryBand == nil && school.employmentType == nil && school.cirr == .c3B)
        do {
            _ = try OutcomeDraft.parse(["status": "employed", "salary_band": "lots", "chosen_path": "travel"])
            Issue.record("an employed outcome without an employer was accepted")
        } catch {
            #expect(Set(error.issues.map(\.field)) == ["organisation", "started_on", "employment_type", "salary_band", "chosen_path"])
        }
        #expect(throws: ValidationFailure.self) { try OutcomeDraft.parse(["status": "employed\u{0}", "organisation": "x"]) }
    }

    @Test("CIRR categories follow status, field and hours", arguments: [
        (OutcomeStatus.employed, true, EmploymentType.fullTime, CIRRCategory.c1A), (.employed, true, .contract, .c1B), (.employed, true, .partTime, .c2A),
        (.employed, false, .fullTime, .c3A), (.startUp, true, nil, .c1C), (.startUp, false, nil, .c3A), (.graduateSchool, true, nil, .c3B),
        (.notSeeking, false, nil, .c3C), (.stillLooking, false, nil, .c4A), (.notReporting, false, nil, .c4B),
    ] as [(OutcomeStatus, Bool, EmploymentType?, CIRRCategory)])
    func cirr(_ status: OutcomeStatus, _ inField: Bool, _ type: EmploymentType?, _ expected: CIRRCategory) {
        #expect(CIRRCategory.of(status: status, inField: inField, type: type) == expected)
    }

    static func cohort(_ slug: String, trainees: Int, completers: Int, placed: Int?, applicants: [String: Int], admitted: Int, local: Int) -> FunderReport.Cohort {
        let outcomes = placed.map { [FunderReport.Outcomes(label: "current", takenOn: nil, completers: completers,
                                                           byStatus: ["employed": $0, "still_looking": completers - $0], byCIRR: [:])] } ?? []
        return FunderReport.Cohort(slug: slug, name: slug, startsOn: "2020-07-01", endsOn: "2020-12-23", capacity: 180,
                                   applicants: .init(total: applicants.values.reduce(0, +), byRegion: applicants, home: .gwangju, byAgeBand: [:], byGender: [:],
                                                     byMajorField: [:], byEducation: [:], byEmploymentStatus: [:]),
                                   admitted: admitted, admittedLocal: local, trainees: trainees, hours: 960, completers: completers, outcomes: outcomes,
                                   hackathons: 0, awards: 0, certificates: completers, subsidy: .none)
    }

    @Test("rates round to one decimal, areas split home / capital / other, and totals leave out cohorts that have not finished")
    func arithmetic() {
        let first = Self.cohort("c1", trainees: 180, completers: 155, placed: 130, applicants: ["Gwangju": 567, "Seoul": 151, "Gyeonggi": 117, "Incheon": 24, "Jeonnam": 186],
                                admitted: 180, local: 97)
        #expect(first.competitionRatio == 5.81 && first.completionRate == 86.1 && first.current?.employmentRate == 83.9 && first.localShare == 53.9)
        #expect(first.applicants.homeRegion == 567 && first.applicants.capitalArea == 292 && first.applicants.otherRegions == 186)
        let running = Self.cohort("c5", trainees: 330, completers: 0, placed: nil, applicants: ["Gwangju": 491, "Seoul": 105, "Busan": 116], admitted: 330, local: 228)
        #expect(running.completionRate == nil && running.current == nil)
        let report = FunderReport(programme: "gwangju-ai", programmeName: "Gwangju", homeRegion: .gwangju, cohorts: [first, running])
        #expect(report.totals.applicants == 1_757 && report.totals.trainees == 510 && report.totals.traineesJudged == 180)
        #expect(report.totals.completionRate == 86.1 && report.totals.employmentRate == 83.9 && report.totals.byStatus["employed"] == 130)
        #expect(FunderReport.percent(129, of: 180) == 71.7 && FunderReport.percent(1, of: 0) == nil)
        // The table: a row per cohort and snapshot, then the total; as many cells as columns.
        #expect(report.rows.count == 3 && report.rows.allSatisfy { $0.count == FunderReport.columns.count })
        #expect(report.rows[0].prefix(7) == ["gwangju-ai", "c1", "current", "", "180", "1045", "5.81"])
        #expect(report.rows[2][1] == "TOTAL" && report.rows[2][16] == "86.1")
    }

    @Test("snapshot points fall 0, 3, 6 and 12 months after the last day")
    func points() {
        let last = CalendarDate(iso: "2020-12-23")!
        #expect(SnapshotPoint.allCases.map { $0.due(after: last).iso } == ["2020-12-23", "2021-03-23", "2021-06-23", "2021-12-23"])
    }

    @Test("hiring drafts name their bad fields; an agreement covers the periods it overlaps; placed and declined end the line")
    func hiring() throws {
        let company = try CompanyDraft.parse(["name": "무등AI", "contact_email": " HR@Mudeung.Example ", "region": "Gwangju"])
        #expect(company.contactEmail == "hr@mudeung.example" && company.region == .gwangju)
        #expect(throws: ValidationFailure.self) { try CompanyDraft.parse(["name": "무등AI", "contact_email": "nobody"]) }
        do {
            _ = try AgreementDraft.parse(["signed_on": "2021-06-01", "ends_on": "2021-05-01", "headcount": "0"])
            Issue.record("an agreement ending before it was signed was accepted")
        } catch {
            #expect(Set(error.issues.map(\.field)) == ["ends_on", "headcount"])
        }
        let agreement = try AgreementDraft.parse(["signed_on": "2021-06-01", "ends_on": "2023-05-31", "headcount": "3"])
        let day = { (iso: String) in CalendarDate(iso: iso)! }
        #expect(agreement.covers(from: day("2021-06-01"), to: day("2021-12-24")) && agreement.covers(from: day("2020-07-01"), to: day("2021-06-01")))
        #expect(!agreement.covers(from: day("2020-07-01"), to: day("2020-12-23")) && !agreement.covers(from: day("2024-03-04"), to: day("2024-12-27")))
        #expect(AgreementDraft(signedOn: day("2021-06-01")).covers(from: day("2030-01-01"), to: day("2030-12-31")))
        #expect(throws: ValidationFailure.self) { try PostingDraft.parse(["title": "ML engineer", "closes_on": "soon"]) }
        #expect(PlacementStage.applied.mayMove(to: .placed) && PlacementStage.offered.mayMove(to: .interviewing))
        #expect(!PlacementStage.placed.mayMove(to: .declined) && !PlacementStage.declined.mayMove(to: .applied) && !PlacementStage.applied.mayMove(to: .applied))
    }
}
