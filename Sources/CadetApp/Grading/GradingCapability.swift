import ArgumentParser
import Fluent
import Vapor

/// The grading queue in the database and the workers that take from it.
struct GradingCapability: Capability {
    var migrations: [any Migration] { [CreateGradingJob()] }

    func jobs(_ app: Application, settings: BackgroundSettings) -> [BackgroundJob] {
        [InProcessGrading.job(app, lanes: settings.graders)].compactMap { $0 }
    }

    var commands: [any ParsableCommand.Type] { [SandboxCommand.self, GradeWorkerCommand.self] }

    func subcommands(of group: CommandGroup) -> [any ParsableCommand.Type] {
        group == .bench ? [SandboxBench.self] : []
    }
}
