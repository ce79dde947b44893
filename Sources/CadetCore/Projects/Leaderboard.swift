import Foundation

/// Which rows of the test set score the public board. Fixed when the hackathon is created, from
/// its seed alone, so the same key always splits the same way and nobody can move a row later.
public enum LeaderboardSplit {
    public static func publicIDs(_ ids: [String], seed: UInt64, sharePercent: Int) -> Set<String> {
        let count = Int((Double(ids.count) * Double(sharePercent) / 100).rounded())
        return Set(ids.sorted { (hash($0, seed), $0) < (hash($1, seed), $1) }.prefix(count))
    }

    /// FNV-1a over the seed and the id: stable across runs and machines, unlike `Hasher`.
    static func hash(_ id: String, _ seed: UInt64) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for byte in id.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}

/// The public and private boards from every scored submission.
public enum Leaderboard {
    public struct Entry: Sendable {
        public let team: UUID
        public let submission: UUID
        public let at: Date
        public let publicScore: Double
        public let privateScore: Double
        /// Chosen by the team as one of its final submissions.
        public let chosen: Bool

        public init(team: UUID, submission: UUID, at: Date, publicScore: Double, privateScore: Double, chosen: Bool) {
            self.team = team
            self.submission = submission
            self.at = at
            self.publicScore = publicScore
            self.privateScore = privateScore
            self.chosen = chosen
        }
    }

    public struct Row: Equatable, Sendable {
        /// 1, 2, 2, 4: teams with the same score share a place.
        public let rank: Int
        public let team: UUID
        public let score: Double
        public let submission: UUID
        public let entries: Int
    }

    /// Each team's best public score; an earlier submission wins a tie.
    public static func publicBoard(_ entries: [Entry], metric: LeaderboardMetric) -> [Row] {
        board(entries, metric: metric) { _, mine in mine.min { better($0.publicScore, $0.at, than: $1.publicScore, $1.at, metric) }.map { ($0, $0.publicScore) } }
    }

    /// Each team's best private score among its final choices; a team that chose none is
    /// judged on its best `finals` public submissions, as Kaggle does.
    public static func privateBoard(_ entries: [Entry], metric: LeaderboardMetric, finals: Int) -> [Row] {
        board(entries, metric: metric) { _, mine in
            let chosen = mine.filter(\.chosen)
            let candidates = chosen.isEmpty
                ? Array(mine.sorted { better($0.publicScore, $0.at, than: $1.publicScore, $1.at, metric) }.prefix(finals))
                : Array(chosen.prefix(finals))
            return candidates.min { better($0.privateScore, $0.at, than: $1.privateScore, $1.at, metric) }.map { ($0, $0.privateScore) }
        }
    }

    /// Which of a team's submissions count as its finals on the private board.
    public static func finals(_ mine: [Entry], metric: LeaderboardMetric, finals: Int) -> Set<UUID> {
        let chosen = mine.filter(\.chosen)
        let picked = chosen.isEmpty ? Array(mine.sorted { better($0.publicScore, $0.at, than: $1.publicScore, $1.at, metric) }.prefix(finals)) : Array(chosen.prefix(finals))
        return Set(picked.map(\.submission))
    }

    static func better(_ a: Double, _ aAt: Date, than b: Double, _ bAt: Date, _ metric: LeaderboardMetric) -> Bool {
        // A score that could not be computed (NaN) ranks below every real one.
        if a.isNaN != b.isNaN { return !a.isNaN }
        if a != b, !a.isNaN { return metric.higherIsBetter ? a > b : a < b }
        return aAt < bAt
    }

    static func board(_ entries: [Entry], metric: LeaderboardMetric, pick: (UUID, [Entry]) -> (Entry, Double)?) -> [Row] {
        let byTeam = Dictionary(grouping: entries, by: \.team)
        let best = byTeam.compactMap { team, mine in pick(team, mine).map { (team, $0.0, $0.1, mine.count) } }
            .sorted { better($0.2, $0.1.at, than: $1.2, $1.1.at, metric) }
        var rows: [Row] = []
        for (index, item) in best.enumerated() {
            let rank = index > 0 && (rows[index - 1].score == item.2 || (rows[index - 1].score.isNaN && item.2.isNaN)) ? rows[index - 1].rank : index + 1
            rows.append(Row(rank: rank, team: item.0, score: item.2, submission: item.1.submission, entries: item.3))
        }
        return rows
    }
}
