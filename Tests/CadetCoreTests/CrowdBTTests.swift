import Foundation
import Testing
@testable import CadetCore

@Suite("Crowd-BT: pairwise judging that learns teams' quality and judges' reliability")
struct CrowdBTTests {
    /// The special functions the judges' divergence needs, against SciPy's (installed with
    /// scikit-learn by Scripts/install-deps.sh --test).
    @Test func digammaAndLogBetaMatchSciPy() throws {
        let points = [0.05, 0.5, 1, 1.5, 2.75, 5.9, 6, 10, 11.5, 42, 1_000]
        let script = """
        import json, sys
        from scipy.special import psi, betaln
        xs = json.loads(sys.argv[1])
        print(json.dumps([[float(psi(x)) for x in xs], [float(betaln(x, 1.7)) for x in xs]]))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, String(decoding: try JSONEncoder().encode(points), as: UTF8.self)]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "SciPy comes with scikit-learn: Scripts/install-deps.sh --test")
        let reference = try JSONDecoder().decode([[Double]].self, from: output)
        for (x, (psi, betaln)) in zip(points, zip(reference[0], reference[1])) {
            #expect(abs(CrowdBT.digamma(x) - psi) < 1e-10 * max(1, abs(psi)), "ψ(\(x)): ours \(CrowdBT.digamma(x)), SciPy \(psi)")
            #expect(abs(CrowdBT.betaln(x, 1.7) - betaln) < 1e-10 * max(1, abs(betaln)), "ln B(\(x), 1.7)")
        }
    }

    @Test func aWinMovesTheWinnerUpTheLoserDownAndBothBecomeSurer() {
        var judge = CrowdBT.Judge(), a = CrowdBT.Item(), b = CrowdBT.Item()
        CrowdBT.update(&judge, winner: &a, loser: &b)
        #expect(a.mu > 0 && b.mu < 0 && abs(a.mu + b.mu) < 1e-12)
        #expect(a.sigmaSq < 1 && b.sigmaSq < 1)
        #expect(CrowdBT.expectedInformationGain(CrowdBT.Judge(), CrowdBT.Item(), CrowdBT.Item()) > 0)
    }

    /// Eight teams of known quality, three honest judges who are right nine times in ten and one
    /// who always votes the wrong way: the ranking comes out close to the true order (nearly
    /// every pair of teams the right way round) and the contrary judge is learned to be the least
    /// reliable.
    @Test func honestJudgesRecoverTheOrderAndAContraryJudgeIsFoundOut() {
        var rng = LeaderboardTests.SplitMix(state: 99)
        let teams = Array(0..<8)
        var votes: [(judge: String, winner: Int, loser: Int)] = []
        for round in 0..<150 {
            for judge in ["honest1", "honest2", "honest3", "contrary"] {
                let a = teams.randomElement(using: &rng)!
                var b = teams.randomElement(using: &rng)!
                while b == a { b = teams.randomElement(using: &rng)! }
                let better = max(a, b), worse = min(a, b)
                let right = judge == "contrary" ? false : Double.random(in: 0..<1, using: &rng) < 0.9
                votes.append(right ? (judge, better, worse) : (judge, worse, better))
                _ = round
            }
        }
        let (beliefs, judges) = CrowdBT.replay(votes, teams: teams)
        let pairs = teams.flatMap { a in teams.filter { $0 > a }.map { (a, $0) } }
        let concordant = pairs.filter { beliefs[$0.0]!.mu < beliefs[$0.1]!.mu }.count
        #expect(Double(concordant) / Double(pairs.count) >= 0.9, "\(teams.map { String(format: "%.2f", beliefs[$0]!.mu) })")
        #expect(beliefs[7]!.mu == teams.map { beliefs[$0]!.mu }.max() && beliefs[0]!.mu == teams.map { beliefs[$0]!.mu }.min())
        let contrary = judges["contrary"]!.reliability
        #expect(["honest1", "honest2", "honest3"].allSatisfy { judges[$0]!.reliability > contrary }, "\(judges.mapValues(\.reliability))")
    }

    @Test func theNextPairIsNewToTheJudgeAndEndsWhenAllAreSeen() {
        let open = ["a", "b", "c", "d"]
        let beliefs = Dictionary(uniqueKeysWithValues: open.map { ($0, CrowdBT.Item()) })
        let first = CrowdBT.nextPair(judge: CrowdBT.Judge(), last: nil, seen: [], open: open, beliefs: beliefs)
        #expect(first?.0 == "a" && first?.1 != "a")
        let next = CrowdBT.nextPair(judge: CrowdBT.Judge(), last: "b", seen: ["a", "b", "c"], open: open, beliefs: beliefs)
        #expect(next! == ("b", "d"))
        #expect(CrowdBT.nextPair(judge: CrowdBT.Judge(), last: "d", seen: Set(open), open: open, beliefs: beliefs) == nil)
        // A recused team is never open to the judge, so it is never offered.
        #expect(CrowdBT.nextPair(judge: CrowdBT.Judge(), last: "a", seen: ["a"], open: ["a", "c"], beliefs: beliefs)! == ("a", "c"))
    }
}

@Suite("Showcase rubric and recusal") struct RubricTests {
    @Test func aRubricIsReadLineByLineAndWeighsMarks() throws {
        let rubric = try Rubric.parse("Problem, 30\n\nTechnique, 70\n")
        #expect(rubric.criteria.map(\.weight) == [30, 70])
        #expect(rubric.points([5, 5]) == 100 && abs(rubric.points([1, 3]) - (30.0 + 210) / 500 * 100) < 1e-12)
        #expect(throws: ValidationFailure.self) { try Rubric.parse("Problem 30") }
        #expect(throws: ValidationFailure.self) { try Rubric.parse("Problem, 0") }
        #expect(throws: ValidationFailure.self) { try Rubric.parse("") }
        #expect(try Rubric.parse(Rubric.standard.text) == Rubric.standard)
        #expect(try rubric.parseMarks(["mark_1": "4", "mark_2": "5"]) == [4, 5])
        #expect(throws: ValidationFailure.self) { try rubric.parseMarks(["mark_1": "6", "mark_2": "5"]) }
    }

    @Test func recusalNamesTheStrongestTie() {
        #expect(Recusal.reason(mentorsTeam: true, contactOfTeamsCompany: true, onTeam: true) == .member)
        #expect(Recusal.reason(mentorsTeam: true, contactOfTeamsCompany: true, onTeam: false) == .mentor)
        #expect(Recusal.reason(mentorsTeam: false, contactOfTeamsCompany: true, onTeam: false) == .company)
        #expect(Recusal.reason(mentorsTeam: false, contactOfTeamsCompany: false, onTeam: false) == nil)
    }
}
