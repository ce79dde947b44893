import Foundation
import Testing
@testable import CadetCore

@Suite("Team matching: sizes kept, preferences honoured, the best answer for the whole cohort")
struct TeamMatchingTests {
    typealias P = TeamMatching.Project<String>
    typealias T = TeamMatching.Trainee<String, String>

    @Test func everyoneGetsTheirFirstChoiceWhenThereIsRoom() {
        let result = TeamMatching.match(projects: [P(id: "x", minSize: 1, maxSize: 3), P(id: "y", minSize: 1, maxSize: 3)],
                                        trainees: [T(id: "a", ranking: ["x", "y"]), T(id: "b", ranking: ["y"]), T(id: "c", ranking: ["x"])])
        #expect(result.assignments == ["a": "x", "b": "y", "c": "x"])
        #expect(result.unplaced.isEmpty && result.underfilled.isEmpty)
    }

    @Test func theCohortComesBeforeWhoeverIsListedFirst() {
        // First come, first served puts a on x and leaves b on a project b never ranked.
        let result = TeamMatching.match(projects: [P(id: "x", minSize: 0, maxSize: 1), P(id: "y", minSize: 0, maxSize: 1)],
                                        trainees: [T(id: "a", ranking: ["x", "y"]), T(id: "b", ranking: ["x"])])
        #expect(result.assignments == ["a": "y", "b": "x"])
    }

    @Test func teamsReachTheirMinimumBeforeAnyoneGetsAFirstChoice() {
        let result = TeamMatching.match(projects: [P(id: "x", minSize: 1, maxSize: 4), P(id: "z", minSize: 2, maxSize: 3)],
                                        trainees: (1...4).map { T(id: "t\($0)", ranking: ["x"]) })
        #expect(result.assignments.values.filter { $0 == "z" }.count == 2)
        #expect(result.assignments.values.filter { $0 == "x" }.count == 2)
        #expect(result.underfilled.isEmpty)
    }

    @Test func noTeamGoesAboveItsMaximumAndTheRestAreNamed() {
        let result = TeamMatching.match(projects: [P(id: "x", minSize: 1, maxSize: 2)], trainees: (1...3).map { T(id: "t\($0)", ranking: ["x"]) })
        #expect(result.assignments.count == 2)
        #expect(result.unplaced.count == 1)
    }

    @Test func aProposerStaysOnTheirOwnProjectAndCountsTowardsItsMinimum() {
        let result = TeamMatching.match(projects: [P(id: "mine", minSize: 2, maxSize: 2), P(id: "x", minSize: 0, maxSize: 5)],
                                        trainees: [T(id: "p", ranking: ["x"], pinned: "mine"), T(id: "a", ranking: ["x"]), T(id: "b", ranking: ["x"])])
        #expect(result.assignments["p"] == "mine")
        #expect(result.assignments.values.filter { $0 == "mine" }.count == 2)
    }

    @Test func underfilledProjectsAreReportedWhenThereAreTooFewTrainees() {
        let result = TeamMatching.match(projects: [P(id: "x", minSize: 3, maxSize: 4), P(id: "y", minSize: 3, maxSize: 4)],
                                        trainees: (1...4).map { T(id: "t\($0)", ranking: ["x", "y"]) })
        #expect(result.assignments.count == 4)
        #expect(result.underfilled.count == 1)
    }

    /// Every small instance against an exhaustive search: no assignment that keeps the sizes
    /// places more trainees, fills more minimums or costs less than the one the flow found.
    @Test func theFlowIsOptimalOnRandomSmallCohorts() {
        var rng = LeaderboardTests.SplitMix(state: 11)
        for _ in 0..<150 {
            let projects = (0..<Int.random(in: 2...3, using: &rng)).map { P(id: "p\($0)", minSize: Int.random(in: 0...2, using: &rng), maxSize: Int.random(in: 1...3, using: &rng) + 1) }
            let trainees = (0..<Int.random(in: 2...6, using: &rng)).map { t in
                T(id: "t\(t)", ranking: Array(projects.map(\.id).shuffled(using: &rng).prefix(Int.random(in: 0...projects.count, using: &rng))))
            }
            let found = TeamMatching.match(projects: projects, trainees: trainees)
            #expect(score(found.assignments, projects, trainees) == best(projects, trainees), "\(projects.map { ($0.id, $0.minSize, $0.maxSize) }) \(trainees.map(\.ranking))")
        }
    }

    @Test func theSameInputGivesTheSameTeams() {
        let projects = (0..<8).map { P(id: "p\($0)", minSize: 3, maxSize: 5) }
        var rng = LeaderboardTests.SplitMix(state: 5)
        let trainees = (0..<36).map { T(id: "t\($0)", ranking: Array(projects.map(\.id).shuffled(using: &rng).prefix(3))) }
        let first = TeamMatching.match(projects: projects, trainees: trainees)
        #expect(TeamMatching.match(projects: projects, trainees: trainees).assignments == first.assignments)
        #expect(first.unplaced.isEmpty && first.underfilled.isEmpty)
        #expect(TeamMatching.rank(of: first.assignments["t0"], in: trainees[0].ranking) != nil)
    }

    /// Placed trainees, minimum places filled and preference cost, the flow's own order of goals.
    func score(_ assignments: [String: String], _ projects: [P], _ trainees: [T]) -> [Int] {
        var size: [String: Int] = [:]
        var cost = 0
        for trainee in trainees {
            guard let team = assignments[trainee.id] else { continue }
            size[team, default: 0] += 1
            cost += trainee.ranking.firstIndex(of: team).map { TeamMatching.cost(rank: $0) } ?? TeamMatching.unrankedCost
        }
        let filled = projects.map { min($0.minSize, size[$0.id, default: 0]) }.reduce(0, +)
        return [assignments.count, filled, -cost]
    }

    func best(_ projects: [P], _ trainees: [T]) -> [Int] {
        var best = [Int.min]
        func place(_ i: Int, _ current: [String: String]) {
            if i == trainees.count {
                var size: [String: Int] = [:]
                for team in current.values { size[team, default: 0] += 1 }
                guard projects.allSatisfy({ size[$0.id, default: 0] <= $0.maxSize }) else { return }
                let s = score(current, projects, trainees)
                if s.lexicographicallyPrecedes(best) == false && s != best { best = s }
                return
            }
            place(i + 1, current)
            for project in projects {
                var next = current
                next[trainees[i].id] = project.id
                place(i + 1, next)
            }
        }
        place(0, [:])
        return best
    }

    @Test func preferencesNameEachProjectOnceAndOnlyOffered() throws {
        let offered: Set<String> = ["x", "y", "z"]
        #expect(try PreferenceDraft.parse(["choice_1": "y", "choice_3": "x"], projects: offered).ranking == ["y", "x"])
        #expect(throws: ValidationFailure.self) { try PreferenceDraft.parse(["choice_1": "y", "choice_2": "y"], projects: offered) }
        #expect(throws: ValidationFailure.self) { try PreferenceDraft.parse(["choice_1": "w"], projects: offered) }
    }

    @Test func aProjectsLargestTeamIsNotBelowItsSmallest() throws {
        let fields = ["title": "수요 예측 (Demand forecasting)", "problem": "Forecast next week's demand per store.", "team_min": "5", "team_max": "4"]
        #expect(throws: ValidationFailure.self) { try ProjectDraft.parse(fields) }
        var good = fields
        good["team_max"] = "6"
        #expect(try ProjectDraft.parse(good).teamMax == 6)
    }
}

@Suite("Mentor rules") struct MentorRulesTests {
    @Test func conflictsAreNamedInOrder() {
        #expect(MentorRules.conflict(isTrainee: true, contactOfProjectsCompany: true, teams: 0) == .trainee)
        #expect(MentorRules.conflict(isTrainee: false, contactOfProjectsCompany: false, teams: 0) == .otherCompany)
        #expect(MentorRules.conflict(isTrainee: false, contactOfProjectsCompany: true, teams: 0) == nil)
        #expect(MentorRules.conflict(isTrainee: false, contactOfProjectsCompany: nil, teams: MentorRules.teamsPerMentor) == .tooManyTeams)
        #expect(MentorRules.conflict(isTrainee: false, contactOfProjectsCompany: nil, teams: MentorRules.teamsPerMentor - 1) == nil)
    }
}
