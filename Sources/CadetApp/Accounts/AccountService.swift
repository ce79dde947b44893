import CadetCore
import Fluent
import Vapor

/// Sign-up, sign-in and password changes, shared by the pages and the command line.
struct AccountService {
    let database: any Database
    let hasher: PasswordHasher

    init(_ request: Request) {
        database = request.db
        hasher = PasswordHasher(request.application)
    }

    init(database: any Database, hasher: PasswordHasher) {
        self.database = database
        self.hasher = hasher
    }

    func signUp(_ values: [String: String], actor: Actor) async throws -> User {
        let draft = try AccountDraft.parse(values)
        if try await User.query(on: database).filter(\.$email == draft.email).first() != nil {
            throw ValidationFailure([FieldIssue("email", .alreadyTaken)])
        }
        let user = User(email: draft.email, name: draft.name, passwordHash: try await hasher.hash(draft.password))
        try await database.transaction { db in
            try await user.create(on: db)
            try await AuditLog.record(AuditEntry(action: "user.sign_up", entityType: "user", entityID: user.id,
                                                 summary: draft.email, after: PersonSnapshot(user)),
                                      by: Actor(userID: user.id, label: draft.email, requestID: actor.requestID), on: db)
        }
        return user
    }

    /// Checks the password, with throttling per account and per address. The same refusal is
    /// given for an unknown e-mail and a wrong password.
    func signIn(email rawEmail: String, password: String, address: String) async throws -> User {
        let email = EmailAddress.normalise(rawEmail)
        let keys = [("account:\(email)", SignInThrottle.perAccount), ("address:\(address)", SignInThrottle.perAddress)]
        if let remaining = try await ThrottleStore.remainingLock(keys: keys, on: database) {
            throw AccountError.throttled(minutes: Int((remaining / 60).rounded(.up)))
        }
        let user = try await User.query(on: database).filter(\.$email == email).first()
        guard try await hasher.verify(password, against: user?.passwordHash), let user else {
            try await ThrottleStore.recordFailure(keys: keys, on: database)
            throw AccountError.invalidCredentials
        }
        try await ThrottleStore.clear(key: "account:\(email)", on: database)
        return user
    }

    /// Changes the password and signs out every other browser (`keeping` is the current session).
    func changePassword(of userID: UUID, keeping sessionID: UUID, values: [String: String], actor: Actor) async throws {
        guard let user = try await User.find(userID, on: database) else { throw AccessError.signInRequired }
        guard try await hasher.verify(values["current_password"] ?? "", against: user.passwordHash) else {
            throw AccountError.wrongCurrentPassword
        }
        var reader = FieldReader(values)
        let password = AccountDraft.readNewPassword(&reader, values: values)
        try reader.check()
        user.passwordHash = try await hasher.hash(password!)
        try await database.transaction { db in
            try await user.update(on: db)
            try await UserSession.query(on: db).filter(\.$user.$id == userID).filter(\.$id != sessionID).delete()
            try await AuditLog.record(AuditEntry(action: "user.password_changed", entityType: "user", entityID: userID,
                                                 summary: user.email), by: actor, on: db)
        }
    }
}

/// What the audit log keeps of a person: never the password hash.
struct PersonSnapshot: Codable, Sendable {
    let email: String
    let name: String

    init(_ user: User) {
        email = user.email
        name = user.name
    }
}
