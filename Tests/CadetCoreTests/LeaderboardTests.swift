import Foundation
import Testing
@testable import CadetCore

@Suite("Leaderboards: metrics as scikit-learn computes them, prediction files, the split, the boards")
struct LeaderboardTests {
    /// A small seeded generator, so every run checks the same cases.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    struct Case: Codable {
        let metric: String
        let truth: [String]
        let predicted: [String]
    }

    static func cases() -> [Case] {
        var rng = SplitMix(state: 20261201)
        var cases: [Case] = []
        for n in [7, 50, 333] {
            // "e" is predicted but never true, "d" true but rarely predicted: macro F1 counts both.
            let truth = (0..<n).map { _ in ["a", "b", "c", "d"].randomElement(using: &rng)! }
            let predicted = truth.map { t in Double.random(in: 0..<1, using: &rng) < 0.6 ? t : ["a", "b", "c", "e"].randomElement(using: &rng)! }
            cases += [Case(metric: "accuracy", truth: truth, predicted: predicted), Case(metric: "macro_f1", truth: truth, predicted: predicted)]
            let values = (0..<n).map { _ in Double.random(in: -50...50, using: &rng) }
            let estimates = values.map { String($0 + Double.random(in: -8...8, using: &rng)) }
            cases += [Case(metric: "rmse", truth: values.map { String($0) }, predicted: estimates), Case(metric: "mae", truth: values.map { String($0) }, predicted: estimates)]
            var labels = (0..<n).map { _ in Bool.random(using: &rng) ? "1" : "0" }
            labels[0] = "1"; labels[1] = "0"
            // Rounded to one decimal so that many scores tie; 0 and 1 exactly test log loss's clipping.
            let probabilities = labels.map { l in String((min(1, max(0, (l == "1" ? 0.65 : 0.35) + Double.random(in: -0.6...0.6, using: &rng))) * 10).rounded() / 10) }
            cases += [Case(metric: "roc_auc", truth: labels, predicted: probabilities), Case(metric: "log_loss", truth: labels, predicted: probabilities)]
        }
        return cases
    }

    @Test("every metric agrees with scikit-learn to 1e-9, on ties, unseen labels and probabilities of exactly 0 and 1")
    func againstScikitLearn() throws {
        let cases = Self.cases()
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("cadet-metrics-\(UUID().uuidString).json")
        try JSONEncoder().encode(cases).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let script = """
        import json, sys
        from sklearn import metrics
        out = []
        for c in json.load(open(sys.argv[1])):
            t, p, m = c["truth"], c["predicted"], c["metric"]
            if m == "accuracy": out.append(metrics.accuracy_score(t, p))
            elif m == "macro_f1": out.append(metrics.f1_score(t, p, average="macro", zero_division=0))
            elif m == "rmse": out.append(metrics.root_mean_squared_error([float(x) for x in t], [float(x) for x in p]))
            elif m == "mae": out.append(metrics.mean_absolute_error([float(x) for x in t], [float(x) for x in p]))
            elif m == "roc_auc": out.append(metrics.roc_auc_score([int(x) for x in t], [float(x) for x in p]))
            elif m == "log_loss": out.append(metrics.log_loss([int(x) for x in t], [float(x) for x in p], labels=[0, 1]))
        print(json.dumps(out))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, input.path]
        let pipe = Pipe(), errors = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "scikit-learn (Scripts/install-deps.sh --test installs it): \(complaint)")
        let expected = try JSONDecoder().decode([Double].self, from: output)
        #expect(expected.count == cases.count)
        for (c, reference) in zip(cases, expected) {
            let ours = LeaderboardMetric(rawValue: c.metric)!.score(truth: c.truth, predicted: c.predicted)
            #expect(abs(ours - reference) < 1e-9, "\(c.metric) over \(c.truth.count) rows: ours \(ours), scikit-learn \(reference)")
        }
    }

    let key = try! AnswerKey.parse(Array("id,target\n1,0\n2,1\n3,1\n4,0\n".utf8), metric: .rocAUC)

    @Test("a prediction file is refused with every bad line named: unknown, repeated and missing ids, NaN, out-of-range, the wrong header")
    func predictionErrors() throws {
        #expect(try PredictionFile.parse(Array("\u{FEFF}id,target\r\n3,0.9\r\n1,0.2\r\n2,0.7\r\n4,0.1\r\n".utf8), key: key, metric: .rocAUC) == ["0.2", "0.7", "0.9", "0.1"])
        func issues(_ text: String) -> [LeaderboardFileFailure.Issue] {
            do {
                _ = try PredictionFile.parse(Array(text.utf8), key: key, metric: .rocAUC)
                return []
            } catch { return error.issues }
        }
        #expect(issues("id,target\n1,0.2\n9,0.5\n1,0.3\n2,NaN\n3,1.5\n4,\n") == [
            .init(line: 3, problem: .unknownID, value: "9"), .init(line: 4, problem: .duplicateID, value: "1"),
            .init(line: 5, problem: .notANumber, value: "NaN"), .init(line: 6, problem: .notAProbability, value: "1.5"),
            .init(line: 7, problem: .emptyValue, value: "")])
        #expect(issues("id,target\n1,0.2\n2,0.5\n") == [.init(line: 0, problem: .missingID, value: "3"), .init(line: 0, problem: .missingID, value: "4")])
        #expect(issues("id,score\n1,0.2\n2,0.5\n3,0.1\n4,0.9\n") == [.init(line: 1, problem: .header, value: "id,target")])
        #expect(issues("id,target\n1,\"0.2\n") == [.init(line: 2, problem: .csv, value: "unterminated_quote")])
        #expect(issues("") == [.init(line: 0, problem: .empty, value: "")])
        #expect(issues("id,target,extra\n") == [.init(line: 1, problem: .header, value: "id,target")])
    }

    @Test("an answer key refuses a non-binary label for a probability metric and a repeated id; its CSV reads back the same")
    func answerKey() throws {
        #expect(throws: LeaderboardFileFailure.self) { try AnswerKey.parse(Array("id,y\n1,0\n2,0.5\n".utf8), metric: .logLoss) }
        #expect(throws: LeaderboardFileFailure.self) { try AnswerKey.parse(Array("id,y\n1,a\n1,b\n".utf8), metric: .accuracy) }
        let labels = try AnswerKey.parse(Array("id,y\n1,\"a,b\"\n2,c\n".utf8), metric: .accuracy)
        #expect(try AnswerKey.parse(Array(labels.csv.utf8), metric: .accuracy) == labels)
    }

    @Test("the split is fixed by the seed, takes the share asked, and a one-class part is refused for ROC AUC")
    func split() throws {
        let ids = (1...1000).map(String.init)
        let once = LeaderboardSplit.publicIDs(ids, seed: 42, sharePercent: 30)
        #expect(once.count == 300 && once == LeaderboardSplit.publicIDs(ids.reversed(), seed: 42, sharePercent: 30))
        #expect(once != LeaderboardSplit.publicIDs(ids, seed: 43, sharePercent: 30))
        #expect(throws: LeaderboardFileFailure.self) { try key.checkParts(publicIDs: ["1", "4"], metric: .rocAUC) }
        try key.checkParts(publicIDs: ["1", "2"], metric: .rocAUC)
    }

    @Test("boards: best public score per team with ties sharing a place; the private board judges the chosen finals, or the best public ones")
    func boards() {
        let a = UUID(), b = UUID(), c = UUID()
        let t0 = Date(timeIntervalSince1970: 0)
        func entry(_ team: UUID, _ minute: Double, _ pub: Double, _ priv: Double, chosen: Bool = false) -> Leaderboard.Entry {
            Leaderboard.Entry(team: team, submission: UUID(), at: t0.addingTimeInterval(minute * 60), publicScore: pub, privateScore: priv, chosen: chosen)
        }
        let entries = [entry(a, 1, 0.90, 0.70), entry(a, 2, 0.80, 0.95, chosen: true), entry(b, 3, 0.90, 0.85), entry(b, 4, 0.60, 0.99), entry(c, 5, .nan, .nan)]
        let board = Leaderboard.publicBoard(entries, metric: .rocAUC)
        #expect(board.map(\.team) == [a, b, c] && board.map(\.rank) == [1, 1, 3] && board.map(\.entries) == [2, 2, 1])
        // a chose its 0.80 (private 0.95); b chose nothing, so its best public one (private 0.85) counts.
        let hidden = Leaderboard.privateBoard(entries, metric: .rocAUC, finals: 1)
        #expect(hidden.map(\.team) == [a, b, c] && hidden.map(\.score).prefix(2) == [0.95, 0.85])
        #expect(Leaderboard.publicBoard(entries, metric: .logLoss).first?.score == 0.60)
    }
}
