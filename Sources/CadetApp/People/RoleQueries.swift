import CadetCore
import Fluent
import Foundation

enum RoleQueries {
    static func grants(of userID: UUID, on database: any Database) async throws -> [Grant] {
        try await RoleGrant.query(on: database)
            .filter(\.$user.$id == userID)
            .all()
            .compactMap(\.grant)
    }
}
