import Foundation
import Testing
@testable import CadetSandbox

extension SandboxRuns {
@Suite("Hostile programs in the real sandbox")
struct HostileProgramTests {
    static let programs = HostileProgram.all(HostBait.shared)

    @Test("ends with the right verdict inside its limits and leaves the machine clean", .serialized, arguments: programs)
    func hostile(_ program: HostileProgram) async throws {
        try await Fixture.requireSandbox()
        let mounts = Fixture.mountCount()
        let started = Date()

        let report = try await Fixture.grade(program.source, program.problem)

        let elapsed = Date().timeIntervalSince(started)
        #expect(program.acceptable.contains(report.verdict),
                "\(program.name): \(report.verdict) — \(report.tests.first?.message ?? report.message ?? "") output: \(report.tests.first?.output ?? "")")
        let limits = program.problem.limits
        #expect(elapsed < Double(program.problem.tests.count) * (limits.wallSeconds + 0.5) + 5, "took \(elapsed) s")
        #expect(HostBait.shared.touched().isEmpty, "\(HostBait.shared.touched())")
        #expect(Fixture.mountCount() == mounts)
        let survivors = await Fixture.leftoverChildrenAfterGrace()
        #expect(survivors.isEmpty, "left running: \(survivors)")
    }

    @Test("a file left in /tmp is gone for the next run")
    func tmpIsFreshPerRun() async throws {
        try await Fixture.requireSandbox()
        let writer = "open('/tmp/left-behind', 'w').write('secret')\nprint('written')\n"
        let reader = "import os\nprint('found' if os.path.exists('/tmp/left-behind') else 'clean')\n"
        #expect(try await Fixture.grade(writer, Fixture.stdio("written\n")).verdict == .accepted)
        #expect(try await Fixture.grade(reader, Fixture.stdio("clean\n")).verdict == .accepted)
    }

    @Test("invalid UTF-8 in the source is refused")
    func invalidUTF8() async throws {
        let report = try await Fixture.sandbox.grade(source: Data([0x70, 0x72, 0xC3, 0x28, 0x0A]), problem: Fixture.stdio(""))
        #expect(report.verdict == .refused)
        #expect(report.message?.contains("UTF-8") == true)
    }

    @Test("after every hostile program the sandbox still grades a correct answer")
    func stillServing() async throws {
        try await Fixture.requireSandbox()
        await withTaskGroup(of: Void.self) { group in
            for program in Self.programs.prefix(12) {
                group.addTask { _ = try? await Fixture.grade(program.source, program.problem) }
            }
        }
        let report = try await Fixture.grade("print(sum(map(int, input().split())))\n", Fixture.stdio("5\n", stdin: "2 3\n"))
        #expect(report.verdict == .accepted)
        #expect(await Fixture.leftoverChildrenAfterGrace().isEmpty)
    }
}
}
