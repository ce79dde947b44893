/// Puts a cohort's trainees on project teams from their rankings: every team at least its
/// minimum where the numbers allow, none above its maximum, and as many trainees as possible on
/// a project they ranked high. It is a minimum-cost flow (successive shortest paths), so the
/// answer is the best one for the whole cohort rather than first come, first served, and the
/// same input always gives the same teams.
public enum TeamMatching {
    public struct Project<ID: Hashable & Sendable>: Sendable {
        public let id: ID
        public let minSize: Int
        public let maxSize: Int

        public init(id: ID, minSize: Int, maxSize: Int) {
            self.id = id
            self.minSize = minSize
            self.maxSize = maxSize
        }
    }

    public struct Trainee<ID: Hashable & Sendable, Team: Hashable & Sendable>: Sendable {
        public let id: ID
        /// Most wanted first.
        public let ranking: [Team]
        /// A project this trainee must be on (a free-topic project they proposed).
        public let pinned: Team?

        public init(id: ID, ranking: [Team], pinned: Team? = nil) {
            self.id = id
            self.ranking = ranking
            self.pinned = pinned
        }
    }

    public struct Result<ID: Hashable & Sendable, Team: Hashable & Sendable>: Sendable {
        public var assignments: [ID: Team] = [:]
        /// Trainees for whom no team had room.
        public var unplaced: [ID] = []
        /// Projects left below their minimum size.
        public var underfilled: [Team] = []
    }

    /// What a place on the trainee's r-th choice (0 = first) costs: growing faster than the rank,
    /// so that two trainees on their second choices beat one on the first and one on the fifth.
    static func cost(rank: Int) -> Int { (rank + 1) * (rank + 1) - 1 }
    /// A project the trainee did not rank: used only when their ranked ones are full.
    static let unrankedCost = 100
    /// Filling a team up to its minimum outweighs every trainee's preference together.
    static func minimumBonus(trainees: Int) -> Int { unrankedCost * (trainees + 1) }

    public static func match<ID, Team>(projects: [Project<Team>], trainees: [Trainee<ID, Team>]) -> Result<ID, Team> {
        var result = Result<ID, Team>()
        var low = Dictionary(projects.map { ($0.id, $0.minSize) }, uniquingKeysWith: { a, _ in a })
        var room = Dictionary(projects.map { ($0.id, $0.maxSize) }, uniquingKeysWith: { a, _ in a })
        var free: [Trainee<ID, Team>] = []
        for trainee in trainees {
            if let pin = trainee.pinned, let left = room[pin], left > 0 {
                result.assignments[trainee.id] = pin
                room[pin] = left - 1
                low[pin] = max(0, low[pin]! - 1)
            } else {
                free.append(trainee)
            }
        }
        let index = Dictionary(projects.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var graph = FlowGraph(nodes: free.count + projects.count + 2)
        let source = 0, sink = free.count + projects.count + 1
        for (t, trainee) in free.enumerated() {
            graph.add(source, t + 1, capacity: 1, cost: 0)
            var ranked = Set<Int>()
            for (rank, team) in trainee.ranking.enumerated() {
                guard let p = index[team], ranked.insert(p).inserted else { continue }
                graph.add(t + 1, free.count + 1 + p, capacity: 1, cost: cost(rank: rank))
            }
            for p in projects.indices where !ranked.contains(p) {
                graph.add(t + 1, free.count + 1 + p, capacity: 1, cost: unrankedCost)
            }
        }
        for (p, project) in projects.enumerated() {
            let node = free.count + 1 + p
            let minimum = min(low[project.id]!, room[project.id]!)
            if minimum > 0 { graph.add(node, sink, capacity: minimum, cost: -minimumBonus(trainees: free.count)) }
            if room[project.id]! > minimum { graph.add(node, sink, capacity: room[project.id]! - minimum, cost: 0) }
        }
        graph.flow(from: source, to: sink)
        for (t, trainee) in free.enumerated() {
            if let edge = graph.edges(from: t + 1).first(where: graph.used) {
                result.assignments[trainee.id] = projects[edge.to - free.count - 1].id
            } else {
                result.unplaced.append(trainee.id)
            }
        }
        var size: [Team: Int] = [:]
        for team in result.assignments.values { size[team, default: 0] += 1 }
        result.underfilled = projects.filter { size[$0.id, default: 0] < $0.minSize }.map(\.id)
        return result
    }

    /// How a trainee fared: 1 for their first choice, 2 for their second…, nil for a project they
    /// did not rank or no project at all.
    public static func rank<Team: Equatable>(of team: Team?, in ranking: [Team]) -> Int? {
        team.flatMap { ranking.firstIndex(of: $0) }.map { $0 + 1 }
    }
}

/// A flow network with costs, solved by successive shortest paths (Bellman-Ford in its queue
/// form, since the minimum bonuses make some costs negative).
struct FlowGraph {
    struct Edge { let from: Int; let to: Int; var capacity: Int; let cost: Int; let original: Int }

    private var all: [Edge] = []
    private var outgoing: [[Int]]

    init(nodes: Int) { outgoing = Array(repeating: [], count: nodes) }

    mutating func add(_ from: Int, _ to: Int, capacity: Int, cost: Int) {
        outgoing[from].append(all.count)
        all.append(Edge(from: from, to: to, capacity: capacity, cost: cost, original: capacity))
        outgoing[to].append(all.count)
        all.append(Edge(from: to, to: from, capacity: 0, cost: -cost, original: 0))
    }

    func edges(from node: Int) -> [Edge] { outgoing[node].map { all[$0] }.filter { $0.original > 0 } }
    func used(_ edge: Edge) -> Bool { edge.capacity < edge.original }

    mutating func flow(from source: Int, to sink: Int) {
        let count = outgoing.count
        while true {
            var distance = Array(repeating: Int.max, count: count)
            var via = Array(repeating: -1, count: count)
            var queued = Array(repeating: false, count: count)
            var queue = [source]
            var head = 0
            distance[source] = 0
            queued[source] = true
            while head < queue.count {
                let node = queue[head]
                head += 1
                queued[node] = false
                for e in outgoing[node] where all[e].capacity > 0 {
                    let next = all[e].to, candidate = distance[node] + all[e].cost
                    if candidate < distance[next] {
                        distance[next] = candidate
                        via[next] = e
                        if !queued[next] { queued[next] = true; queue.append(next) }
                    }
                }
            }
            guard distance[sink] != Int.max else { return }
            var node = sink
            while node != source {
                let e = via[node]
                all[e].capacity -= 1
                all[e ^ 1].capacity += 1
                node = all[e].from
            }
        }
    }
}
