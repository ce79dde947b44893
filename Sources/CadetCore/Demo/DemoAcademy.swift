/// The demo academy: the two programmes of DOMAIN.md with their published structure (capacities,
/// hours, phases, classes) and synthetic people. Pure data, generated deterministically, so the
/// loader can make a database match it and tests can check the published figures against it.
public struct DemoAcademy: Sendable {
    public static let password = "cadet-demo-2026"
    public static let emailDomain = "cadet.example"

    public let programmes: [Programme]
    /// People who can sign in with `password`, one per role.
    public let logins: [Login]

    public struct Programme: Sendable {
        public let draft: ProgrammeDraft
        public let cohorts: [Cohort]
    }

    public struct Cohort: Sendable {
        public let draft: CohortDraft
        public let phases: [PhaseDraft]
        public let classes: [TrainingClass]
        public let mentors: [Person]
        public let round: DemoRound?

        public var trainees: [Person] { classes.flatMap(\.trainees) }
    }

    public struct TrainingClass: Sendable {
        public let name: String
        public let instructor: Person
        public let assistant: Person
        public let trainees: [Person]
    }

    /// A synthetic person. Profile facts are set for trainees so that later stages (selection,
    /// completion, outcomes) can reproduce the published breakdowns from the same people.
    public struct Person: Sendable, Hashable {
        public let email: String
        public let name: String
        public let region: Region?
        public let gender: Gender?
        public let majorField: MajorField?
        public let birthDate: CalendarDate?
    }

    public struct Login: Sendable {
        public let person: Person
        public let role: Role
        /// Programme slug and, for cohort roles, cohort slug the role is granted on.
        public let programmeSlug: String?
        public let cohortSlug: String?
    }

    public static func build() -> DemoAcademy {
        var builder = DemoBuilder()
        let gwangju = builder.gwangjuAcademy()
        let kaist = builder.kaistBootcamp()
        return DemoAcademy(programmes: [gwangju, kaist], logins: builder.logins(gwangju: gwangju, kaist: kaist))
    }
}
