import CadetCore
import Fluent
import Vapor

/// A session's roster, pre-filled from the class, where instructors and TAs take and correct
/// attendance; and the room display with the rotating check-in code.
enum AttendanceController {
    static func register(_ routes: any RoutesBuilder) {
        let s = routes.grouped("programmes", ":programme", "cohorts", ":cohort", "sessions", ":session")
        s.get(use: roster)
        s.post(use: save)
        s.get("display", use: display)
    }

    struct Line: Encodable {
        let id: String
        let name: String
        let email: String
        let status: String
        let minutes: String
        let checkedIn: String
        let checkedOut: String
        let note: String
        let missingCheckOut: Bool
    }

    struct Choice: Encodable { let value: String; let label: String }

    struct Page: Encodable {
        let page: PageChrome
        let base: String
        let path: String
        let cohortName: String
        let session: SessionFacts
        let lines: [Line]?
        let statuses: [Choice]
        let open: Bool
        let form: FormState
    }

    struct SessionFacts: Encodable {
        let day: String
        let time: String
        let course: String
        let className: String
        let room: String
        let minutes: String
    }

    static func facts(_ session: TrainingSession, _ t: Localizer) -> SessionFacts {
        SessionFacts(day: session.day, time: "\(t.time(session.startsAt))–\(t.time(session.endsAt))", course: session.course.name,
                     className: session.trainingClass.name, room: session.room ?? session.onlineLink ?? "—", minutes: Hours.text(session.minutes))
    }

    @Sendable static func roster(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .takeAttendance)
        return try await render(req, ref, try await TrainingLookup.session(req, in: ref))
    }

    static func render(_ req: Request, _ ref: DirectoryLookup.CohortRef, _ session: TrainingSession, form: FormState = .empty,
                       status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.localizer
        let members = try await ClassMember.query(on: req.db).filter(\.$trainingClass.$id == session.$trainingClass.id).with(\.$user).all()
            .map(\.user).sorted { $0.name < $1.name }
        let records = Dictionary(try await AttendanceRecord.query(on: req.db).filter(\.$session.$id == session.id!).all().map { ($0.$trainee.id, $0) },
                                 uniquingKeysWith: { a, _ in a })
        let over = session.endsAt <= req.now
        let lines = members.map { user in
            let record = records[user.id!]
            let key = user.id!.uuidString.lowercased()
            return Line(id: key, name: user.name, email: user.email, status: form.values["status_\(key)"] ?? record?.status.rawValue ?? AttendanceStatus.notTaken.rawValue,
                        // A check-in still waiting for its check-out has no minutes yet.
                        minutes: form.values["minutes_\(key)"] ?? record.map { $0.status.isTaken && !($0.source == .checkIn && $0.checkOutAt == nil) ? String($0.attendedMinutes) : "" } ?? "",
                        checkedIn: record?.checkInAt.map(t.time) ?? "", checkedOut: record?.checkOutAt.map(t.time) ?? "", note: record?.note ?? "",
                        missingCheckOut: over && record?.source == .checkIn && record?.checkOutAt == nil)
        }
        let base = TrainingLookup.base(ref)
        return try await req.render("training/session", Page(
            page: PageChrome(req, title: "\(session.trainingClass.name) · \(session.day)"), base: base,
            path: "\(base)/sessions/\(session.id!.uuidString.lowercased())", cohortName: ref.cohort.name, session: facts(session, t),
            lines: lines.nilIfEmpty, statuses: AttendanceStatus.allCases.map { Choice(value: $0.rawValue, label: t("attendance.\($0.rawValue)")) },
            open: req.now >= session.startsAt.addingTimeInterval(-CheckIn.opensBefore), form: form), status: status)
    }

    @Sendable static func save(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .takeAttendance)
        let session = try await TrainingLookup.session(req, in: ref)
        let values = try req.formValues()
        let trainees = try await ClassMember.query(on: req.db).filter(\.$trainingClass.$id == session.$trainingClass.id).all().map(\.$user.id)
        let rules = try await AttendanceRulesStore.current(of: ref.programme.id!, on: req.db).rules
        do {
            let form = try AttendanceService.marks(values, trainees: trainees, maximum: session.minutes)
            try await AttendanceService(database: req.db, actor: req.actor, now: req.now).mark(session, form.marks, reason: form.reason, rules: rules, cohort: ref.cohort)
            return req.redirect(to: "\(TrainingLookup.base(ref))/sessions/\(session.id!.uuidString.lowercased())", notice: "notice.attendance_saved")
        } catch let failure as ValidationFailure {
            return try await render(req, ref, session, form: FormState(values: values, failure: failure, req.localizer), status: .unprocessableEntity)
        } catch let error as TrainingError where error == .reasonRequired {
            let t = req.localizer
            var form = FormState(values: values, failure: nil, t)
            form.errors["reason"] = t(error.messageKey)
            form.formError = t(error.messageKey)
            return try await render(req, ref, session, form: form, status: error.status)
        }
    }

    struct DisplayPage: Encodable {
        let page: PageChrome
        let session: SessionFacts
        let qr: String
        let code: String
        let link: String
        let checkedIn: String
        let checkedOut: String
        let members: String
        let open: Bool
    }

    /// The screen in the room: a QR code and a six-digit code that change every rotation
    /// (the page reloads itself; no script), with how many have checked in and out.
    @Sendable static func display(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .takeAttendance)
        let session = try await TrainingLookup.session(req, in: ref)
        let rules = try await AttendanceRulesStore.current(of: ref.programme.id!, on: req.db).rules
        let codes = CheckInCodes(secret: try await req.application.secrets.key(on: req.db), rotation: rules.checkInRotationSeconds)
        let now = req.now
        let current = codes.current(session: session.id!, at: now)
        let link = req.application.config.publicURL.appendingPathComponent("checkin/\(session.id!.uuidString.lowercased())").absoluteString + "?t=\(current.token)"
        let records = try await AttendanceRecord.query(on: req.db).filter(\.$session.$id == session.id!).all()
        let members = try await ClassMember.query(on: req.db).filter(\.$trainingClass.$id == session.$trainingClass.id).count()
        var chrome = PageChrome(req, title: req.localizer("checkin.display_title"))
        // Reload at the next rotation, a second late so the new code is there.
        let next = Double(current.window + 1) * Double(rules.checkInRotationSeconds) - now.timeIntervalSince1970
        chrome.refresh = max(1, Int(next.rounded(.up)) + 1)
        return try await req.render("training/display", DisplayPage(
            page: chrome, session: facts(session, req.localizer), qr: QRCode(link)?.svg(label: req.localizer("checkin.qr_label")) ?? "",
            code: current.code, link: link, checkedIn: String(records.filter { $0.checkInAt != nil }.count),
            checkedOut: String(records.filter { $0.checkOutAt != nil }.count), members: String(members),
            open: now >= session.startsAt.addingTimeInterval(-CheckIn.opensBefore) && now < session.endsAt))
    }
}
