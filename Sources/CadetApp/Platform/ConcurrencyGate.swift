import Vapor
import NIOCore

/// Lets a few heavy requests run at a time and queues the rest, so that cheap, urgent requests
/// are not stuck behind a burst of heavy ones. On a test morning thousands of takers open their
/// papers in the same seconds; without the gate every save waits behind that burst.
///
/// A request that passes twice (on SQLite a start reads, waits for its group commit outside the
/// gate, and comes back to build its answer) goes ahead of those arriving on its second pass:
/// first come first served for both passes made every start queue behind the burst twice over,
/// while going ahead serves the same number of requests a second and only finishes what the
/// gate has already begun (docs/exams.md).
actor ConcurrencyGate {
    enum Pass {
        /// A request's first turn, queued behind everyone waiting.
        case arriving
        /// A request coming back for the rest of its work, queued ahead of those arriving.
        case returning
    }

    private let limit: Int
    private var running = 0
    private var arriving = CircularBuffer<CheckedContinuation<Void, Never>>()
    private var returning = CircularBuffer<CheckedContinuation<Void, Never>>()

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// How many requests wait for a place.
    var queued: Int { arriving.count + returning.count }

    func run<T: Sendable>(_ pass: Pass = .arriving, _ body: @Sendable () async throws -> T) async throws -> T {
        await enter(pass)
        do {
            let result = try await body()
            leave()
            return result
        } catch {
            leave()
            throw error
        }
    }

    private func enter(_ pass: Pass) async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiter in
            switch pass {
            case .arriving: arriving.append(waiter)
            case .returning: returning.append(waiter)
            }
        }
    }

    /// Hands the place to the longest waiting of those returning, else of those arriving.
    private func leave() {
        if let next = returning.popFirst() ?? arriving.popFirst() {
            next.resume()
        } else {
            running -= 1
        }
    }
}

extension Application {
    private struct ExamGateKey: StorageKey { typealias Value = ConcurrencyGate }

    /// The gate for starting, opening and submitting a test paper: `CADET_EXAM_GATE` at once (four
    /// per core unless set), which keeps both the cores and a PostgreSQL connection pool busy
    /// (see docs/exams.md).
    var examGate: ConcurrencyGate {
        get { configured(ExamGateKey.self) }
        set { storage[ExamGateKey.self] = newValue }
    }

    /// A write of the test morning (a start, a submission, a marking). On SQLite it waits for
    /// its group commit outside the gate: waiting takes no CPU, and the writes of the same moment
    /// share one commit instead of holding the gate's places in turn. On PostgreSQL the write
    /// holds a pooled connection, so it queues in the gate.
    func examWrite<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        if groupCommit.batching { return try await body() }
        return try await examGate.run { try await body() }
    }

    /// A taker's start or submission: the attempt read, the write, and the answer built from
    /// both. On PostgreSQL all three in one turn of the gate: a start that queued for each
    /// (three turns) waited behind the opening's burst three times over. On SQLite the write
    /// waits for its group commit between two turns, as `examWrite` says, and the second goes
    /// ahead of the requests arriving meanwhile.
    func examTurn<Read: Sendable, Written: Sendable, Answer: Sendable>(
        read: @escaping @Sendable () async throws -> Read,
        write: @escaping @Sendable (Read) async throws -> Written,
        answer: @escaping @Sendable (Read, Written) async throws -> Answer
    ) async throws -> Answer {
        guard groupCommit.batching else {
            return try await examGate.run {
                let read = try await read()
                return try await answer(read, try await write(read))
            }
        }
        let read = try await examGate.run { try await read() }
        let written = try await write(read)
        return try await examGate.run(.returning) { try await answer(read, written) }
    }
}
