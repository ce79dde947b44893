import ArgumentParser
import Fluent
import Vapor

/// Every capability, in the order their migrations and demo data depend on one another. Adding
/// a capability is one line here and a folder of its own.
enum Capabilities {
    static let all: [any Capability] = [
        PlatformCapability(),
        AccountsCapability(),
        DirectoryCapability(),
        PeopleCapability(),
        AuditCapability(),
        GradingCapability(),
        RecruitmentCapability(),
        SelectionCapability(),
        ExamsCapability(),
        TrainingCapability(),
        CompletionCapability(),
        // After careers: corporate projects come from its partner companies.
        CareersCapability(),
        ProjectsCapability(),
        APICapability(),
    ]

    static var migrations: [any Migration] { all.flatMap(\.migrations) }

    static let cohortLinks: [CohortLink] = all.flatMap(\.cohortLinks).sorted { $0.order < $1.order }
    static let programmeLinks: [CohortLink] = all.flatMap(\.programmeLinks).sorted { $0.order < $1.order }

    static func subcommands(of group: CommandGroup) -> [any ParsableCommand.Type] {
        all.flatMap { $0.subcommands(of: group) }
    }
}

/// Health, metrics, assets, the home page and the settings table.
struct PlatformCapability: Capability {
    var migrations: [any Migration] { [CreateAppSetting()] }

    func routes(_ routes: any RoutesBuilder) {
        HomeController.register(routes)
        PlatformController.register(routes)
    }

    var navigation: [NavLink] { [NavLink("/", label: "nav.home", order: 0)] }
}
