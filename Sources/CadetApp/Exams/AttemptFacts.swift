import CadetCore
import Foundation
import SQLKit
import Synchronization

/// The questions on a started attempt's paper, which a save checks its answers against: the
/// paper is fixed once the attempt has started, so they are read once (or handed over by the
/// start, which has just read the paper) and kept until a save is refused. Refusals are decided
/// by the database, never by this; the deadline comes back with each save's own statement, so
/// staff's extra time shows on the page at its next save.
enum AttemptFacts {
    struct Facts: Sendable {
        let userID: UUID
        let questions: Set<String>
    }

    private static let cache = Mutex<[UUID: Facts]>([:])

    static func of(_ attemptID: UUID, userID: UUID, on sql: any SQLDatabase) async throws -> Facts? {
        if let hit = cache.withLock({ $0[attemptID] }), hit.userID == userID { return hit }
        guard let row = try await sql.select().column("paper_json").from(ExamAttempt.schema)
            .where("id", .equal, attemptID).where("user_id", .equal, userID).where("status", .equal, ExamAttempt.Status.started.rawValue)
            .first() else { return nil }
        let paper = try JSONDecoder().decode(Paper.self, from: Data(try row.decode(column: "paper_json", as: String.self).utf8))
        return remember(attemptID, userID: userID, paper: paper)
    }

    @discardableResult
    static func remember(_ attemptID: UUID, userID: UUID, paper: Paper) -> Facts {
        let facts = Facts(userID: userID, questions: Set(paper.items.map(\.question)))
        cache.withLock {
            if $0.count > 50_000 { $0.removeAll() }
            $0[attemptID] = facts
        }
        return facts
    }

    static func forget(_ attemptID: UUID) {
        _ = cache.withLock { $0.removeValue(forKey: attemptID) }
    }
}
