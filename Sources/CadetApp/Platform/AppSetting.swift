import Fluent
import Foundation

/// Values the app instances share through the database, such as the generated signing secret.
final class AppSetting: Model, @unchecked Sendable {
    static let schema = "app_settings"

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "value") var value: String

    init() {}

    init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

struct CreateAppSetting: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AppSetting.schema)
            .id()
            .field("key", .string, .required)
            .field("value", .string, .required)
            .unique(on: "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AppSetting.schema).delete()
    }
}
