import ArgumentParser
import CadetCore
import Fluent
import Vapor

/// A part of Cadet (accounts, recruitment, training, …) that brings, from its own folder,
/// everything the application needs to know about it: its migrations, pages, API operations and
/// their OpenAPI description, navigation links, background jobs, commands and demo data. Its
/// texts come from `Resources/i18n/<name>.json` and its permissions are `Permission` constants
/// declared beside its domain types. `Capabilities.all` is the only list that names them.
protocol Capability: Sendable {
    /// Migrations in the order they were written; append only.
    var migrations: [any Migration] { get }
    /// Pages and form posts.
    func routes(_ routes: any RoutesBuilder)
    /// Operations under /api/v1 (`routes` is already behind token authentication); each must be
    /// described in `Resources/openapi/<name>.json`.
    func api(_ routes: any RoutesBuilder)
    /// Links in the top navigation, shown to those `NavLink.visible` lets see them.
    var navigation: [NavLink] { get }
    /// Its pages about one cohort, linked from the cohort's page for those allowed there.
    var cohortLinks: [CohortLink] { get }
    /// Its pages about a whole programme (`/programmes/P/<path>`), linked from the programme's page.
    var programmeLinks: [CohortLink] { get }
    /// Work a serving process does besides answering requests.
    func jobs(_ app: Application, settings: BackgroundSettings) -> [BackgroundJob]
    /// `cadet` subcommands of its own.
    var commands: [any ParsableCommand.Type] { get }
    /// Subcommands it adds to the shared groups `cadet report`, `cadet import`, `cadet bench`.
    func subcommands(of group: CommandGroup) -> [any ParsableCommand.Type]
    /// Puts this capability's share of the demo academy into the database (idempotently) and
    /// returns how many records it created.
    func loadDemo(_ demo: DemoContext, on db: any Database) async throws -> Int
}

extension Capability {
    var migrations: [any Migration] { [] }
    func routes(_ routes: any RoutesBuilder) {}
    func api(_ routes: any RoutesBuilder) {}
    var navigation: [NavLink] { [] }
    var cohortLinks: [CohortLink] { [] }
    var programmeLinks: [CohortLink] { [] }
    func jobs(_ app: Application, settings: BackgroundSettings) -> [BackgroundJob] { [] }
    var commands: [any ParsableCommand.Type] { [] }
    func subcommands(of group: CommandGroup) -> [any ParsableCommand.Type] { [] }
    func loadDemo(_ demo: DemoContext, on db: any Database) async throws -> Int { 0 }
}

/// The `cadet` commands that several capabilities add to.
enum CommandGroup: Sendable {
    case report, `import`, bench
}

/// A link in the top navigation.
struct NavLink: Sendable {
    let href: String
    /// A catalogue key.
    let label: String
    /// Where it stands among all links: smaller is further left.
    let order: Int
    /// Whether this person (nil: not signed in) sees the link.
    let visible: @Sendable (CurrentUser?) -> Bool

    init(_ href: String, label: String, order: Int, visible: @escaping @Sendable (CurrentUser?) -> Bool = { $0 != nil }) {
        self.href = href
        self.label = label
        self.order = order
        self.visible = visible
    }
}

/// A capability's page about one cohort (`/programmes/P/cohorts/C/<path>`) or, among
/// `programmeLinks`, about a programme (`/programmes/P/<path>`).
struct CohortLink: Sendable {
    let path: String
    /// A catalogue key.
    let label: String
    let order: Int
    /// Who sees the link (the page itself checks again).
    let permission: Permission
}

/// How much background work this process takes on.
struct BackgroundSettings: Sendable {
    /// Grading lanes in this process (0: leave grading to `cadet grade-worker`).
    var graders: Int
}
