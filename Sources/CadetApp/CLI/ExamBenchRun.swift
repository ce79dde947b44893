import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// What the simulated takers saw: latencies, the saves the server confirmed, and the errors.
struct ExamBenchOutcome: Sendable {
    var starts: [Double] = []
    var saves: [Double] = []
    var submits: [Double] = []
    var runs: [Double] = []
    var health: [Double] = []
    /// Seconds after the opening at which each taker's paper was on screen.
    var startedBy: [Double] = []
    var errors = 0
    var errorKinds: [String: Int] = [:]
    /// Requests tried again after the connection failed or the server answered 5xx.
    var retries = 0
    var confirmed: [UUID: [String: Confirmed]] = [:]
    var deadlines: [UUID: Int64] = [:]
    var submitted = 0
    var downtime: Double?
    var requests = 0
    var serverCPU = 0.0
    var clientCPU = 0.0
    /// The machine read about once a second, at seconds after the opening.
    var machine: [(at: Double, load: MachineLoad)] = []

    struct Confirmed: Sendable { let seq: Int; let value: String }
}

/// Drives the takers. Each behaves like the page's script: it keeps unconfirmed answers and
/// sends them again, with the same sequence number, until the server confirms them.
struct ExamBenchRun: Sendable {
    let plan: ExamBenchSetup.Plan
    let startSpread: Double
    let saveEvery: Double
    let sampleShare: Double
    /// The serving processes; the takers are spread over them as a reverse proxy would, and a
    /// crash kills the first.
    let servers: [BenchServer]
    let crash: Bool
    let crashAt: Double

    final class Recorder: Sendable {
        let box = NIOLockedValueBox(ExamBenchOutcome())
        func note(_ change: (inout ExamBenchOutcome) -> Void) { box.withLockedValue { change(&$0) } }
        func error(_ kind: String) { note { $0.errors += 1; $0.errorKinds[kind, default: 0] += 1 } }
    }

    func go(openWindow: @Sendable () async throws -> Date) async throws -> ExamBenchOutcome {
        let recorder = Recorder()
        // Each taker has a connection of their own, as each browser does; the probe has one too.
        let https = plan.takers.indices.map { BenchHTTP(server: servers[$0 % servers.count], recorder: recorder) }
        let http = BenchHTTP(server: servers[0], recorder: recorder)
        let shutdown = { for each in https + [http] { each.connection.close() } }

        // Everyone is on the landing page before the window opens.
        let tokens: [Int: BenchHTTP.Session]
        do {
            tokens = try await sessions(https)
        } catch {
            shutdown()
            throw error
        }
        let opened: Date
        do { opened = try await openWindow() } catch { shutdown(); throw error }
        let serverCPU = cpuSeconds(), clientCPU = BenchServer.ownCPUSeconds()
        let clock = ContinuousClock.now
        let stop = NIOLockedValueBox(false)
        let probe = Task {
            var lastReading: ContinuousClock.Instant?
            while !stop.withLockedValue({ $0 }) {
                if lastReading.map({ ContinuousClock.now - $0 >= .seconds(1) }) ?? true {
                    lastReading = .now
                    readMachine(recorder, since: clock)
                }
                if let ms = await http.health() { recorder.note { $0.health.append(ms) } }
                try? await Task.sleep(for: .milliseconds(250))
            }
            readMachine(recorder, since: clock)
        }
        let crashTask = !crash ? nil : Optional(
            Task {
                try? await Task.sleep(for: .seconds(crashAt))
                let down = ContinuousClock.now
                servers[0].kill()
                try? await servers[0].start()
                recorder.note { $0.downtime = BenchClock.seconds(since: down) }
            })
        let sittings = plan.takers.enumerated().map { index, taker in
            let session = tokens[index]!
            let runs = Double((index * 7919) % 1000) / 1000 < sampleShare
            let http = https[index]
            return Task {
                await ExamBenchTaker(http: http, taker: taker, session: session, recorder: recorder, opened: opened, clock: clock,
                                     minutes: plan.minutes, startSpread: startSpread, saveEvery: saveEvery, runsSamples: runs).sit()
            }
        }
        for sitting in sittings { await sitting.value }
        await crashTask?.value
        stop.withLockedValue { $0 = true }
        await probe.value
        shutdown()
        recorder.note {
            $0.serverCPU = cpuSeconds() - serverCPU
            $0.clientCPU = BenchServer.ownCPUSeconds() - clientCPU
        }
        return recorder.box.withLockedValue { $0 }
    }

    private func cpuSeconds() -> Double { servers.reduce(0) { $0 + $1.cpuSeconds() } }

    private func readMachine(_ recorder: Recorder, since clock: ContinuousClock.Instant) {
        guard let load = MachineLoad.now(server: cpuSeconds(), takers: BenchServer.ownCPUSeconds()) else { return }
        let at = BenchClock.seconds(since: clock)
        recorder.note { $0.machine.append((at, load)) }
    }

    /// Every taker's cookies and form token, from the landing page they wait on.
    ///
    /// The takers' tasks here and in the morning are tasks of their own, not children of a task
    /// group: Swift's runtime finds a finished child in its group's list by walking the list, so
    /// with 10,000 children the takers spent 13% of their CPU on it while the landing pages came
    /// in (a profile of the bench), CPU taken from the server's cores.
    private func sessions(_ https: [BenchHTTP]) async throws -> [Int: BenchHTTP.Session] {
        let asked = plan.takers.enumerated().map { index, taker in
            let http = https[index]
            return Task { try await http.landing(taker) }
        }
        var sessions: [Int: BenchHTTP.Session] = [:]
        do {
            for (index, landing) in asked.enumerated() { sessions[index] = try await landing.value }
        } catch {
            for landing in asked { landing.cancel() }
            throw error
        }
        return sessions
    }
}

/// One taker's morning.
struct ExamBenchTaker: Sendable {
    let http: BenchHTTP
    let taker: ExamBenchSetup.Taker
    let session: BenchHTTP.Session
    let recorder: ExamBenchRun.Recorder
    let opened: Date
    let clock: ContinuousClock.Instant
    let minutes: Int
    let startSpread: Double
    let saveEvery: Double
    let runsSamples: Bool

    func sit() async {
        var random = SystemRandomNumberGenerator()
        try? await Task.sleep(for: .seconds(Double.random(in: 0...max(startSpread, 0.001), using: &random)))
        let path = "/exams/\(taker.attemptID.uuidString.lowercased())"
        let began = ContinuousClock.now
        // The start answers with the paper: one request (it was a redirect and a second request).
        guard let paper = await http.form(path + "/start", session: session, expect: [200]) else { return }
        recorder.note {
            $0.starts.append(BenchClock.seconds(since: began) * 1000)
            $0.startedBy.append(BenchClock.seconds(since: clock))
        }
        guard let deadline = Self.first(after: "data-deadline=\"", in: paper).flatMap(Int64.init) else { recorder.error("paper without a deadline"); return }
        let keys = Self.all(after: "id=\"question-", in: paper)
        recorder.note { $0.deadlines[taker.attemptID] = deadline }
        guard !keys.isEmpty else { recorder.error("paper without questions"); return }

        let submitAt = ContinuousClock.now + .seconds(Double(minutes * 60) - Double.random(in: 5...20, using: &random))
        var nextSave = ContinuousClock.now + .seconds(Double.random(in: 1...saveEvery, using: &random))
        var runAt = runsSamples ? ContinuousClock.now + .seconds(Double.random(in: 5...max(6, Double(minutes * 60) - 30), using: &random)) : nil
        var seq = 0
        var pending: [String: ExamBenchOutcome.Confirmed] = [:]
        while nextSave < submitAt {
            try? await Task.sleep(until: min(nextSave, runAt ?? nextSave))
            if let at = runAt, at <= ContinuousClock.now {
                runAt = nil
                await runSamples(path)
                continue
            }
            for key in keys.shuffled(using: &random).prefix(Int.random(in: 1...2, using: &random)) {
                seq += 1
                pending[key] = .init(seq: seq, value: key.hasPrefix("c_") ? "print(\(seq))\n# \(taker.attemptID)\n" : "answer \(seq)")
            }
            await flush(path, pending: &pending)
            nextSave = nextSave + .seconds(saveEvery)
        }
        try? await Task.sleep(until: submitAt)
        await flush(path, pending: &pending)
        let submitting = ContinuousClock.now
        if await http.form(path + "/submit", session: session, expect: [303], alsoFine: "exam.already_submitted") != nil {
            recorder.note { $0.submits.append(BenchClock.seconds(since: submitting) * 1000); $0.submitted += 1 }
        }
    }

    /// Sends every unconfirmed answer, with the highest sequence number among them, until the
    /// server confirms; what it confirms is what the check later looks for.
    private func flush(_ path: String, pending: inout [String: ExamBenchOutcome.Confirmed]) async {
        guard !pending.isEmpty else { return }
        let seq = pending.values.map(\.seq).max()!
        let body = (try? JSONEncoder().encode(ExamTaking.SaveRequest(seq: seq, answers: pending.mapValues(\.value)))) ?? Data()
        let began = ContinuousClock.now
        guard await http.json(path + "/answers", session: session, body: body) != nil else { return }
        let sent = pending
        recorder.note { outcome in
            outcome.saves.append(BenchClock.seconds(since: began) * 1000)
            for (key, answer) in sent { outcome.confirmed[taker.attemptID, default: [:]][key] = .init(seq: seq, value: answer.value) }
        }
        pending = [:]
    }

    private func runSamples(_ path: String) async {
        let began = ContinuousClock.now
        let body = (try? JSONEncoder().encode(["question": "c_sum", "source": "a, b = map(int, input().split())\nprint(a + b)\n"])) ?? Data()
        guard let started = await http.json(path + "/runs", session: session, body: body),
              let run = Self.first(after: "\"run\":\"", in: started) else { return }
        for _ in 0..<180 {
            try? await Task.sleep(for: .seconds(1))
            guard let result = await http.get(path + "/runs/" + run, session: session, expect: 200, json: true) else { return }
            if result.contains("\"done\":true") {
                recorder.note { $0.runs.append(BenchClock.seconds(since: began)) }
                return
            }
        }
        recorder.error("sample run not done after 3 minutes")
    }

    /// The first value that follows `prefix` up to the next quote: enough to read what the
    /// pages and JSON bodies carry, and much cheaper than regular expressions at this volume.
    static func first(after prefix: String, in text: String) -> String? {
        guard let start = text.range(of: prefix)?.upperBound, let end = text[start...].firstIndex(of: "\"") else { return nil }
        return String(text[start..<end])
    }

    static func all(after prefix: String, in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let start = rest.range(of: prefix)?.upperBound, let end = rest[start...].firstIndex(of: "\"") {
            found.append(String(rest[start..<end]))
            rest = rest[end...]
        }
        return found
    }
}
