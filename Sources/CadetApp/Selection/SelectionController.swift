import CadetCore
import Fluent
import Vapor

/// The ranking with the round's published rules, previewed before anything changes, then
/// decided with a confirmation.
enum SelectionController {
    static func register(_ routes: any RoutesBuilder) {
        let s = routes.grouped("programmes", ":programme", "cohorts", ":cohort", "selection")
        s.get(use: show)
        s.post(use: decide)
    }

    struct Row: Encodable {
        let rank: Int
        let number: Int
        let name: String
        let href: String
        let score: String
        let decision: String
        let admitted: Bool
        let tieBreak: String?
        let missing: String?
    }

    struct Page: Encodable {
        let page: PageChrome
        let base: String
        let capacity: Int
        let candidates: Int
        let rows: [Row]?
        let weights: String
        let tieBreaks: String
        let normalisation: String
        let incomplete: Int
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let ref = try await PipelineController.staffRound(req)
        let t = req.localizer
        let (ranked, applicants, rules) = try await SelectionService(database: req.db, actor: req.actor, localizer: t).preview(round: ref.round)
        let rows = ranked.prefix(2_000).map { r in
            let a = applicants[r.id]!
            return Row(rank: r.rank, number: a.number ?? 0, name: a.name, href: "\(ref.base)/applicants/\(a.id!.uuidString.lowercased())",
                       score: String(format: "%.2f", r.finalScore),
                       decision: r.decision == .admitted ? t("stage.admitted") : t("decision.waitlisted_at", ["position": String(r.waitlistPosition ?? 0)]),
                       admitted: r.decision == .admitted, tieBreak: r.tieBreak.map { t("tie_break.\($0.rawValue)") },
                       missing: r.missing.isEmpty ? nil : r.missing.joined(separator: ", "))
        }
        let total = rules.criteria.reduce(0) { $0 + $1.weight }
        let weights = rules.criteria.map { "\(t("criterion.\($0.source.rawValue)")) \(total > 0 ? String(format: "%.0f%%", $0.weight / total * 100) : "—")" }
        return try await req.render("selection/index", Page(
            page: PageChrome(req, title: "\(ref.cohort.name) · \(t("selection.title"))"), base: ref.base, capacity: ref.round.capacity,
            candidates: ranked.count, rows: Array(rows).nilIfEmpty, weights: weights.joined(separator: " · "),
            tieBreaks: rules.tieBreaks.map { t("tie_break.\($0.rawValue)") }.joined(separator: " → "),
            normalisation: t("normalisation.\(rules.normalisation.rawValue)"), incomplete: ranked.filter { !$0.missing.isEmpty }.count))
    }

    @Sendable static func decide(_ req: Request) async throws -> Response {
        let ref = try await PipelineController.staffRound(req)
        let values = try req.formValues()
        guard values["confirm"] == "yes" else { return req.redirect(to: "\(ref.base)/selection") }
        _ = try await SelectionService(database: req.db, actor: req.actor, localizer: req.localizer).decide(round: ref.round, cohort: ref.cohort)
        return req.redirect(to: "\(ref.base)/applicants?sort=score", notice: "notice.decided")
    }
}
