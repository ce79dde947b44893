import Vapor

/// Lets a few heavy requests run at a time and queues the rest, so that cheap, urgent requests
/// are not stuck behind a burst of heavy ones. On a test morning thousands of takers open their
/// papers in the same seconds; without the gate every save waits behind that burst.
actor ConcurrencyGate {
    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var next = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await enter()
        do {
            let result = try await body()
            leave()
            return result
        } catch {
            leave()
            throw error
        }
    }

    private func enter() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the place to the longest waiting request, first come first served.
    private func leave() {
        if next < waiting.count {
            waiting[next].resume()
            next += 1
            if next > 1024, next * 2 > waiting.count {
                waiting.removeFirst(next)
                next = 0
            }
        } else {
            waiting.removeAll(keepingCapacity: true)
            next = 0
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
        return try await examGate.run(body)
    }

    /// A taker's start or submission: the attempt read, the write, and the answer built from
    /// both. On PostgreSQL all three in one turn of the gate: a start that queued for each
    /// (three turns) waited behind the opening's burst three times over. On SQLite the write
    /// waits for its group commit between two turns, as `examWrite` says.
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
        let read = try await examGate.run(read)
        let written = try await write(read)
        return try await examGate.run { try await answer(read, written) }
    }
}
