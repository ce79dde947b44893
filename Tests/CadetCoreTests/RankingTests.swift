import Foundation
import Testing
@testable import CadetCore

@Suite("Ranking and decisions")
struct RankingTests {
    typealias Score = Candidate.ReviewerScore
    let day = Date(timeIntervalSince1970: 1_700_000_000)

    func candidate(_ n: Int, documents: [Score] = [], test: Double? = nil, interview: [Score] = [], submittedAfter seconds: Double = 0) -> Candidate {
        var scores: [String: [Score]] = [:]
        if !documents.isEmpty { scores["documents"] = documents }
        if let test { scores["test"] = [Score(reviewer: "", score: test)] }
        if !interview.isEmpty { scores["interview"] = interview }
        return Candidate(id: UUID(), number: n, submittedAt: day.addingTimeInterval(seconds), scores: scores)
    }

    @Test("weights decide the final score out of 100")
    func weights() {
        let a = candidate(1, documents: [Score(reviewer: "r", score: 80)], test: 50, interview: [Score(reviewer: "r", score: 100)])
        let ranked = Ranking.rank([a], rules: .standard, capacity: 1)
        // 0.3 × 80 + 0.4 × 50 + 0.3 × 100
        #expect(abs(ranked[0].finalScore - 74) < 1e-9)
        #expect(ranked[0].components.map(\.points).map { ($0 * 10).rounded() / 10 } == [24, 20, 30])
    }

    @Test("admission fills exactly the capacity; the rest wait in order")
    func capacity() {
        let candidates = (1...5).map { candidate($0, test: Double(100 - $0)) }
        let ranked = Ranking.rank(candidates, rules: SelectionRules(criteria: [.init(key: "test", source: .test, weight: 1, scale: 100)]), capacity: 3)
        #expect(ranked.map(\.decision) == [.admitted, .admitted, .admitted, .waitlisted, .waitlisted])
        #expect(ranked.map(\.waitlistPosition) == [nil, nil, nil, 1, 2])
        #expect(ranked.map(\.rank) == [1, 2, 3, 4, 5])
        #expect(ranked.map(\.id) == candidates.map(\.id))
    }

    @Test("ties break by the published rules, in order, and the rule that applied is recorded")
    func ties() {
        let rules = SelectionRules(criteria: [
            .init(key: "documents", source: .documents, weight: 50, scale: 100),
            .init(key: "test", source: .test, weight: 50, scale: 100),
        ], tieBreaks: [.higherTestScore, .earlierSubmission, .lowerApplicationNumber])
        // All three have 70 in total: higher test first, then the earlier of two equal tests.
        let late = candidate(1, documents: [Score(reviewer: "r", score: 70)], test: 70, submittedAfter: 60)
        let early = candidate(2, documents: [Score(reviewer: "r", score: 70)], test: 70, submittedAfter: 0)
        let strongTest = candidate(3, documents: [Score(reviewer: "r", score: 60)], test: 80)
        let ranked = Ranking.rank([late, early, strongTest], rules: rules, capacity: 2)
        #expect(ranked.map(\.id) == [strongTest.id, early.id, late.id])
        #expect(ranked[1].tieBreak == .higherTestScore)
        #expect(ranked[2].tieBreak == .earlierSubmission)
        #expect(ranked[0].tieBreak == nil)
        #expect(ranked[2].decision == .waitlisted)
    }

    @Test("the last rule, the application number, always decides")
    func lastRule() {
        let rules = SelectionRules(criteria: [.init(key: "test", source: .test, weight: 1, scale: 100)], tieBreaks: [.lowerApplicationNumber])
        let b = candidate(7, test: 50), a = candidate(3, test: 50)
        let ranked = Ranking.rank([b, a], rules: rules, capacity: 1)
        #expect(ranked.map(\.id) == [a.id, b.id])
        #expect(ranked[1].tieBreak == .lowerApplicationNumber)
    }

    @Test("z-score normalisation evens out a lenient and a strict reviewer")
    func normalisation() {
        // Reviewer "kind" gives everyone 30 points more than "strict" would; each saw two people.
        let rules = SelectionRules(criteria: [.init(key: "documents", source: .documents, weight: 1, scale: 100)], normalisation: .zScore)
        let x = candidate(1, documents: [Score(reviewer: "kind", score: 90)])
        let y = candidate(2, documents: [Score(reviewer: "kind", score: 80)])
        let z = candidate(3, documents: [Score(reviewer: "strict", score: 60)])
        let w = candidate(4, documents: [Score(reviewer: "strict", score: 50)])
        let plain = Ranking.rank([x, y, z, w], rules: SelectionRules(criteria: rules.criteria), capacity: 2)
        #expect(plain.prefix(2).map(\.id) == [x.id, y.id])
        let fair = Ranking.rank([x, y, z, w], rules: rules, capacity: 2)
        // After normalisation each reviewer's best lands on the same score.
        let best = fair.filter { $0.id == x.id || $0.id == z.id }.map(\.finalScore)
        #expect(abs(best[0] - best[1]) < 1e-9)
        #expect(Set(fair.prefix(2).map(\.id)) == [x.id, z.id])
        #expect(fair.first { $0.id == x.id }?.components[0].reviewerScores.first?.score == 90)
    }

    @Test("a missing criterion counts as zero and is named")
    func missing() {
        let ranked = Ranking.rank([candidate(1, test: 90)], rules: .standard, capacity: 1)
        #expect(ranked[0].missing == ["documents", "interview"])
        #expect(abs(ranked[0].finalScore - 36) < 1e-9)
    }

    @Test("several reviewers' scores are averaged")
    func averaged() {
        let rules = SelectionRules(criteria: [.init(key: "interview", source: .interview, weight: 1, scale: 10)])
        let ranked = Ranking.rank([candidate(1, interview: [Score(reviewer: "a", score: 6), Score(reviewer: "b", score: 9)])], rules: rules, capacity: 1)
        #expect(ranked[0].components[0].value == 7.5)
        #expect(abs(ranked[0].finalScore - 75) < 1e-9)
    }

    @Test("the first on the waiting list is offered a declined place")
    func waitingList() {
        let a = WaitingList.Entry(id: UUID(), position: 3), b = WaitingList.Entry(id: UUID(), position: 1)
        #expect(WaitingList.next([a, b]) == b)
        #expect(WaitingList.next([]) == nil)
    }

    @Test("stages move only along the pipeline")
    func stages() {
        #expect(ApplicationStage.submitted.staffMoves.contains(.documentsPassed))
        #expect(!ApplicationStage.submitted.staffMoves.contains(.admitted))
        #expect(ApplicationStage.committee.staffMoves == [.admitted, .waitlisted, .rejected])
        #expect(ApplicationStage.enrolled.staffMoves.isEmpty)
        #expect(!ApplicationStage.accepted.applicantMayWithdraw)
    }
}
