import CadetCore
import Fluent
import Vapor

/// The audit log, filterable; programme staff see the events of their own programmes.
enum AuditController {
    static let pageSize = 50

    static func register(_ routes: any RoutesBuilder) {
        routes.get("audit", use: index)
    }

    struct Filter: Encodable {
        var action: String = ""
        var entity: String = ""
        var actor: String = ""
        var programme: String = ""
        var from: String = ""
        var to: String = ""
    }

    struct Row: Encodable {
        let at: String
        let actor: String
        let action: String
        let entity: String
        let summary: String
        let before: String?
        let after: String?
    }

    struct Page: Encodable {
        let page: PageChrome
        let filter: Filter
        let rows: [Row]?
        let programmes: [ScopeChoice]
        let next: String?
        let previous: String?
    }

    @Sendable static func index(_ req: Request) async throws -> Response {
        let user = try PeopleController.requireDirectoryAccess(req)
        let t = req.localizer
        var filter = Filter()
        filter.action = req.queryText("action", limit: 60)
        filter.entity = req.queryText("entity", limit: 60)
        filter.actor = req.queryText("actor")
        filter.programme = req.queryText("programme", limit: 40)
        filter.from = req.queryText("from", limit: 10)
        filter.to = req.queryText("to", limit: 10)
        let number = PageNumber(try? req.query.get(String.self, at: "page")).value

        var query = AuditEvent.query(on: req.db).sort(\.$occurredAt, .descending)
        if let staffed = user.policy.staffedProgrammes {
            query = query.filter(\.$programmeID ~~ staffed.map(\.uuid))
        }
        if let programme = UUID(uuidString: filter.programme) { query = query.filter(\.$programmeID == programme) }
        if !filter.action.isEmpty { query = query.filter(\.$action ~~ filter.action) }
        if !filter.entity.isEmpty { query = query.filter(\.$entityType == filter.entity) }
        if !filter.actor.isEmpty { query = query.filter(\.$actorLabel ~~ filter.actor.lowercased()) }
        if let from = day(filter.from, t.timeZone) { query = query.filter(\.$occurredAt >= from) }
        if let to = day(filter.to, t.timeZone) { query = query.filter(\.$occurredAt < to.addingTimeInterval(86_400)) }
        let events = try await query.offset(PageNumber(value: number).offset(size: pageSize)).limit(pageSize + 1).all()

        let rows = events.prefix(pageSize).map {
            Row(at: t.dateTime($0.occurredAt), actor: $0.actorLabel, action: $0.action, entity: $0.entityType, summary: $0.summary,
                before: $0.beforeJSON, after: $0.afterJSON)
        }
        let programmes = try await ScopeChoice.choices(for: user.policy, t, on: req.db).filter { $0.value.hasPrefix("programme:") }
            .map { ScopeChoice(value: String($0.value.dropFirst("programme:".count)), label: $0.label) }
        let link = { (n: Int) -> String in
            var items = URLComponents()
            items.queryItems = [("action", filter.action), ("entity", filter.entity), ("actor", filter.actor), ("programme", filter.programme),
                                ("from", filter.from), ("to", filter.to), ("page", String(n))].map { URLQueryItem(name: $0.0, value: $0.1) }
            return "/audit?" + (items.percentEncodedQuery ?? "")
        }
        return try await req.render("audit/index", Page(page: PageChrome(req, title: t("audit.title")), filter: filter, rows: Array(rows).nilIfEmpty,
                                                         programmes: programmes, next: events.count > pageSize ? link(number + 1) : nil,
                                                         previous: number > 1 ? link(number - 1) : nil))
    }

    /// The start of a calendar day in the academy's time zone.
    private static func day(_ text: String, _ zone: TimeZone) -> Date? {
        guard let date = CalendarDate(iso: text) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day))
    }
}
