import Fluent
import NIOConcurrencyHelpers
import Vapor

/// The key that signs CSRF tokens: CADET_SECRET when set, otherwise a random key created once
/// and kept in the database, so every instance of one academy signs alike with no set-up.
final class SecretStore: Sendable {
    static let settingKey = "csrf_secret"
    private let cached: NIOLockedValueBox<String?>

    init(configured: String?) {
        cached = NIOLockedValueBox(configured)
    }

    func key(on database: any Database) async throws -> String {
        if let key = cached.withLockedValue({ $0 }) { return key }
        let key = try await Self.loadOrCreate(on: database)
        cached.withLockedValue { $0 = key }
        return key
    }

    static func loadOrCreate(on database: any Database) async throws -> String {
        if let existing = try await AppSetting.query(on: database).filter(\.$key == settingKey).first() {
            return existing.value
        }
        do {
            try await AppSetting(key: settingKey, value: Tokens.random() + Tokens.random()).create(on: database)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Another instance created it first; theirs is the one.
        }
        guard let stored = try await AppSetting.query(on: database).filter(\.$key == settingKey).first() else {
            throw PlatformError.unavailable
        }
        return stored.value
    }
}

extension Application {
    private struct SecretKey: StorageKey { typealias Value = SecretStore }

    var secrets: SecretStore {
        get { storage[SecretKey.self]! }
        set { storage[SecretKey.self] = newValue }
    }
}
