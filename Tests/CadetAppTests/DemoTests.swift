import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
@testable import CadetApp

@Suite("The demo academy in the database")
struct DemoTests {
    @Test("cohorts, classes and hours match the published figures, and the demo logins work")
    func publishedStructure() async throws {
        try await TestApp.withApp { app in
            _ = try await DemoLoader(database: app.db, hasher: PasswordHasher(app)).load()
            let gwangju = try #require(try await Programme.query(on: app.db).filter(\.$slug == "gwangju-ai").first())
            let cohorts = try await Cohort.query(on: app.db).filter(\.$programme.$id == gwangju.id!).sort(\.$startsOn).all()
            #expect(cohorts.map(\.capacity) == [180, 180, 330])
            #expect(cohorts.map(\.targetHours) == [960, 1_120, 1_300])
            let second = cohorts[1]
            let classes = try await TrainingClass.query(on: app.db).filter(\.$cohort.$id == second.id!).all()
            #expect(classes.count == 6)
            #expect(classes.allSatisfy { $0.$instructor.id != nil && $0.$assistant.id != nil })
            #expect(Set(classes.compactMap { $0.$instructor.id }).count == 6)
            #expect(try await ClassMember.query(on: app.db).filter(\.$cohort.$id == second.id!).count() == 180)
            let phases = try await CohortPhase.query(on: app.db).filter(\.$cohort.$id == second.id!).all()
            #expect(phases.map(\.hours).reduce(0, +) == 1_120)

            let kaist = try #require(try await Programme.query(on: app.db).filter(\.$slug == "kaist-mle").first())
            let bootcamp = try #require(try await Cohort.query(on: app.db).filter(\.$programme.$id == kaist.id!).first())
            #expect(bootcamp.capacity == 25 && bootcamp.targetHours == 320 && bootcamp.startsOn == "2022-05-09" && bootcamp.endsOn == "2022-07-05")

            for login in DemoAcademy.build().logins {
                try await Browser(app).signIn(login.person.email, password: DemoAcademy.password)
            }
        }
    }

    @Test("the demo timetables, attendance and completion reproduce the published figures: 960, 1,120 and 320 hours; 155 of 180 certified in Gwangju's first cohort; KAIST's subsidy settled; the demo hackathon scored")
    func trainingFigures() async throws {
        try await TestApp.withApp { app in
            _ = try await DemoLoader(database: app.db, hasher: PasswordHasher(app)).load()
            for (programme, cohort, hours, trainees, completers) in [("gwangju-ai", "c1", 960, 180, 155), ("gwangju-ai", "c2", 1_120, 180, 163), ("kaist-mle", "c1", 320, 25, 25)] {
                let p = try #require(try await Programme.query(on: app.db).filter(\.$slug == programme).first())
                let c = try #require(try await Cohort.query(on: app.db).filter(\.$programme.$id == p.id!).filter(\.$slug == cohort).first())
                let ledgers = try await LedgerQueries(database: app.db, now: Date()).ledgers(of: c, rules: .standard)
                #expect(ledgers.count == trainees, "\(programme)/\(cohort)")
                #expect(ledgers.allSatisfy { $0.ledger.total.planned == hours * 60 && $0.ledger.total.delivered == hours * 60 && $0.ledger.pendingMinutes == 0 },
                        "\(programme)/\(cohort): every trainee's planned and delivered hours are \(hours)")
                #expect(ledgers.filter(\.ledger.completed).count == completers, "\(programme)/\(cohort)")
            }
            // Completion runs and certificates follow the same records: 155 certificates in cohort 1.
            for (programme, cohort, completers) in [("gwangju-ai", "c1", 155), ("gwangju-ai", "c2", 163), ("kaist-mle", "c1", 25)] {
                let p = try #require(try await Programme.query(on: app.db).filter(\.$slug == programme).first())
                let c = try #require(try await Cohort.query(on: app.db).filter(\.$programme.$id == p.id!).filter(\.$slug == cohort).first())
                let outcomes = try await CompletionService.latestOutcomes(of: c.id!, on: app.db)
                #expect(outcomes.values.filter { $0 == .completed }.count == completers, "\(programme)/\(cohort)")
                #expect(try await Certificate.query(on: app.db).filter(\.$cohort.$id == c.id!).filter(\.$status == .valid).count() == completers)
                if programme == "kaist-mle" {
                    // 25 sponsored trainees at 15,000,000 KRW, all paid; the city refunds 5,000,000 for each of the 25 completers.
                    let (report, invoices) = try await SettlementService.report(DirectoryLookup.CohortRef(programme: p, cohort: c, id: c.id!), on: app.db)
                    #expect(report.totals.trainees == 25 && report.totals.tuitionDue == 375_000_000 && report.totals.paid == 375_000_000)
                    #expect(report.totals.outstanding == 0 && report.totals.refundDue == 125_000_000 && !invoices.isEmpty)
                }
            }
            // The demo hackathon: six teams in Gwangju's cohort 2, five real models scored (the
            // demo trainee's team has not submitted); the one-split tree comes last.
            let hackathon = try #require(try await Hackathon.query(on: app.db).first())
            #expect(try await HackathonTeam.query(on: app.db).count() == 6 && hackathon.rows == 171)
            let board = try await HackathonBoards.load(hackathon, on: app.db).public
            #expect(board.count == 5 && !board.map(\.team).contains(HackathonDemo.teams[0]), "\(board.map(\.team))")
            #expect(board.allSatisfy { Double($0.score)! > 0.7 } && board.last?.team == HackathonDemo.teams[5], "\(board.map { "\($0.team) \($0.score)" })")
            // Team projects: cohort 1's 33 corporate teams from 11 companies; cohort 2's 39 teams
            // (10 common, 19 corporate, 10 free-topic); everyone placed within the team sizes.
            let gwangju = try #require(try await Programme.query(on: app.db).filter(\.$slug == "gwangju-ai").first())
            for (slug, common, corporate, free, companies) in [("c1", 0, 33, 0, 11), ("c2", 10, 19, 10, 19)] {
                let c = try #require(try await Cohort.query(on: app.db).filter(\.$programme.$id == gwangju.id!).filter(\.$slug == slug).first())
                let teams = try await ProjectTeams.load(DirectoryLookup.CohortRef(programme: gwangju, cohort: c, id: c.id!), on: app.db)
                let kinds = Dictionary(grouping: teams.teams, by: \.project.kind).mapValues(\.count)
                #expect(kinds[.common] ?? 0 == common && kinds[.corporate] ?? 0 == corporate && kinds[.freeTopic] ?? 0 == free, "\(slug): \(kinds)")
                #expect(Set(teams.teams.compactMap { $0.project.company?.name }).count == companies)
                #expect(teams.placed == 180 && teams.unplaced.isEmpty && teams.ranked == 180)
                #expect(teams.teams.allSatisfy { !$0.underfilled && $0.members.count <= $0.project.teamMax && !$0.mentors.isEmpty })
                // Most get one of their first three choices, even with every team's size kept.
                #expect(teams.count(choice: 1...3) * 10 >= 180 * 8, "\(slug): \(teams.count(choice: 1...1)) first, \(teams.count(choice: 1...3)) top three")
            }
            // Cohort 2's public showcase: five judges, nobody marking a team they mentor, three
            // prizes on every winning member's record.
            let showcase = try #require(try await Showcase.query(on: app.db).filter(\.$published == true).first())
            #expect(try await ShowcaseJudge.query(on: app.db).filter(\.$showcase.$id == showcase.id!).count() == 5)
            let mentoring = Set(try await ProjectMentor.query(on: app.db).all().map { "\($0.$user.id)|\($0.$proposal.id)" })
            let marked = try await RubricScore.query(on: app.db).filter(\.$showcase.$id == showcase.id!).all()
            #expect(marked.count > 150 && marked.allSatisfy { !mentoring.contains("\($0.judgeID)|\($0.$proposal.id)") })
            let prizes = try await ShowcaseAward.query(on: app.db).filter(\.$showcase.$id == showcase.id!).all()
            let winners = try await ProjectMember.query(on: app.db).filter(\.$proposal.$id ~~ prizes.map(\.$proposal.id)).count()
            let awarded = try await Award.query(on: app.db).count()
            #expect(prizes.count == 3 && winners >= 12 && awarded == winners)
            #expect(try await PairwiseVote.query(on: app.db).count() == 40)
            // No session falls on a public holiday: 1 October 2020 was Chuseok, 1 June 2022 local elections.
            #expect(try await TrainingSession.query(on: app.db).filter(\.$day ~~ ["2020-10-01", "2022-06-01", "2022-06-06"]).count() == 0)
        }
    }

    @Test("the funder's report counts the published figures from the demo's records: 1,045 / 180 / 5.81 : 1 / 155 (86.1%) / 130 (83.9%) / 97 local in Gwangju's first cohort, and on")
    func funderReport() async throws {
        try await TestApp.withApp { app in
            _ = try await DemoLoader(database: app.db, hasher: PasswordHasher(app)).load()
            func report(_ slug: String) async throws -> FunderReport {
                let programme = try #require(try await Programme.query(on: app.db).filter(\.$slug == slug).first())
                let cohorts = try await Cohort.query(on: app.db).filter(\.$programme.$id == programme.id!).all()
                return try await FunderReportQueries.report(programme, cohorts: cohorts, zone: TimeZone(identifier: "Asia/Seoul")!, on: app.db)
            }
            let gwangju = try await report("gwangju-ai")
            #expect(gwangju.homeRegion == .gwangju && gwangju.cohorts.map(\.slug) == ["c1", "c2", "c5"])
            let (c1, c2, c5) = (gwangju.cohorts[0], gwangju.cohorts[1], gwangju.cohorts[2])
            #expect(c1.applicants.total == 1_045 && c1.admitted == 180 && c1.competitionRatio == 5.81)
            #expect(c1.completers == 155 && c1.completionRate == 86.1)
            #expect(c1.current?.placed == 130 && c1.current?.employmentRate == 83.9)
            #expect(c1.outcomes.map(\.label) == ["current", "3m", "6m"] && c1.outcomes[2].placed == 130 && c1.outcomes[2].takenOn == "2021-06-23")
            #expect(c1.admittedLocal == 97 && c1.localShare == 53.9)
            // 33 corporate teams in cohort 1; 39 teams, 19 corporate, and three prizes in cohort 2.
            #expect(c1.projectTeams == 33 && c1.corporateProjects == 33 && c2.projectTeams == 39 && c2.corporateProjects == 19 && c2.awards > 0)
            // 129 of 180 is 71.67%: the published 71.6% cut the last digit off, the report rounds.
            #expect(c2.applicants.total == 609 && c2.admitted == 180 && c2.competitionRatio == 3.38 && c2.admittedLocal == 129 && c2.localShare == 71.7)
            #expect(c5.applicants.total == 712 && c5.capacity == 330 && c5.applicants.homeRegion == 491 && c5.applicants.capitalArea == 105
                    && c5.applicants.otherRegions == 116)
            let kaist = try #require(try await report("kaist-mle").cohorts.first)
            #expect(kaist.trainees == 25 && kaist.hours == 320 && kaist.completers == 25 && kaist.certificates == 25)
            #expect(kaist.subsidy == FunderReport.Subsidy(invoiced: 375_000_000, paid: 375_000_000, refundDue: 125_000_000))
            #expect(kaist.current?.byStatus["employed"] == 25)
        }
    }

    @Test("the demo rounds reproduce the published recruitment figures")
    func recruitmentFigures() async throws {
        try await TestApp.withApp { app in
            _ = try await DemoLoader(database: app.db, hasher: PasswordHasher(app)).load()
            let zone = TimeZone(identifier: "Asia/Seoul")!
            func round(_ programme: String, _ cohort: String) async throws -> (RecruitmentRound, RecruitmentReport) {
                let p = try #require(try await Programme.query(on: app.db).filter(\.$slug == programme).first())
                let c = try #require(try await Cohort.query(on: app.db).filter(\.$programme.$id == p.id!).filter(\.$slug == cohort).first())
                let r = try #require(try await RoundService.round(of: c.id!, on: app.db))
                return (r, try await RecruitmentReportQueries.report(round: r, zone: zone, on: app.db))
            }
            func admitted(_ r: RecruitmentRound) async throws -> [Applicant] {
                try await Applicant.query(on: app.db).filter(\.$round.$id == r.id!).filter(\.$stage == .enrolled).all()
            }
            let (r1, c1) = try await round("gwangju-ai", "c1")
            #expect(c1.applicants == 1_045 && c1.capacity == 180 && c1.competitionRatio == 5.81)
            let in1 = try await admitted(r1)
            #expect(in1.count == 180)
            #expect(in1.filter { $0.region == "Gwangju" }.count == 97)
            #expect(in1.filter { $0.majorField == "computing" }.count == 75)
            #expect(in1.filter { $0.majorField == "ict_electronics_math" }.count == 26)
            #expect(in1.filter { $0.majorField == "other_science_engineering" }.count == 38)
            #expect(in1.filter { $0.majorField == "humanities_other" }.count == 41)
            #expect(Set(in1.compactMap(\.rank)) == Set(1...180), "the admitted are the first 180 by the round's rules")
            let (r2, c2) = try await round("gwangju-ai", "c2")
            #expect(c2.applicants == 609 && c2.competitionRatio == 3.38)
            #expect(try await admitted(r2).filter { $0.region == "Gwangju" }.count == 129)
            let (_, c5) = try await round("gwangju-ai", "c5")
            #expect(c5.applicants == 712 && c5.byRegion["Gwangju"] == 491 && c5.capitalArea == 105)
            #expect(c5.applicants - c5.byRegion["Gwangju"]! - c5.capitalArea == 116)
            let (rk, kaist) = try await round("kaist-mle", "c1")
            #expect(rk.sponsored && rk.tuitionPerTrainee == 15_000_000 && rk.refundPerCompleter == 5_000_000)
            #expect(try await admitted(rk).count == 25)
            let nominated = try await Applicant.query(on: app.db).filter(\.$round.$id == rk.id!).filter(\.$sponsorshipID != nil).count()
            #expect(nominated == kaist.applicants)
            #expect(try await Sponsorship.query(on: app.db).filter(\.$round.$id == rk.id!).count() >= 5)
        }
    }

    @Test("the demo operator sees the cohort page in Korean and in English")
    func cohortPageBothLanguages() async throws {
        try await TestApp.withApp { app in
            _ = try await DemoLoader(database: app.db, hasher: PasswordHasher(app)).load()
            let browser = Browser(app)
            try await browser.signIn("operator@cadet.example", password: DemoAcademy.password)
            browser.acceptLanguage = "ko"
            let korean = try await browser.get("/programmes/gwangju-ai/cohorts/c2").text
            #expect(korean.contains("교육기간") && korean.contains("정원") && korean.contains("180명") && korean.contains("1120시간"))
            browser.acceptLanguage = "en"
            let english = try await browser.get("/programmes/gwangju-ai/cohorts/c2").text
            #expect(english.contains("Period") && english.contains("Capacity") && english.contains("180 places") && english.contains("1120 hours"))
        }
    }
}
