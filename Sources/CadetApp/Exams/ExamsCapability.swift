import ArgumentParser
import Fluent
import Vapor

/// The online admission test: set-up, papers, taking it, marking, monitoring and results.
struct ExamsCapability: Capability {
    var migrations: [any Migration] {
        [CreateExam(), CreateExamAttempt(), CreateExamAnswer(), CreateExamEvent(), AddGradingJobReference()]
    }

    func routes(_ routes: any RoutesBuilder) {
        ExamSetupController.register(routes)
        ExamTakerController.register(routes)
    }

    func api(_ routes: any RoutesBuilder) {
        ExamResultsAPI.register(routes)
    }

    var navigation: [NavLink] { [NavLink("/exams", label: "nav.exams", order: 40)] }

    func jobs(_ app: Application, settings: BackgroundSettings) -> [BackgroundJob] {
        [ExamSweeper.job(app)]
    }

    func subcommands(of group: CommandGroup) -> [any ParsableCommand.Type] {
        group == .bench ? [ExamBench.self] : []
    }
}
