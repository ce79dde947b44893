import ArgumentParser
import Fluent
import Vapor

/// Programmes, cohorts, their phases and classes.
struct DirectoryCapability: Capability {
    var migrations: [any Migration] {
        [CreateProgramme(), CreateCohort(), CreateCohortPhase(), CreateTrainingClass(), CreateClassMember()]
    }

    func routes(_ routes: any RoutesBuilder) {
        ProgrammesController.register(routes)
        CohortsController.register(routes)
        ClassesController.register(routes)
    }

    func api(_ routes: any RoutesBuilder) {
        DirectoryAPI.register(routes)
    }

    var navigation: [NavLink] { [NavLink("/programmes", label: "nav.programmes", order: 10)] }

    var commands: [any ParsableCommand.Type] { [ProgrammeCommand.self, CohortCommand.self] }

    func loadDemo(_ demo: DemoContext, on db: any Database) async throws -> Int {
        try await DirectoryDemo(academy: demo.academy, hasher: demo.hasher).load(on: db)
    }
}
