import Synchronization
import Vapor

/// Work a request hands on so that its answer does not wait for it: a few at a time, first come
/// first served, through a `ConcurrencyGate` of its own. Nothing is kept on disk: what a lane
/// holds when the process dies is found again by the capability's sweeper (the lane is for work
/// that a sweep would also do, only later).
final class BackgroundLane: Sendable {
    private let gate: ConcurrencyGate
    private let work: @Sendable (UUID) async -> Void
    private let state = Mutex((pending: 0, closed: false))

    init(width: Int, work: @escaping @Sendable (UUID) async -> Void) {
        gate = ConcurrencyGate(limit: width)
        self.work = work
    }

    func add(_ id: UUID) {
        state.withLock { $0.pending += 1 }
        Task {
            _ = try? await gate.run {
                if !self.state.withLock({ $0.closed }) { await self.work(id) }
            }
            state.withLock { $0.pending -= 1 }
        }
    }

    /// How many items are waiting or under way.
    var pending: Int { state.withLock { $0.pending } }

    /// Returns once every item added so far is done (or, after `close()`, skipped).
    func idle() async {
        while pending > 0 { try? await Task.sleep(for: .milliseconds(2)) }
    }

    /// At shutdown: items not begun are skipped (the sweeper does them later); those under way finish.
    func close() async {
        state.withLock { $0.closed = true }
        await idle()
    }
}
