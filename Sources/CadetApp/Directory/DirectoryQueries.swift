import CadetCore
import Fluent
import Foundation

/// Reads for the directory pages, already narrowed to what the reader may see.
enum DirectoryQueries {
    static func programmeRows(visibleTo policy: AccessPolicy, on db: any Database) async throws -> [DirectoryViews.ProgrammeRow] {
        var query = Programme.query(on: db).sort(\.$name)
        if let visible = policy.visibleProgrammes {
            if visible.isEmpty { return [] }
            query = query.filter(\.$id ~~ visible.map(\.uuid))
        }
        let programmes = try await query.all()
        var rows: [DirectoryViews.ProgrammeRow] = []
        for programme in programmes {
            let ref = DirectoryLookup.ProgrammeRef(programme: programme, id: programme.id!)
            let count = try await visibleCohorts(of: ref, policy: policy, on: db).count
            rows.append(.init(programme, cohortCount: count))
        }
        return rows
    }

    static func visibleCohorts(of ref: DirectoryLookup.ProgrammeRef, policy: AccessPolicy, on db: any Database) async throws -> [Cohort] {
        var query = Cohort.query(on: db).filter(\.$programme.$id == ref.id).sort(\.$startsOn)
        if let visible = policy.visibleCohorts(in: ProgrammeID(ref.id)) {
            if visible.isEmpty { return [] }
            query = query.filter(\.$id ~~ visible.map(\.uuid))
        }
        return try await query.all()
    }

    static func cohortRows(of ref: DirectoryLookup.ProgrammeRef, visibleTo policy: AccessPolicy, on db: any Database) async throws -> [DirectoryViews.CohortRow] {
        let cohorts = try await visibleCohorts(of: ref, policy: policy, on: db)
        var rows: [DirectoryViews.CohortRow] = []
        for cohort in cohorts {
            let classes = try await TrainingClass.query(on: db).filter(\.$cohort.$id == cohort.id!).count()
            rows.append(.init(cohort, programmeSlug: ref.programme.slug, classCount: classes))
        }
        return rows
    }

    static func phases(of cohortID: UUID, on db: any Database) async throws -> [DirectoryViews.PhaseRow] {
        try await CohortPhase.query(on: db).filter(\.$cohort.$id == cohortID).sort(\.$position).all().map {
            .init(id: $0.id!, position: $0.position, name: $0.name, hours: $0.hours)
        }
    }

    static func classRows(of ref: DirectoryLookup.CohortRef, on db: any Database) async throws -> [DirectoryViews.ClassRow] {
        let classes = try await TrainingClass.query(on: db).filter(\.$cohort.$id == ref.id).with(\.$instructor).with(\.$assistant).all()
        var rows: [DirectoryViews.ClassRow] = []
        for c in classes.sorted(by: { $0.name.localizedStandardCompare($1.name) == .orderedAscending }) {
            let count = try await ClassMember.query(on: db).filter(\.$trainingClass.$id == c.id!).count()
            rows.append(.init(id: c.id!, name: c.name, href: "/programmes/\(ref.programme.slug)/cohorts/\(ref.cohort.slug)/classes/\(c.id!.uuidString.lowercased())",
                              instructor: c.instructor?.name, instructorEmail: c.instructor?.email,
                              assistant: c.assistant?.name, assistantEmail: c.assistant?.email, traineeCount: count))
        }
        return rows
    }

    static func trainees(of classID: UUID, on db: any Database) async throws -> [DirectoryViews.PersonRow] {
        try await ClassMember.query(on: db).filter(\.$trainingClass.$id == classID).with(\.$user).all()
            .map(\.user).sorted { $0.name < $1.name }.map { DirectoryViews.PersonRow($0) }
    }

    /// Everyone holding a role on the cohort or its programme, with their roles.
    static func roster(of ref: DirectoryLookup.CohortRef, _ t: Localizer, on db: any Database) async throws -> [DirectoryViews.PersonRow] {
        let keys = [RoleGrant.key(for: ref.scope), RoleGrant.key(for: .programme(ProgrammeID(ref.cohort.$programme.id)))]
        let grants = try await RoleGrant.query(on: db).filter(\.$scopeKey ~~ keys).filter(\.$role != Role.trainee.rawValue).with(\.$user).all()
        var byPerson: [UUID: (User, [String])] = [:]
        for grant in grants {
            byPerson[grant.$user.id, default: (grant.user, [])].1.append(t("role.\(grant.role)"))
        }
        return byPerson.values.sorted { $0.0.name < $1.0.name }.map { DirectoryViews.PersonRow($0.0, detail: $0.1.sorted().joined(separator: ", ")) }
    }
}
