import CadetCore
import Fluent
import Foundation

/// Adding people by hand and granting their roles.
struct PeopleService {
    let database: any Database
    let actor: Actor

    /// Creates a person without a password; they get an invitation to set one.
    func create(_ values: [String: String]) async throws -> User {
        let draft = try PersonDraft.parse(values)
        if try await User.query(on: database).filter(\.$email == draft.email).first() != nil {
            throw ValidationFailure([FieldIssue("email", .alreadyTaken)])
        }
        let user = User(email: draft.email, name: draft.name)
        try await database.transaction { db in
            try await user.create(on: db)
            try await AuditLog.record(AuditEntry(action: "user.created", entityType: "user", entityID: user.id, summary: draft.email,
                                                 after: PersonSnapshot(user)), by: actor, on: db)
        }
        return user
    }
}

/// The places a role can be granted, as the grant form lists them.
struct ScopeChoice: Encodable {
    let value: String
    let label: String

    /// Everything `policy` may grant at, most general first.
    static func choices(for policy: AccessPolicy, _ t: Localizer, on db: any Database) async throws -> [ScopeChoice] {
        var choices: [ScopeChoice] = []
        if policy.isOperator { choices.append(ScopeChoice(value: "academy", label: t("scope.academy"))) }
        var programmes = Programme.query(on: db).sort(\.$name)
        if let staffed = policy.staffedProgrammes {
            if staffed.isEmpty { return choices }
            programmes = programmes.filter(\.$id ~~ staffed.map(\.uuid))
        }
        for programme in try await programmes.all() {
            choices.append(ScopeChoice(value: "programme:\(programme.id!.uuidString.lowercased())", label: programme.name))
            for cohort in try await Cohort.query(on: db).filter(\.$programme.$id == programme.id!).sort(\.$startsOn).all() {
                choices.append(ScopeChoice(value: "cohort:\(cohort.id!.uuidString.lowercased())", label: "\(programme.name) · \(cohort.name)"))
            }
        }
        return choices
    }

    /// The scope a form value names, checked against the database.
    static func parse(_ value: String?, on db: any Database) async throws -> Scope? {
        guard let value else { return nil }
        if value == "academy" { return .academy }
        let parts = value.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let id = UUID(uuidString: String(parts[1])) else { return nil }
        switch parts[0] {
        case "programme":
            return try await Programme.find(id, on: db).map { _ in .programme(ProgrammeID(id)) }
        case "cohort":
            return try await Cohort.find(id, on: db).map { .cohort(CohortID(id), in: ProgrammeID($0.$programme.id)) }
        default:
            return nil
        }
    }
}
