import Fluent
import Vapor

/// The outbox: every message Cadet has sent or will send. Operators only, since reset links in
/// it would let a reader take over accounts.
enum OutboxController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("outbox", use: index)
    }

    struct Row: Encodable {
        let at: String
        let recipient: String
        let subject: String
        let body: String
        let status: String
    }

    struct Page: Encodable {
        let page: PageChrome
        let rows: [Row]?
        let smtpConfigured: Bool
    }

    @Sendable static func index(_ req: Request) async throws -> Response {
        try req.authorize(.viewOutbox, in: .academy)
        let t = req.localizer
        let messages = try await OutboxMessage.query(on: req.db).sort(\.$createdAt, .descending).limit(200).all()
        let configured = req.application.config.smtpURL != nil
        let rows = messages.map { m in
            let status = m.sentAt != nil ? t("outbox.sent", ["at": t.dateTime(m.sentAt)])
                : m.lastError.map { t("outbox.failed", ["error": $0]) }
                ?? (configured ? t("outbox.queued") : t("outbox.kept"))
            return Row(at: t.dateTime(m.createdAt), recipient: m.recipient, subject: m.subject, body: m.body, status: status)
        }
        return try await req.render("outbox/index", Page(page: PageChrome(req, title: t("outbox.title")), rows: rows.nilIfEmpty, smtpConfigured: configured))
    }
}
