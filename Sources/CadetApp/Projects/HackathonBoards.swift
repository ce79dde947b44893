import CadetCore
import Fluent
import Vapor

/// Finds what a hackathon URL names, and builds its boards for the pages.
enum HackathonLookup {
    /// A hackathon of the cohort in the URL, for those who hold `permission` there.
    static func staff(_ req: Request, _ permission: Permission) async throws -> (DirectoryLookup.CohortRef, Hackathon) {
        let ref = try await TrainingLookup.cohort(req, permission)
        guard let id = req.parameters.get("hackathon", as: UUID.self),
              let hackathon = try await Hackathon.query(on: req.db).filter(\.$id == id).filter(\.$cohort.$id == ref.id).first() else {
            throw ProjectsError.hackathonNotFound
        }
        return (ref, hackathon)
    }

    /// A hackathon and the signed-in trainee's team in it; to anyone not on a team, it is "not found".
    static func member(_ req: Request) async throws -> (Hackathon, HackathonTeam) {
        let user = try req.requireUser()
        guard let id = req.parameters.get("hackathon", as: UUID.self),
              let membership = try await HackathonMember.query(on: req.db).filter(\.$hackathon.$id == id).filter(\.$user.$id == user.id)
                .with(\.$hackathon).with(\.$team).first() else {
            throw ProjectsError.hackathonNotFound
        }
        return (membership.hackathon, membership.team)
    }

    static func base(_ ref: DirectoryLookup.CohortRef) -> String { TrainingLookup.base(ref) + "/hackathons" }
}

enum HackathonBoards {
    struct Row: Encodable {
        let rank: Int
        let team: String
        let score: String
        let entries: Int
        let mine: Bool
    }

    /// Both boards from every scored submission; `mine` marks the viewer's team.
    static func load(_ hackathon: Hackathon, mine: UUID? = nil, on db: any Database) async throws -> (public: [Row], private: [Row]) {
        let submissions = try await HackathonSubmission.summaries(on: db).filter(\.$hackathon.$id == hackathon.requireID()).filter(\.$status == .scored).all()
        let teams = Dictionary(try await HackathonTeam.query(on: db).filter(\.$hackathon.$id == hackathon.requireID()).all().map { ($0.id!, $0.name) }) { a, _ in a }
        let entries = submissions.map(\.entry)
        func rows(_ board: [Leaderboard.Row]) -> [Row] {
            board.map { Row(rank: $0.rank, team: teams[$0.team] ?? "", score: score($0.score), entries: $0.entries, mine: $0.team == mine) }
        }
        return (rows(Leaderboard.publicBoard(entries, metric: hackathon.metric)),
                rows(Leaderboard.privateBoard(entries, metric: hackathon.metric, finals: hackathon.finals)))
    }

    static func score(_ value: Double?) -> String {
        guard let value, !value.isNaN else { return "—" }
        return String(format: "%.5f", value)
    }
}
