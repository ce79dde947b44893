import CadetCore
import Fluent
import Foundation

enum PeopleQueries {
    struct Page {
        let rows: [DirectoryViews.PersonRow]
        let hasMore: Bool
    }

    static func list(visibleTo policy: AccessPolicy, search: String, page: Int, size: Int, on db: any Database) async throws -> Page {
        var query = User.query(on: db).sort(\.$name).sort(\.$email)
        if let staffed = policy.staffedProgrammes {
            let ids = try await RoleGrant.query(on: db).filter(\.$programme.$id ~~ staffed.map(\.uuid)).all().map(\.$user.id)
            if ids.isEmpty { return Page(rows: [], hasMore: false) }
            query = query.filter(\.$id ~~ Set(ids))
        }
        if !search.isEmpty {
            let pattern = search.lowercased()
            query = query.group(.or) { $0.filter(\.$name ~~ search).filter(\.$email ~~ pattern) }
        }
        let users = try await query.offset(PageNumber(value: page).offset(size: size)).limit(size + 1).all()
        return Page(rows: users.prefix(size).map { DirectoryViews.PersonRow($0) }, hasMore: users.count > size)
    }

    struct GrantRow: Encodable {
        let id: UUID
        let role: String
        let scope: String
        let canRevoke: Bool
    }

    static func grantRows(of userID: UUID, viewer: AccessPolicy, _ t: Localizer, on db: any Database) async throws -> [GrantRow] {
        let grants = try await RoleGrant.query(on: db).filter(\.$user.$id == userID).with(\.$programme).with(\.$cohort).all()
        return grants.compactMap { row in
            guard let grant = row.grant else { return nil }
            let scope: String
            switch grant.scope {
            case .academy: scope = t("scope.academy")
            case .programme: scope = row.programme?.name ?? ""
            case .cohort: scope = "\(row.programme?.name ?? "") · \(row.cohort?.name ?? "")"
            }
            return GrantRow(id: row.id!, role: t("role.\(row.role)"), scope: scope, canRevoke: viewer.mayGrant(grant.role, at: grant.scope))
        }.sorted { ($0.scope, $0.role) < ($1.scope, $1.role) }
    }
}
