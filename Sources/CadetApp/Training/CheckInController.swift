import CadetCore
import Fluent
import Vapor

/// Trainees check themselves in and out on their phones: by opening the link in the QR code
/// shown in the room, or by typing its six-digit code. Either changes every rotation, so a
/// photo sent home stops working; the rules may also require the academy's own network.
enum CheckInController {
    static let passLifetime: TimeInterval = 120

    static func register(_ routes: any RoutesBuilder) {
        routes.get("checkin", use: index)
        routes.post("checkin", use: typed)
        routes.get("checkin", ":session", use: confirm)
        routes.post("checkin", ":session", use: scanned)
    }

    struct Today: Encodable {
        let course: String
        let time: String
        let status: String
        let open: Bool
    }

    struct Page: Encodable {
        let page: PageChrome
        let today: [Today]?
        let form: FormState
        /// The session a fresh link names, to confirm.
        var confirm: AttendanceController.SessionFacts?
        var pass: String?
        var action: String?
        var path: String?
    }

    /// Today's sessions of the signed-in trainee, and the form for the typed code.
    @Sendable static func index(_ req: Request) async throws -> Response {
        try await render(req, form: .empty)
    }

    static func render(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok, extra: (inout Page) -> Void = { _ in }) async throws -> Response {
        let user = try req.requireUser()
        let t = req.localizer
        let now = req.now
        let today = CalendarDate(now, in: req.application.config.timeZone).iso
        let classes = try await ClassMember.query(on: req.db).filter(\.$user.$id == user.id).all().map(\.$trainingClass.id)
        let sessions = try await TrainingSession.query(on: req.db).filter(\.$trainingClass.$id ~~ classes).filter(\.$day == today).with(\.$course).sort(\.$startsAt).all()
        let records = Dictionary(try await AttendanceRecord.query(on: req.db).filter(\.$trainee.$id == user.id).filter(\.$session.$id ~~ sessions.compactMap(\.id)).all()
            .map { ($0.$session.id, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = sessions.map { s in
            let record = records[s.id!]
            let state = record.map { r in r.checkOutAt != nil ? t("attendance.\(r.status.rawValue)") : r.checkInAt != nil ? t("checkin.checked_in_at", ["time": t.time(r.checkInAt!)]) : t("attendance.\(r.status.rawValue)") }
            return Today(course: s.course.name, time: "\(t.time(s.startsAt))–\(t.time(s.endsAt))", status: state ?? t("attendance.not_taken"),
                         open: now >= s.startsAt.addingTimeInterval(-CheckIn.opensBefore) && now < s.endsAt.addingTimeInterval(3600))
        }
        var page = Page(page: PageChrome(req, title: t("checkin.title")), today: rows.nilIfEmpty, form: form)
        extra(&page)
        return try await req.render("training/checkin", page, status: status)
    }

    /// The six-digit code typed from the screen: it names the session itself.
    @Sendable static func typed(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let values = try req.formValues()
        let code = (values["code"] ?? "").filter(\.isNumber)
        let now = req.now
        // The open sessions of the trainee's classes, in one statement: this is the hot path of
        // a morning's 3,000 check-ins.
        let candidates = try await TrainingSession.query(on: req.db)
            .join(ClassMember.self, on: \TrainingSession.$trainingClass.$id == \ClassMember.$trainingClass.$id)
            .filter(ClassMember.self, \.$user.$id == user.id)
            .filter(\.$startsAt <= now.addingTimeInterval(CheckIn.opensBefore)).filter(\.$endsAt >= now.addingTimeInterval(-3600)).all()
        do {
            guard !candidates.isEmpty else { throw TrainingError.noSessionNow }
            let secret = try await req.application.secrets.key(on: req.db)
            for session in candidates {
                let (programmeID, rules) = try await context(session, req)
                guard code.count == 6, CheckInCodes(secret: secret, rotation: rules.checkInRotationSeconds).accepts(code, session: session.id!, at: now) else { continue }
                try await perform(values["action"] == "out" ? .out : .in, session, user: user, programmeID: programmeID, rules: rules, req)
                return req.redirect(to: "/checkin", notice: values["action"] == "out" ? "notice.checked_out" : "notice.checked_in")
            }
            throw TrainingError.wrongCode
        } catch let error as TrainingError {
            let t = req.localizer
            return try await render(req, form: FormState(values: [:], errors: ["code": t(error.messageKey)], formError: t(error.messageKey)), status: error.status)
        }
    }

    /// The link in the QR code: if it is fresh and the trainee is in the class, a page to
    /// confirm, carrying a pass good for two minutes.
    @Sendable static func confirm(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let session = try await classSession(req, user: user)
        let (_, rules) = try await context(session, req)
        let secret = try await req.application.secrets.key(on: req.db)
        let token = (try? req.query.get(String.self, at: "t")) ?? ""
        let t = req.localizer
        guard token.utf8.count <= 64, CheckInCodes(secret: secret, rotation: rules.checkInRotationSeconds).accepts(token, session: session.id!, at: req.now) else {
            let error = TrainingError.wrongCode
            return try await render(req, form: FormState(values: [:], errors: [:], formError: t(error.messageKey)), status: error.status)
        }
        let record = try await AttendanceRecord.query(on: req.db).filter(\.$session.$id == session.id!).filter(\.$trainee.$id == user.id).first()
        let pass = SignedToken.make(.checkIn, subject: "\(session.id!.uuidString):\(user.id.uuidString)", expires: req.now.addingTimeInterval(passLifetime), secret: secret)
        return try await render(req, form: .empty) { page in
            page.confirm = AttendanceController.SessionFacts(day: session.day, time: "\(t.time(session.startsAt))–\(t.time(session.endsAt))",
                                                             course: session.course.name, className: session.trainingClass.name,
                                                             room: session.room ?? session.onlineLink ?? "—", minutes: Hours.text(session.minutes))
            page.pass = pass
            page.action = record?.checkInAt == nil ? "in" : "out"
            page.path = "/checkin/\(session.id!.uuidString.lowercased())"
        }
    }

    @Sendable static func scanned(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let session = try await classSession(req, user: user)
        let values = try req.formValues()
        let secret = try await req.application.secrets.key(on: req.db)
        guard SignedToken.open(values["pass"] ?? "", .checkIn, secret: secret, now: req.now) == "\(session.id!.uuidString):\(user.id.uuidString)" else {
            throw TrainingError.wrongCode
        }
        let (programmeID, rules) = try await context(session, req)
        let action: Action = values["action"] == "out" ? .out : .in
        try await perform(action, session, user: user, programmeID: programmeID, rules: rules, req)
        return req.redirect(to: "/checkin", notice: action == .out ? "notice.checked_out" : "notice.checked_in")
    }

    enum Action { case `in`, out }

    static func perform(_ action: Action, _ session: TrainingSession, user: CurrentUser, programmeID: UUID, rules: AttendanceRules, _ req: Request) async throws {
        if !rules.checkInNetworks.isEmpty, !rules.checkInNetworks.contains(where: { AddressRange($0)?.contains(req.clientAddress) == true }) {
            throw TrainingError.outsideNetwork
        }
        let service = AttendanceService(database: req.db, actor: req.actor, now: req.now)
        switch action {
        case .in: _ = try await service.checkIn(session, trainee: user.id, rules: rules, programmeID: programmeID)
        case .out: _ = try await service.checkOut(session, trainee: user.id, rules: rules, programmeID: programmeID)
        }
    }

    /// The session a link names, if the signed-in trainee is in its class; anyone else's is
    /// "not found".
    static func classSession(_ req: Request, user: CurrentUser) async throws -> TrainingSession {
        guard let id = req.parameters.get("session", as: UUID.self),
              let session = try await TrainingSession.query(on: req.db).filter(\.$id == id).with(\.$course).with(\.$trainingClass).first(),
              try await ClassMember.query(on: req.db).filter(\.$trainingClass.$id == session.$trainingClass.id).filter(\.$user.$id == user.id).first() != nil else {
            throw TrainingError.notInClass
        }
        return session
    }

    /// The session's programme and the attendance rules in force there.
    static func context(_ session: TrainingSession, _ req: Request) async throws -> (programmeID: UUID, rules: AttendanceRules) {
        guard let found = try await AttendanceRulesStore.current(ofCohort: session.$cohort.id, on: req.db) else { throw TrainingError.sessionNotFound }
        return (found.programmeID, found.rules)
    }
}
