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
}
