import Foundation
import Testing
@testable import CadetApp

@Suite("The exam gate")
struct ConcurrencyGateTests {
    /// Counts what is inside the gate at once, and what got in.
    actor Tally {
        var inside = 0, most = 0
        var order: [Int] = []
        func enter(_ n: Int) { inside += 1; most = max(most, inside); order.append(n) }
        func leave() { inside -= 1 }
    }

    @Test("no more than the limit run at once, and every one runs")
    func limitAndOrder() async throws {
        let gate = ConcurrencyGate(limit: 3)
        let tally = Tally()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<40 {
                group.addTask {
                    try await gate.run {
                        await tally.enter(n)
                        try await Task.sleep(for: .milliseconds(2))
                        await tally.leave()
                        return n
                    }
                }
            }
            var finished = 0
            for try await _ in group { finished += 1 }
            #expect(finished == 40)
        }
        #expect(await tally.most == 3)
        #expect(await tally.inside == 0)
        #expect(await tally.order.count == 40)
    }

    @Test("a failure inside gives its place back", .timeLimit(.minutes(1)))
    func failureLeaves() async throws {
        struct Boom: Error {}
        let gate = ConcurrencyGate(limit: 1)
        await #expect(throws: Boom.self) { try await gate.run { () async throws -> Int in throw Boom() } }
        // With the place not given back this would wait for ever; the time limit makes that a failure.
        let value = try await gate.run { 7 }
        #expect(value == 7)
    }

    @Test("a request coming back goes ahead of those arriving, each line first come first served", .timeLimit(.minutes(1)))
    func returningFirst() async throws {
        let gate = ConcurrencyGate(limit: 1)
        let tally = Tally()
        let (inside, entered) = AsyncStream<Void>.makeStream()
        let (held, release) = AsyncStream<Void>.makeStream()
        // One request holds the only place while three arrive and two come back.
        let holder = Task {
            try await gate.run {
                entered.yield()
                for await _ in held { break }
            }
        }
        for await _ in inside { break }
        var waiting: [Task<Void, any Error>] = []
        for (n, pass) in [(1, ConcurrencyGate.Pass.arriving), (2, .arriving), (3, .returning), (4, .arriving), (5, .returning)] {
            waiting.append(Task { try await gate.run(pass) { await tally.enter(n); await tally.leave() } })
            // Each is in its line before the next is sent, so that the lines' order is known.
            while await gate.queued < n { await Task.yield() }
        }
        release.yield()
        try await holder.value
        for task in waiting { try await task.value }
        #expect(await tally.order == [3, 5, 1, 2, 4])
        #expect(await tally.most == 1)
        #expect(await gate.queued == 0)
    }
}
