/// Something someone may do, and the roles that may do it wherever their grant reaches. Each
/// capability declares its own permissions beside its domain types (`Permission+Directory`,
/// `Permission+Training`, …), so adding one edits no central list; every route asks
/// `AccessPolicy.allows` before it reads or writes a record.
public struct Permission: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let roles: Set<Role>
    /// Seeing a programme needs only some role inside it (`touches`); everything else needs a
    /// grant that covers the whole target.
    public let reachesFromInside: Bool

    public init(_ name: String, roles: Set<Role>, reachesFromInside: Bool = false) {
        self.name = name
        self.roles = roles
        self.reachesFromInside = reachesFromInside
    }

    public var description: String { name }

    public static func == (lhs: Permission, rhs: Permission) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// Operators and the staff of a programme.
    public static let staff: Set<Role> = [.operator, .programmeStaff]
    /// Staff and the people who teach a cohort's classes.
    public static let teaching: Set<Role> = [.operator, .programmeStaff, .instructor, .teachingAssistant]
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
        let reaches: (Scope) -> Bool = permission.reachesFromInside ? { $0.touches(target) } : { $0.covers(target) }
        return grants.contains { roles.contains($0.role) && reaches($0.scope) }
    }

    /// The same grants narrowed to `scope`: what an API token limited to a programme or cohort
    /// may do on its holder's behalf. A grant wider than the scope shrinks to it (an operator's
    /// becomes staff of that programme or cohort); a narrower one inside it stays; any other is
    /// dropped.
    public func restricted(to scope: Scope) -> AccessPolicy {
        AccessPolicy(grants: grants.compactMap { grant in
            if grant.scope.covers(scope) {
                return Grant(grant.role == .operator && scope != .academy ? .programmeStaff : grant.role, scope)
            }
            if scope.covers(grant.scope) { return grant }
            return nil
        })
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
