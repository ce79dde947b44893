import CadetCore
import Fluent
import Vapor

/// Timetables as calendars: a person's own (as trainee, instructor or TA), a cohort's for its
/// staff, and an iCalendar feed a phone's calendar can subscribe to without signing in.
enum CalendarController {
    static let feedLifetime: TimeInterval = 5 * 365 * 86_400

    static func register(_ routes: any RoutesBuilder) {
        routes.get("calendar", use: mine)
        routes.get("calendar", "feed", ":token", use: feed)
        routes.get("programmes", ":programme", "cohorts", ":cohort", "calendar", use: cohort)
    }

    struct Entry: Encodable {
        let time: String
        let course: String
        let className: String
        let room: String
        let href: String?
        let status: String?
    }

    struct Day: Encodable { let day: String; let weekday: String; let entries: [Entry] }
    struct Choice: Encodable { let value: String; let label: String; let selected: Bool }

    struct Page: Encodable {
        let page: PageChrome
        let month: String
        let previous: String
        let next: String
        let days: [Day]?
        var feed: String?
        var classes: [Choice]?
        var base: String?
    }

    /// `?month=YYYY-MM`, defaulting to this month.
    static func month(_ req: Request) -> (first: CalendarDate, last: CalendarDate) {
        let today = CalendarDate(req.now, in: req.application.config.timeZone)
        var first = CalendarDate(year: today.year, month: today.month, day: 1)!
        if let raw = req.queryText("month", limit: 7).nonEmpty, let date = CalendarDate(iso: raw + "-01") { first = date }
        return (first, first.adding(months: 1).adding(days: -1))
    }

    /// Sessions the person teaches or attends.
    static func sessions(of userID: UUID, from: CalendarDate, to: CalendarDate, on db: any Database) async throws -> [TrainingSession] {
        let taught = try await TrainingClass.query(on: db).group(.or) { $0.filter(\.$instructor.$id == userID).filter(\.$assistant.$id == userID) }.all().compactMap(\.id)
        let attended = try await ClassMember.query(on: db).filter(\.$user.$id == userID).all().map(\.$trainingClass.id)
        return try await TrainingSession.query(on: db).group(.or) {
            $0.filter(\.$trainingClass.$id ~~ (taught + attended)).filter(\.$instructor.$id == userID)
        }.filter(\.$day >= from.iso).filter(\.$day <= to.iso).with(\.$course).with(\.$trainingClass).with(\.$cohort) { $0.with(\.$programme) }.sort(\.$startsAt).all()
    }

    static func days(_ sessions: [TrainingSession], _ t: Localizer, href: (TrainingSession) -> String?, status: (TrainingSession) -> String? = { _ in nil }) -> [Day] {
        Dictionary(grouping: sessions, by: \.day).sorted { $0.key < $1.key }.map { day, sessions in
            Day(day: day, weekday: t("weekday.\(CalendarDate(iso: day)!.weekday)"), entries: sessions.map { s in
                Entry(time: "\(t.time(s.startsAt))–\(t.time(s.endsAt))", course: s.course.name, className: s.trainingClass.name,
                      room: s.room ?? s.onlineLink ?? "", href: href(s), status: status(s))
            })
        }
    }

    @Sendable static func mine(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let t = req.localizer
        let (first, last) = month(req)
        let sessions = try await sessions(of: user.id, from: first, to: last, on: req.db)
        let records = Dictionary(try await AttendanceRecord.query(on: req.db).filter(\.$trainee.$id == user.id).filter(\.$session.$id ~~ sessions.compactMap(\.id)).all()
            .map { ($0.$session.id, $0.status) }, uniquingKeysWith: { a, _ in a })
        let secret = try await req.application.secrets.key(on: req.db)
        let token = SignedToken.make(.calendarFeed, subject: user.id.uuidString, expires: req.now.addingTimeInterval(feedLifetime), secret: secret)
        let page = Page(page: PageChrome(req, title: t("calendar.title")), month: String(first.iso.prefix(7)),
                        previous: "/calendar?month=\(first.adding(months: -1).iso.prefix(7))", next: "/calendar?month=\(first.adding(months: 1).iso.prefix(7))",
                        days: days(sessions, t, href: { s in
                            user.policy.allows(.takeAttendance, in: .cohort(CohortID(s.$cohort.id), in: ProgrammeID(s.cohort.$programme.id)))
                                ? "/programmes/\(s.cohort.programme.slug)/cohorts/\(s.cohort.slug)/sessions/\(s.id!.uuidString.lowercased())" : nil
                        }, status: { s in records[s.id!].map { t("attendance.\($0.rawValue)") } }).nilIfEmpty,
                        feed: req.application.config.publicURL.appendingPathComponent("calendar/feed/\(token).ics").absoluteString)
        return try await req.render("training/calendar", page)
    }

    @Sendable static func cohort(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .takeAttendance)
        let t = req.localizer
        let (first, last) = month(req)
        let classes = try await TrainingClass.query(on: req.db).filter(\.$cohort.$id == ref.id).sort(\.$name).all()
        let chosen = req.queryText("class", limit: 40).nonEmpty.flatMap(UUID.init(uuidString:))
        var query = TrainingSession.query(on: req.db).filter(\.$cohort.$id == ref.id).filter(\.$day >= first.iso).filter(\.$day <= last.iso)
        if let chosen { query = query.filter(\.$trainingClass.$id == chosen) }
        let sessions = try await query.with(\.$course).with(\.$trainingClass).sort(\.$startsAt).all()
        let base = TrainingLookup.base(ref)
        let classQuery = chosen.map { "&class=\($0.uuidString.lowercased())" } ?? ""
        var page = Page(page: PageChrome(req, title: "\(ref.cohort.name) · \(t("training.calendar"))"), month: String(first.iso.prefix(7)),
                        previous: "\(base)/calendar?month=\(first.adding(months: -1).iso.prefix(7))\(classQuery)",
                        next: "\(base)/calendar?month=\(first.adding(months: 1).iso.prefix(7))\(classQuery)",
                        days: days(sessions, t, href: { "\(base)/sessions/\($0.id!.uuidString.lowercased())" }).nilIfEmpty)
        page.classes = classes.map { Choice(value: $0.id!.uuidString.lowercased(), label: $0.name, selected: $0.id == chosen) }
        page.base = base
        return try await req.render("training/calendar", page)
    }

    /// The feed: its address carries a signed token, since calendar programs cannot sign in.
    @Sendable static func feed(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("token") ?? ""
        let token = raw.hasSuffix(".ics") ? String(raw.dropLast(4)) : raw
        let secret = try await req.application.secrets.key(on: req.db)
        guard let subject = SignedToken.open(token, .calendarFeed, secret: secret, now: req.now), let userID = UUID(uuidString: subject),
              let user = try await User.find(userID, on: req.db) else { throw PlatformError.notFound }
        let today = CalendarDate(req.now, in: req.application.config.timeZone)
        let sessions = try await sessions(of: userID, from: today.adding(months: -2), to: today.adding(months: 12), on: req.db)
        let events = sessions.map { s in
            ICalendar.Event(uid: "\(s.id!.uuidString.lowercased())@cadet", start: s.startsAt, end: s.endsAt, summary: "\(s.course.name) · \(s.trainingClass.name)",
                            location: s.room ?? s.onlineLink, description: s.cohort.programme.name + " · " + s.cohort.name)
        }
        let response = Response(status: .ok, body: .init(string: ICalendar.document(name: "Cadet · \(user.name)", events: events, now: req.now)))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=900")
        return response
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
