/// What someone may do, decided from their grants alone. Every route asks this before it reads
/// or writes a record, so the whole rule book lives here and is tested here.
public enum Permission: String, CaseIterable, Sendable {
    case createProgramme
    case viewProgramme
    case manageProgramme
    case viewCohort
    case manageCohort
    /// The people of a cohort: its classes, trainees and staff.
    case viewRoster
    case grantRoles
    case viewAudit
    case viewOutbox
    case viewPeople

    /// Roles that hold this permission wherever their grant reaches.
    var roles: Set<Role> {
        switch self {
        case .createProgramme, .viewOutbox: [.operator]
        case .manageProgramme, .manageCohort, .grantRoles, .viewAudit, .viewPeople: [.operator, .programmeStaff]
        case .viewRoster: [.operator, .programmeStaff, .instructor, .teachingAssistant]
        case .viewProgramme, .viewCohort: Set(Role.allCases)
        }
    }
}

public struct AccessPolicy: Sendable {
    public let grants: [Grant]

    public init(grants: [Grant]) {
        self.grants = grants
    }

    public var isOperator: Bool {
        grants.contains { $0.role == .operator && $0.scope == .academy }
    }

    public func allows(_ permission: Permission, in target: Scope) -> Bool {
        let roles = permission.roles
        // Seeing a programme needs only some role inside it; everything else needs a grant that
        // covers the whole target.
        let reaches: (Scope) -> Bool = permission == .viewProgramme ? { $0.touches(target) } : { $0.covers(target) }
        return grants.contains { roles.contains($0.role) && reaches($0.scope) }
    }

    /// Whether this person may give (or take away) `role` at `scope`. Nobody hands out more than
    /// they hold: only operators make operators, programme staff work inside their programme.
    public func mayGrant(_ role: Role, at scope: Scope) -> Bool {
        if role.allowsGlobalScope != (scope == .academy) { return false }
        if isOperator { return true }
        guard role != .operator, scope != .academy else { return false }
        return allows(.grantRoles, in: scope)
    }

    /// Programmes this person may see, or nil when they may see all of them.
    public var visibleProgrammes: Set<ProgrammeID>? {
        if isOperator { return nil }
        return Set(grants.compactMap(\.scope.programmeID))
    }

    /// Cohorts this person may see within one programme, or nil when they may see all of them.
    public func visibleCohorts(in programme: ProgrammeID) -> Set<CohortID>? {
        if allows(.viewCohort, in: .programme(programme)) { return nil }
        return Set(grants.compactMap { grant in
            grant.scope.programmeID == programme ? grant.scope.cohortID : nil
        })
    }

    /// Programmes where this person may list and manage people.
    public var staffedProgrammes: Set<ProgrammeID>? {
        if isOperator { return nil }
        return Set(grants.filter { $0.role == .programmeStaff }.compactMap(\.scope.programmeID))
    }
}
