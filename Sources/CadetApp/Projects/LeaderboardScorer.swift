import CadetCore
import Fluent
import Foundation
import Vapor

/// Scores queued submissions off the request path: a background job every second, a batch at
/// a time, the key parsed once per hackathon per batch.
struct LeaderboardScorer {
    let database: any Database
    var batch = 50

    /// Scores what is queued; returns how many were scored.
    @discardableResult
    func step(now: Date = Date()) async throws -> Int {
        let queued = try await HackathonSubmission.query(on: database).filter(\.$status == .queued).sort(\.$submittedAt).limit(batch).all()
        guard !queued.isEmpty else { return 0 }
        var parts: [UUID: (Hackathon, AnswerKey, Set<String>)] = [:]
        for submission in queued {
            let id = submission.$hackathon.id
            if parts[id] == nil, let hackathon = try await Hackathon.find(id, on: database) {
                parts[id] = (hackathon, try hackathon.key, try hackathon.publicIDs)
            }
            guard let (hackathon, key, publicIDs) = parts[id] else { continue }
            let predicted = try JSONDecoder().decode([String].self, from: Data(submission.predictions.utf8))
            let scores = Self.score(predicted, key: key, publicIDs: publicIDs, metric: hackathon.metric)
            submission.publicScore = scores.public
            submission.privateScore = scores.private
            submission.status = .scored
            submission.scoredAt = now
            try await submission.update(on: database)
        }
        return queued.count
    }

    /// The score on the public rows and on the private rows.
    static func score(_ predicted: [String], key: AnswerKey, publicIDs: Set<String>, metric: LeaderboardMetric) -> (public: Double, private: Double) {
        var parts: [Bool: (truth: [String], predicted: [String])] = [true: ([], []), false: ([], [])]
        for (index, id) in key.ids.enumerated() {
            let isPublic = publicIDs.contains(id)
            parts[isPublic]!.truth.append(key.labels[index])
            parts[isPublic]!.predicted.append(predicted[index])
        }
        func part(_ p: Bool) -> Double { parts[p]!.truth.isEmpty ? .nan : metric.score(truth: parts[p]!.truth, predicted: parts[p]!.predicted) }
        return (part(true), part(false))
    }

    static func job(_ app: Application) -> BackgroundJob {
        let db = app.db
        return .every(.seconds(1), name: "leaderboard scorer", logger: app.logger) {
            try await LeaderboardScorer(database: db).step()
        }
    }
}
