import Foundation

/// Crowd-BT (Chen, Bennett, Collins-Thompson and Horvitz, "Pairwise ranking aggregation in a
/// crowdsourced setting", WSDM 2013), as Gavel runs hackathon judging with it: each team has a
/// Gaussian belief about its quality, each judge a Beta belief about how often they vote with
/// the crowd; a vote moves both by moment matching, and the next pair a judge sees is the one
/// expected to teach the most. Constants are the paper's and Gavel's.
public enum CrowdBT {
    public static let gamma = 0.1
    public static let kappa = 0.0001

    public struct Item: Equatable, Sendable {
        public var mu = 0.0
        public var sigmaSq = 1.0
        public init() {}
        public init(mu: Double, sigmaSq: Double) {
            self.mu = mu
            self.sigmaSq = sigmaSq
        }
    }

    public struct Judge: Equatable, Sendable {
        public var alpha = 10.0
        public var beta = 1.0
        public init() {}
        public init(alpha: Double, beta: Double) {
            self.alpha = alpha
            self.beta = beta
        }
        /// The expected chance this judge votes as the crowd does.
        public var reliability: Double { alpha / (alpha + beta) }
    }

    /// One vote: the judge preferred `winner` to `loser`.
    public static func update(_ judge: inout Judge, winner: inout Item, loser: inout Item) {
        let (j, w, l) = (judge, winner, loser)
        judge = updatedJudge(j, winner: w, loser: l).judge
        (winner.mu, loser.mu) = updatedMus(j, winner: w, loser: l)
        (winner.sigmaSq, loser.sigmaSq) = updatedSigmaSqs(j, winner: w, loser: l)
    }

    /// How much the judge comparing `a` with `b` is expected to change what is known.
    public static func expectedInformationGain(_ judge: Judge, _ a: Item, _ b: Item) -> Double {
        let (judge1, aAbove) = updatedJudge(judge, winner: a, loser: b)
        let (muA1, muB1) = updatedMus(judge, winner: a, loser: b)
        let (sA1, sB1) = updatedSigmaSqs(judge, winner: a, loser: b)
        let judge2 = updatedJudge(judge, winner: b, loser: a).judge
        let (muB2, muA2) = updatedMus(judge, winner: b, loser: a)
        let (sB2, sA2) = updatedSigmaSqs(judge, winner: b, loser: a)
        let first = divergenceGaussian(muA1, sA1, a.mu, a.sigmaSq) + divergenceGaussian(muB1, sB1, b.mu, b.sigmaSq)
            + gamma * divergenceBeta(judge1.alpha, judge1.beta, judge.alpha, judge.beta)
        let second = divergenceGaussian(muA2, sA2, a.mu, a.sigmaSq) + divergenceGaussian(muB2, sB2, b.mu, b.sigmaSq)
            + gamma * divergenceBeta(judge2.alpha, judge2.beta, judge.alpha, judge.beta)
        return aAbove * first + (1 - aAbove) * second
    }

    /// Every vote replayed in order: the teams' and the judges' beliefs after them.
    public static func replay<Team: Hashable, Person: Hashable>(_ votes: [(judge: Person, winner: Team, loser: Team)], teams: [Team]) -> (teams: [Team: Item], judges: [Person: Judge]) {
        var items = Dictionary(teams.map { ($0, Item()) }, uniquingKeysWith: { a, _ in a })
        var judges: [Person: Judge] = [:]
        for vote in votes {
            guard var winner = items[vote.winner], var loser = items[vote.loser], vote.winner != vote.loser else { continue }
            var judge = judges[vote.judge] ?? Judge()
            update(&judge, winner: &winner, loser: &loser)
            (items[vote.winner], items[vote.loser], judges[vote.judge]) = (winner, loser, judge)
        }
        return (items, judges)
    }

    /// The pair a judge should compare next: the team they last saw against the unseen team with
    /// the most to teach; for a judge who has seen none, the least-seen team first. Nil once they
    /// have seen every team open to them.
    public static func nextPair<Team: Hashable>(judge: Judge, last: Team?, seen: Set<Team>, open: [Team], beliefs: [Team: Item]) -> (Team, Team)? {
        let unseen = open.filter { !seen.contains($0) }
        let anchor = last.flatMap { open.contains($0) ? $0 : nil } ?? unseen.first
        guard let anchor, let a = beliefs[anchor] else { return nil }
        let candidates = unseen.filter { $0 != anchor }
        var best: (Team, Double)?
        for team in candidates {
            guard let b = beliefs[team] else { continue }
            let gain = expectedInformationGain(judge, a, b)
            if best == nil || gain > best!.1 { best = (team, gain) }
        }
        return best.map { (anchor, $0.0) }
    }

    // MARK: The moment-matching updates (Gavel's crowd_bt.py)

    static func updatedMus(_ j: Judge, winner w: Item, loser l: Item) -> (Double, Double) {
        let (ew, el) = (exp(w.mu), exp(l.mu))
        let mult = (j.alpha * ew) / (j.alpha * ew + j.beta * el) - ew / (ew + el)
        return (w.mu + w.sigmaSq * mult, l.mu - l.sigmaSq * mult)
    }

    static func updatedSigmaSqs(_ j: Judge, winner w: Item, loser l: Item) -> (Double, Double) {
        let (ew, el) = (exp(w.mu), exp(l.mu))
        let mult = (j.alpha * ew * j.beta * el) / pow(j.alpha * ew + j.beta * el, 2) - (ew * el) / pow(ew + el, 2)
        return (w.sigmaSq * max(1 + w.sigmaSq * mult, kappa), l.sigmaSq * max(1 + l.sigmaSq * mult, kappa))
    }

    /// The judge's new belief, and the chance (before the vote) that the winner is the better.
    static func updatedJudge(_ j: Judge, winner w: Item, loser l: Item) -> (judge: Judge, c: Double) {
        let (ew, el) = (exp(w.mu), exp(l.mu))
        let c1 = ew / (ew + el) + 0.5 * (w.sigmaSq + l.sigmaSq) * (ew * el * (el - ew)) / pow(ew + el, 3)
        let c2 = 1 - c1
        let (a, b) = (j.alpha, j.beta)
        let c = (c1 * a + c2 * b) / (a + b)
        let expt = (c1 * (a + 1) * a + c2 * a * b) / (c * (a + b + 1) * (a + b))
        let exptSq = (c1 * (a + 2) * (a + 1) * a + c2 * (a + 1) * a * b) / (c * (a + b + 2) * (a + b + 1) * (a + b))
        let variance = exptSq - expt * expt
        return (Judge(alpha: (expt - exptSq) * expt / variance, beta: (expt - exptSq) * (1 - expt) / variance), c)
    }

    static func divergenceGaussian(_ mu1: Double, _ s1: Double, _ mu2: Double, _ s2: Double) -> Double {
        let ratio = s1 / s2
        return pow(mu1 - mu2, 2) / (2 * s2) + (ratio - 1 - log(ratio)) / 2
    }

    static func divergenceBeta(_ a1: Double, _ b1: Double, _ a2: Double, _ b2: Double) -> Double {
        betaln(a2, b2) - betaln(a1, b1) + (a1 - a2) * digamma(a1) + (b1 - b2) * digamma(b1) + (a2 - a1 + b2 - b1) * digamma(a1 + b1)
    }

    static func betaln(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }

    /// ψ(x) for x > 0: the recurrence up to 6, then the asymptotic series (error below 1e-12).
    static func digamma(_ value: Double) -> Double {
        var x = value, result = 0.0
        while x < 6 {
            result -= 1 / x
            x += 1
        }
        let f = 1 / (x * x)
        return result + log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))))
    }
}
