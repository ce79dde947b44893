import CadetCore
import Fluent
import Vapor

/// Staff build a cohort's curriculum and timetable, close days, and set the programme's rules.
enum TrainingSetupController {
    static func register(_ routes: any RoutesBuilder) {
        let c = routes.grouped("programmes", ":programme", "cohorts", ":cohort", "training")
        c.get(use: show)
        c.post("courses", use: addCourse)
        c.post("courses", ":course", "delete", use: removeCourse)
        c.post("timetable", use: generate)
        c.post("closures", use: addClosure)
        c.post("rules", use: saveRules)
    }

    struct CourseRow: Encodable { let name: String; let phase: String; let planned: Int; let scheduled: String; let removeAction: String }
    struct Choice: Encodable { let value: String; let label: String }
    struct Checkbox: Encodable { let value: String; let label: String; let checked: Bool }
    struct ClosureRow: Encodable { let day: String; let reason: String }
    struct RuleField: Encodable { let name: String; let label: String; let value: String; let error: String? }

    static let ruleFieldNames = ["late_after_minutes", "early_leave_minutes", "day_absent_below_percent", "lapses_per_absence", "completion_percent",
                                 "warn_unit_absence_percent", "warn_total_absence_percent", "excused_days_per_period", "allowance_per_day",
                                 "allowance_monthly_cap", "allowance_percent", "check_in_rotation_seconds"]

    struct Page: Encodable {
        let page: PageChrome
        let base: String
        let cohortName: String
        let courses: [CourseRow]?
        let phases: [Choice]
        let classes: [Choice]
        let courseChoices: [Choice]
        let weekdays: [Checkbox]
        let closures: [ClosureRow]?
        let rulesVersion: String
        let rules: [String: String]
        let courseForm: FormState
        let timetableForm: FormState
        let closureForm: FormState
        let rulesForm: FormState
        let ruleFields: [RuleField]
        var generated: String?
        var skipped: [String]?
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await render(req, try await TrainingLookup.cohort(req, .manageTimetable))
    }

    static func render(_ req: Request, _ ref: DirectoryLookup.CohortRef, courseForm: FormState = .empty, timetableForm: FormState? = nil,
                       closureForm: FormState = .empty, rulesForm: FormState? = nil, generated: String? = nil, skipped: [String]? = nil,
                       status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let phases = try await CohortPhase.query(on: req.db).filter(\.$cohort.$id == ref.id).sort(\.$position).all()
        let courses = try await Course.query(on: req.db).filter(\.$cohort.$id == ref.id).sort(\.$position).all()
        let classes = try await TrainingClass.query(on: req.db).filter(\.$cohort.$id == ref.id).sort(\.$name).all()
        let sessions = try await TrainingSession.query(on: req.db).filter(\.$cohort.$id == ref.id).all()
        let base = TrainingLookup.base(ref)
        let rows = courses.map { course in
            let perClass = classes.map { c in sessions.filter { $0.$course.id == course.id && $0.$trainingClass.id == c.id }.reduce(0) { $0 + $1.minutes } }
            return CourseRow(name: course.name, phase: phases.first { $0.id == course.$phase.id }?.name ?? "—", planned: course.plannedHours,
                             scheduled: perClass.isEmpty ? "—" : perClass.map(Hours.text).joined(separator: " / "),
                             removeAction: "\(base)/training/courses/\(course.id!.uuidString.lowercased())/delete")
        }
        let (version, rules) = try await AttendanceRulesStore.current(of: ref.programme.id!, on: req.db)
        let closures = try await AcademyClosure.query(on: req.db).filter(\.$programme.$id == ref.programme.id!).sort(\.$day).all()
        let defaults = ["weekdays": "1\n2\n3\n4\n5", "starts": "09:00", "ends": "18:00", "break_minutes": "60", "from": ref.cohort.startsOn, "to": ref.cohort.endsOn]
        let timetable = timetableForm ?? FormState(values: defaults, errors: [:], formError: nil)
        let chosen = Set((timetable.values["weekdays"] ?? "").split(whereSeparator: \.isNewline).map(String.init))
        let rulesState = rulesForm ?? FormState(values: rules.values, errors: [:], formError: nil)
        let ruleFields = ruleFieldNames.map { RuleField(name: $0, label: t("rules.\($0)"), value: rulesState.values[$0] ?? "", error: rulesState.errors[$0]) }
        let page = Page(
            page: PageChrome(req, title: "\(ref.cohort.name) · \(t("training.setup.title"))"), base: base, cohortName: ref.cohort.name,
            courses: rows.nilIfEmpty, phases: phases.map { Choice(value: $0.id!.uuidString.lowercased(), label: $0.name) },
            classes: classes.map { Choice(value: $0.id!.uuidString.lowercased(), label: $0.name) },
            courseChoices: courses.map { Choice(value: $0.id!.uuidString.lowercased(), label: $0.name) },
            weekdays: (1...7).map { Checkbox(value: String($0), label: t("weekday.\($0)"), checked: chosen.contains(String($0))) },
            closures: closures.map { ClosureRow(day: $0.day, reason: $0.reason) }.nilIfEmpty, rulesVersion: String(version), rules: rules.values,
            courseForm: courseForm, timetableForm: timetable,
            closureForm: closureForm, rulesForm: rulesState, ruleFields: ruleFields,
            generated: generated, skipped: skipped)
        return try await req.render("training/setup", page, status: status)
    }

    static func service(_ req: Request) -> TimetableService {
        TimetableService(database: req.db, actor: req.actor)
    }

    @Sendable static func addCourse(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageTimetable)
        let values = try req.formValues()
        do {
            _ = try await service(req).addCourse(to: ref.cohort, try CourseDraft.parse(values))
            return req.redirect(to: "\(TrainingLookup.base(ref))/training", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await render(req, ref, courseForm: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    @Sendable static func removeCourse(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageTimetable)
        guard let id = req.parameters.get("course", as: UUID.self),
              let course = try await Course.query(on: req.db).filter(\.$id == id).filter(\.$cohort.$id == ref.id).first() else { throw TrainingError.courseNotFound }
        try await service(req).removeCourse(course, cohort: ref.cohort)
        return req.redirect(to: "\(TrainingLookup.base(ref))/training", notice: "notice.saved")
    }

    /// Sessions for one class, or every class of the cohort, from a weekly pattern.
    @Sendable static func generate(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageTimetable)
        let values = try req.formMultiValues()
        let t = req.localizer
        do {
            let draft = try TimetableDraft.parse(values)
            guard let courseID = values["course"].flatMap(UUID.init(uuidString:)),
                  let course = try await Course.query(on: req.db).filter(\.$id == courseID).filter(\.$cohort.$id == ref.id).first() else {
                throw ValidationFailure([FieldIssue("course", .unknownChoice)])
            }
            var classes = try await TrainingClass.query(on: req.db).filter(\.$cohort.$id == ref.id).all()
            if let only = values["class"].flatMap(UUID.init(uuidString:)) { classes = classes.filter { $0.id == only } }
            guard !classes.isEmpty else { throw ValidationFailure([FieldIssue("class", .unknownChoice)]) }
            var created = 0, skipped: [Timetable.Skipped] = [], shortfall = 0
            for trainingClass in classes {
                let plan = try await service(req).generate(draft, course: course, trainingClass: trainingClass, instructorID: nil, cohort: ref.cohort,
                                                           zone: req.application.config.timeZone)
                created += plan.days.count
                skipped = plan.skipped
                shortfall = max(shortfall, plan.shortfall)
            }
            var summary = t("training.generated", ["sessions": String(created), "classes": String(classes.count)])
            if shortfall > 0 { summary += " " + t("training.shortfall", ["hours": Hours.text(shortfall)]) }
            return try await render(req, ref, generated: summary, skipped: skipped.map { "\($0.date.iso) \($0.reason)" }.nilIfEmpty)
        } catch let failure as ValidationFailure {
            return try await render(req, ref, timetableForm: FormState(values: values, failure: failure, t), status: .unprocessableEntity)
        }
    }

    @Sendable static func addClosure(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageTimetable)
        let values = try req.formValues()
        do {
            var reader = FieldReader(values)
            let day = reader.date("day"), reason = reader.text("reason", maxLength: 120)
            try reader.check()
            try await service(req).addClosure(to: ref.programme, day: day!, reason: reason!)
            return req.redirect(to: "\(TrainingLookup.base(ref))/training", notice: "notice.saved")
        } catch let failure as ValidationFailure {
            return try await render(req, ref, closureForm: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }

    @Sendable static func saveRules(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageTimetable)
        try req.authorize(.manageProgramme, in: .programme(ProgrammeID(ref.programme.id!)))
        let values = try req.formValues()
        do {
            _ = try await AttendanceRulesStore.save(try AttendanceRules.parse(values), for: ref.programme, by: req.actor, on: req.db)
            return req.redirect(to: "\(TrainingLookup.base(ref))/training", notice: "notice.rules_saved")
        } catch let failure as ValidationFailure {
            return try await render(req, ref, rulesForm: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        }
    }
}
