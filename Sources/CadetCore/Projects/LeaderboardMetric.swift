import Foundation

/// How a hackathon scores a prediction file against its hidden labels. Each is computed as
/// scikit-learn computes it (the test suite compares them with the real library).
public enum LeaderboardMetric: String, CaseIterable, Codable, Sendable {
    case accuracy
    case macroF1 = "macro_f1"
    case rmse
    case mae
    case rocAUC = "roc_auc"
    case logLoss = "log_loss"

    public var higherIsBetter: Bool {
        switch self {
        case .accuracy, .macroF1, .rocAUC: true
        case .rmse, .mae, .logLoss: false
        }
    }

    /// What a prediction cell holds.
    public enum Kind: Sendable { case label, number, probability }

    public var predictionKind: Kind {
        switch self {
        case .accuracy, .macroF1: .label
        case .rmse, .mae: .number
        case .rocAUC, .logLoss: .probability
        }
    }

    /// What an answer-key cell holds: class labels, numbers, or 0/1 for the probability metrics.
    public var labelKind: Kind {
        switch self {
        case .accuracy, .macroF1: .label
        case .rmse, .mae: .number
        case .rocAUC, .logLoss: .probability
        }
    }

    /// The score of `predicted` against `truth`, row by row; both are already validated for
    /// this metric (numbers parse, probabilities lie in [0, 1], truth is 0 or 1 where binary).
    public func score(truth: [String], predicted: [String]) -> Double {
        precondition(truth.count == predicted.count && !truth.isEmpty)
        switch self {
        case .accuracy:
            return Double(zip(truth, predicted).filter { $0 == $1 }.count) / Double(truth.count)
        case .macroF1:
            return Self.macroF1(truth, predicted)
        case .rmse:
            let errors = zip(truth, predicted).map { Double($0)! - Double($1)! }
            return (errors.reduce(0) { $0 + $1 * $1 } / Double(errors.count)).squareRoot()
        case .mae:
            return zip(truth, predicted).reduce(0) { $0 + abs(Double($1.0)! - Double($1.1)!) } / Double(truth.count)
        case .rocAUC:
            return Self.rocAUC(truth.map { $0 == "1" }, predicted.map { Double($0)! }) ?? .nan
        case .logLoss:
            // scikit-learn clips to the float64 epsilon, so a confident miss costs about 36, not infinity.
            let eps = Double.ulpOfOne
            let total = zip(truth, predicted).reduce(0.0) { sum, pair in
                let p = min(max(Double(pair.1)!, eps), 1 - eps)
                return sum - (pair.0 == "1" ? log(p) : log(1 - p))
            }
            return total / Double(truth.count)
        }
    }

    /// The unweighted mean over every label seen in either column of 2·TP / (2·TP + FP + FN);
    /// a label never predicted, or predicted but never true, counts as 0 (scikit-learn's
    /// `zero_division=0`).
    static func macroF1(_ truth: [String], _ predicted: [String]) -> Double {
        var tp: [String: Int] = [:], fp: [String: Int] = [:], fn: [String: Int] = [:]
        for (t, p) in zip(truth, predicted) {
            if t == p { tp[t, default: 0] += 1 } else { fp[p, default: 0] += 1; fn[t, default: 0] += 1 }
        }
        let labels = Set(truth).union(predicted)
        let sum = labels.reduce(0.0) { sum, label in
            let t = Double(tp[label] ?? 0), denominator = 2 * t + Double(fp[label] ?? 0) + Double(fn[label] ?? 0)
            return sum + (denominator == 0 ? 0 : 2 * t / denominator)
        }
        return sum / Double(labels.count)
    }

    /// The Mann–Whitney form of the area under the ROC curve: the share of (positive, negative)
    /// pairs the scores order correctly, ties counting half. Nil when one class is missing.
    static func rocAUC(_ positive: [Bool], _ scores: [Double]) -> Double? {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranks = [Double](repeating: 0, count: scores.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, scores[order[end + 1]] == scores[order[start]] { end += 1 }
            let average = Double(start + end) / 2 + 1
            for k in start...end { ranks[order[k]] = average }
            start = end + 1
        }
        let positives = positive.filter { $0 }.count, negatives = positive.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let rankSum = zip(positive, ranks).reduce(0.0) { $0 + ($1.0 ? $1.1 : 0) }
        return (rankSum - Double(positives * (positives + 1)) / 2) / Double(positives * negatives)
    }
}
