import CadetCore
import Fluent
import Vapor

/// /api/v1: a cohort's sessions, their attendance (read and mark), and the hours ledger.
enum TrainingAPI {
    static func register(_ api: any RoutesBuilder) {
        let c = api.grouped("programmes", ":programme", "cohorts", ":cohort")
        c.get("sessions", use: sessions)
        c.get("sessions", ":session", "attendance", use: attendance)
        c.put("sessions", ":session", "attendance", ":trainee", use: mark)
        c.get("ledger", use: ledger)
    }

    struct SessionDTO: Encodable {
        let id: UUID
        let day: String
        let startsAt: Date
        let endsAt: Date
        let minutes: Int
        let course: String
        let className: String
        let room: String?
        let onlineLink: String?
    }

    @Sendable static func sessions(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .takeAttendance)
        let paging = try APIPaging(req)
        var query = TrainingSession.query(on: req.db).filter(\.$cohort.$id == ref.id).with(\.$course).with(\.$trainingClass).sort(\.$day).sort(\.$id)
        for (name, op) in [("from", DatabaseQuery.Filter.Method.greaterThanOrEqual), ("to", .lessThanOrEqual)] {
            guard let raw = try? req.query.get(String.self, at: name) else { continue }
            guard let date = CalendarDate(iso: raw) else { throw APIError.badParameter(name) }
            query = query.filter(\.$day, op, date.iso)
        }
        if let after = paging.after {
            let parts = after.split(separator: "|").map(String.init)
            guard parts.count == 2, CalendarDate(iso: parts[0]) != nil, let id = UUID(uuidString: parts[1]) else { throw APIError.badCursor }
            query = query.group(.or) { $0.filter(\.$day > parts[0]).group(.and) { $0.filter(\.$day == parts[0]).filter(\.$id > id) } }
        }
        let rows = try await query.limit(paging.limit + 1).all()
        return try APIJSON.response(paging.page(rows, key: { "\($0.day)|\($0.id!.uuidString)" }) { s in
            SessionDTO(id: s.id!, day: s.day, startsAt: s.startsAt, endsAt: s.endsAt, minutes: s.minutes, course: s.course.name,
                       className: s.trainingClass.name, room: s.room, onlineLink: s.onlineLink)
        })
    }

    struct MarkDTO: Encodable {
        let traineeId: UUID
        let name: String
        let email: String
        let status: String
        let attendedMinutes: Int
        let checkInAt: Date?
        let checkOutAt: Date?
    }

    @Sendable static func attendance(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .takeAttendance)
        let session = try await TrainingLookup.session(req, in: ref)
        return try APIJSON.response(try await marks(of: session, on: req.db))
    }

    static func marks(of session: TrainingSession, on db: any Database) async throws -> APIPage<MarkDTO> {
        let members = try await ClassMember.query(on: db).filter(\.$trainingClass.$id == session.$trainingClass.id).with(\.$user).all().map(\.user)
        let records = Dictionary(try await AttendanceRecord.query(on: db).filter(\.$session.$id == session.requireID()).all().map { ($0.$trainee.id, $0) },
                                 uniquingKeysWith: { a, _ in a })
        return APIPage(data: members.sorted { $0.email < $1.email }.map { u in
            let r = records[u.id!]
            return MarkDTO(traineeId: u.id!, name: u.name, email: u.email, status: (r?.status ?? .notTaken).rawValue, attendedMinutes: r?.attendedMinutes ?? 0,
                           checkInAt: r?.checkInAt, checkOutAt: r?.checkOutAt)
        }, nextCursor: nil)
    }

    struct MarkRequest: Decodable {
        let status: String
        let minutes: Int?
        let reason: String?
    }

    /// Marks one trainee, with the roster's rules: a reason to change a status already taken.
    @Sendable static func mark(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .takeAttendance)
        let session = try await TrainingLookup.session(req, in: ref)
        guard let trainee = req.parameters.get("trainee", as: UUID.self),
              try await ClassMember.query(on: req.db).filter(\.$trainingClass.$id == session.$trainingClass.id).filter(\.$user.$id == trainee).first() != nil else {
            throw TrainingError.notInClass
        }
        let body = try req.apiBody(MarkRequest.self)
        guard let status = AttendanceStatus(rawValue: body.status) else { throw ValidationFailure([FieldIssue("status", .unknownChoice)]) }
        if let minutes = body.minutes, !(0...session.minutes).contains(minutes) {
            throw ValidationFailure([FieldIssue("minutes", .outOfRange(minimum: 0, maximum: session.minutes))])
        }
        if let reason = body.reason, reason.count > 200 || TextSafety.hasControlCharacters(reason) { throw ValidationFailure([FieldIssue("reason", .tooLong(maximum: 200))]) }
        let rules = try await AttendanceRulesStore.current(of: ref.programme.id!, on: req.db).rules
        try await AttendanceService(database: req.db, actor: req.actor, now: req.now)
            .mark(session, [trainee: .init(status: status, minutes: body.minutes)], reason: body.reason, rules: rules, cohort: ref.cohort)
        let marks = try await marks(of: session, on: req.db)
        return try APIJSON.response(marks.data.first { $0.traineeId == trainee })
    }

    struct LedgerDTO: Encodable {
        let traineeId: UUID
        let name: String
        let email: String
        let className: String
        let plannedHours: Double
        let deliveredHours: Double
        let attendedHours: Double
        let attendanceRate: Double?
        let absentDays: Int
        let lapses: Int
        let missableHours: Double
        let completed: Bool
        let warnings: [String]
    }

    @Sendable static func ledger(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .viewLedger)
        let paging = try APIPaging(req)
        let (entries, _) = try await LedgerController.ledgers(req, ref)
        var sorted = entries.sorted { $0.trainee.email < $1.trainee.email }
        if let after = paging.after { sorted = sorted.filter { $0.trainee.email > after } }
        return try APIJSON.response(paging.page(Array(sorted.prefix(paging.limit + 1)), key: \.trainee.email) { e in
            let l = e.ledger
            return LedgerDTO(traineeId: e.trainee.id, name: e.trainee.name, email: e.trainee.email, className: e.trainee.className,
                             plannedHours: Double(l.total.planned) / 60, deliveredHours: Double(l.total.delivered) / 60, attendedHours: Double(l.total.attended) / 60,
                             attendanceRate: l.total.rate, absentDays: l.absences, lapses: l.lapses, missableHours: Double(l.missableMinutes) / 60,
                             completed: l.completed, warnings: l.warnings.sorted().map(\.key))
        })
    }
}
