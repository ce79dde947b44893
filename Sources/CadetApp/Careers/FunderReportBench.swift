import ArgumentParser
import CadetCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// `cadet bench report`: the funder's report over a programme the size of a large academy's
/// history (100,000 applicants, 10,000 trainees with attendance, completion and outcomes) on a
/// scratch database, SQLite or PostgreSQL (`DATABASE_URL`). The baseline, in the same run, is a
/// plain `SELECT count(*)` over every table the report reads, so the ratio says what the report
/// costs beyond touching its tables once.
struct FunderReportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "The funder's report over 100,000 applicants and 10,000 trainees; time against count(*) over the same tables.")

    @Option(help: "Applicants across the programme.") var applicants = 100_000
    @Option(help: "Trainees across the programme.") var trainees = 10_000
    @Option(help: "Cohorts they are spread over.") var cohorts = 10
    @Option(help: "Training days per class, each with every trainee's attendance.") var days = 40
    @Option(help: "Times each report is drawn.") var repeats = 5

    func validate() throws {
        guard cohorts >= 1, trainees >= cohorts, applicants >= trainees, (1...400).contains(days), (1...50).contains(repeats) else {
            throw ValidationError("need cohorts ≥ 1, trainees ≥ cohorts, applicants ≥ trainees, 1–400 days and 1–50 repeats")
        }
    }

    static let tables = [Applicant.schema, ClassMember.schema, TrainingSession.schema, AttendanceRecord.schema, CompletionResult.schema,
                         GraduateOutcome.schema, OutcomeSnapshotEntry.schema]

    func run() async throws {
        let bench = try BenchDatabase(try CommandSupport.loadConfig(), prefix: "report")
        print("Funder's report: \(applicants) applicants, \(trainees) trainees in \(cohorts) cohorts, \(days) days of attendance, on \(bench.name), "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
        let (applicants, trainees, cohorts, days, repeats) = (self.applicants, self.trainees, self.cohorts, self.days, self.repeats)
        let failed = try await bench.run { app in
            let started = ContinuousClock.now
            let programme = try await FunderReportBenchSetup(database: app.db, applicants: applicants, trainees: trainees, cohorts: cohorts, days: days).make()
            let sql = app.db as! any SQLDatabase
            var rows = 0
            for table in Self.tables { rows += try await sql.raw("SELECT count(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0 }
            if bench.config.database.isPostgres { try await sql.raw("ANALYZE").run() }
            print(String(format: "  setup: %d rows in the report's tables, made in %.1f s", rows, BenchClock.seconds(since: started)))

            let all = try await Cohort.query(on: app.db).filter(\.$programme.$id == programme.requireID()).sort(\.$startsOn).all()
            let zone = TimeZone(identifier: "Asia/Seoul")!
            var whole: [Double] = [], single: [Double] = [], baseline: [Double] = []
            var report: FunderReport?
            for _ in 0..<repeats {
                let a = ContinuousClock.now
                report = try await FunderReportQueries.report(programme, cohorts: all, zone: zone, on: app.db)
                whole.append(BenchClock.seconds(since: a))
                let b = ContinuousClock.now
                _ = try await FunderReportQueries.report(programme, cohorts: [all[all.count / 2]], zone: zone, on: app.db)
                single.append(BenchClock.seconds(since: b))
                let c = ContinuousClock.now
                for table in Self.tables { _ = try await sql.raw("SELECT count(*) AS n FROM \(ident: table)").first() }
                baseline.append(BenchClock.seconds(since: c))
            }
            guard let totals = report?.totals, totals.applicants == applicants, totals.trainees == trainees else {
                throw CommandFailure("the report counted \(report?.totals.applicants ?? 0) applicants and \(report?.totals.trainees ?? 0) trainees")
            }
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            let base = median(baseline)
            print(String(format: "  programme report (%d cohorts)  median %7.1f ms  max %7.1f ms   (target: under 500 ms)   ratio to count(*) %.1f",
                         cohorts, median(whole) * 1000, (whole.max() ?? 0) * 1000, median(whole) / base))
            print(String(format: "  one cohort's report           median %7.1f ms  max %7.1f ms   (target: under 500 ms)   ratio to count(*) %.1f",
                         median(single) * 1000, (single.max() ?? 0) * 1000, median(single) / base))
            print(String(format: "  baseline: count(*) over the %d tables  median %.1f ms", Self.tables.count, base * 1000))
            print(String(format: "  figures: %d applicants, %d admitted, %d trainees, %d completed (%.1f%%), %d placed (%.1f%%)", totals.applicants, totals.admitted,
                         totals.trainees, totals.completers, totals.completionRate ?? 0, totals.placed, totals.employmentRate ?? 0))
            return median(whole) >= 0.5 || median(single) >= 0.5
        }
        if failed { throw ExitCode(1) }
    }
}

/// The bench's programme, made straight in the database in batches: cohorts with rounds and
/// applicants, classes with trainees, a timetable with everyone's attendance, a completion run
/// (90% complete), outcomes (about 84% placed) and two frozen snapshots per cohort.
struct FunderReportBenchSetup {
    let database: any Database
    let applicants: Int
    let trainees: Int
    let cohorts: Int
    let days: Int

    static let classSize = 100

    func make() async throws -> Programme {
        let actor = Actor(userID: nil, label: "bench")
        let programme = try await ProgrammeService(database: database, actor: actor).create(["slug": "report-bench", "name": "성과 보고서 벤치마크 Report benchmark"])
        try await OutcomeService(database: database, actor: actor, now: Date()).setHomeRegion(.gwangju, of: programme)
        let zone = TimeZone(identifier: "Asia/Seoul")!
        for index in 0..<cohorts {
            let places = trainees / cohorts + (index < trainees % cohorts ? 1 : 0)
            let applying = applicants / cohorts + (index < applicants % cohorts ? 1 : 0)
            let year = 2010 + index
            let cohort = try await CohortService(database: database, actor: actor).create(in: programme, [
                "slug": "c\(index + 1)", "name": "\(index + 1)기", "capacity": String(places), "starts_on": "\(year)-03-02", "ends_on": "\(year)-12-20"])
            let round = try await RoundService(database: database, actor: actor, timeZone: zone).save(for: cohort, try RoundDraft.parse(
                ["opens_at": "\(year)-01-05T09:00", "closes_at": "\(year)-02-05T18:00", "capacity": String(places)], zone: zone))
            try await fill(cohort, round: round, places: places, applying: applying, tag: "c\(index + 1)", actor: actor)
        }
        return programme
    }

    private var sql: any SQLDatabase { database as! any SQLDatabase }

    /// Inserts rows in batches the database's bind limit allows.
    private func insert(_ table: String, _ columns: [String], _ rows: [[any Encodable & Sendable]]) async throws {
        let batch = max(1, 30_000 / columns.count / 2)
        for start in stride(from: 0, to: rows.count, by: batch) {
            var query = sql.insert(into: table).columns(columns)
            for row in rows[start..<min(start + batch, rows.count)] { query = query.values(row.map { SQLBind($0) }) }
            try await query.run()
        }
    }

    private func fill(_ cohort: Cohort, round: RecruitmentRound, places: Int, applying: Int, tag: String, actor: Actor) async throws {
        let cohortID = try cohort.requireID(), roundID = try round.requireID()
        let regions = Region.allCases, majors = MajorField.allCases, educations = Education.allCases, statuses = EmploymentStatus.allCases
        let start = CalendarDate(iso: cohort.startsOn)!

        // Trainees first: their applications are the enrolled ones.
        let users = (0..<places).map { User(id: UUID(), email: "\(tag).t\($0)@report-bench.invalid", name: "교육생 \($0)") }
        for chunk in stride(from: 0, to: users.count, by: 500) { try await Array(users[chunk..<min(chunk + 500, users.count)]).create(on: database) }
        var applications: [[any Encodable & Sendable]] = []
        for n in 0..<applying {
            let stage: ApplicationStage = n < places ? .enrolled : n % 3 == 0 ? .documentsFailed : n % 3 == 1 ? .rejected : .waitlisted
            let region = n % 2 == 0 ? Region.gwangju : regions[n % regions.count]
            applications.append([UUID(), roundID, cohortID, n + 1, n < places ? users[n].id : nil, "지원자 \(n)", "\(tag).a\(n)@report-bench.invalid",
                                 "19\(80 + n % 20)-0\(1 + n % 9)-1\(n % 9)", region.rawValue, (n % 3 == 0 ? Gender.female : .male).rawValue,
                                 educations[n % educations.count].rawValue, majors[n % majors.count].rawValue, statuses[n % statuses.count].rawValue,
                                 stage.rawValue, round.opensAt.addingTimeInterval(Double(n % 2_000) * 1_000), "{}"])
        }
        try await insert(Applicant.schema, ["id", "round_id", "cohort_id", "number", "user_id", "name", "email", "birth_date", "region", "gender", "education",
                                            "major_field", "employment_status", "stage", "submitted_at", "answers_json"], applications)

        // Classes of a hundred, one course, a timetable of `days` weekdays, everyone's attendance.
        let course = try await TimetableService(database: database, actor: actor).addCourse(to: cohort, CourseDraft(name: "AI 과정", plannedHours: days * 8, phase: nil))
        var members: [[any Encodable & Sendable]] = [], sessions: [[any Encodable & Sendable]] = [], attendance: [[any Encodable & Sendable]] = []
        for first in stride(from: 0, to: places, by: Self.classSize) {
            let trainingClass = TrainingClass()
            trainingClass.$cohort.id = cohortID
            trainingClass.name = "\(first / Self.classSize + 1)반"
            try await trainingClass.create(on: database)
            let classID = try trainingClass.requireID()
            let group = Array(users[first..<min(first + Self.classSize, places)])
            for user in group { members.append([UUID(), classID, cohortID, user.id!]) }
            for day in 0..<days {
                let date = start.adding(days: day / 5 * 7 + day % 5)
                let begins = date.moment(atMinute: 9 * 60, in: TrainingDemo.zone)
                let sessionID = UUID()
                sessions.append([sessionID, cohortID, classID, try course.requireID(), date.iso, begins, begins.addingTimeInterval(9 * 3600), 480])
                for (n, user) in group.enumerated() {
                    let status: AttendanceStatus = (n + day) % 17 == 0 ? .absent : (n + day) % 11 == 0 ? .late : .present
                    attendance.append([UUID(), sessionID, user.id!, status.rawValue, status == .absent ? 0 : status == .late ? 450 : 480,
                                       AttendanceRecord.Source.staff.rawValue, begins.addingTimeInterval(9 * 3600)])
                }
            }
        }
        try await insert(ClassMember.schema, ["id", "class_id", "cohort_id", "user_id"], members)
        try await insert(TrainingSession.schema, ["id", "cohort_id", "class_id", "course_id", "day", "starts_at", "ends_at", "minutes"], sessions)
        try await insert(AttendanceRecord.schema, ["id", "session_id", "trainee_id", "status", "attended_minutes", "source", "updated_at"], attendance)

        // A completion run: nine in ten complete; of those, outcomes as Gwangju's first cohort's.
        let run = CompletionRun()
        run.$cohort.id = cohortID
        run.number = 1
        run.rulesVersion = 0
        run.attendanceRulesVersion = 0
        run.ranBy = "bench"
        run.ranAt = Date()
        try await run.create(on: database)
        var results: [[any Encodable & Sendable]] = [], outcomes: [[any Encodable & Sendable]] = []
        let mix: [OutcomeStatus] = Array(repeating: .employed, count: 104) + Array(repeating: .startUp, count: 8) + Array(repeating: .graduateSchool, count: 18)
            + Array(repeating: .stillLooking, count: 15) + Array(repeating: .notSeeking, count: 4) + Array(repeating: .notReporting, count: 6)
        for (n, user) in users.enumerated() {
            let completed = n % 10 != 9
            let outcome: CompletionOutcome = completed ? .completed : .notCompleted
            results.append([UUID(), try run.requireID(), user.id!, "\(n / Self.classSize + 1)반", outcome.rawValue, outcome.rawValue, days * 480, days * 470, "[]"])
            guard completed else { continue }
            let status = mix[n % mix.count]
            let draft = OutcomeDraft(status: status, organisation: status.isPlaced ? "회사 \(n % 50)" : nil, startedOn: status.isPlaced ? start.adding(months: 11) : nil,
                                     inField: n % 7 != 0, employmentType: status == .employed ? .fullTime : nil)
            outcomes.append([UUID(), cohortID, user.id!, status.rawValue, draft.organisation, draft.startedOn?.iso, draft.inField, draft.employmentType?.rawValue,
                             n % 4 == 0, draft.cirr.rawValue, "bench"])
        }
        try await insert(CompletionResult.schema, ["id", "run_id", "trainee_id", "class_name", "computed", "outcome", "planned_minutes", "attended_minutes", "checks_json"], results)
        try await insert(GraduateOutcome.schema, ["id", "cohort_id", "trainee_id", "status", "organisation", "started_on", "in_field", "employment_type", "verified",
                                                  "cirr", "updated_by"], outcomes)
        let ref = DirectoryLookup.CohortRef(programme: try await cohort.$programme.get(on: database), cohort: cohort, id: cohortID)
        let service = OutcomeService(database: database, actor: actor, now: Date())
        let last = CalendarDate(iso: cohort.endsOn)!
        for point in [SnapshotPoint.months3, .months6] { try await service.freeze(point, in: ref, on: point.due(after: last)) }
    }
}
