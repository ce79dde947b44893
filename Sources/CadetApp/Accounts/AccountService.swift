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

    /// Creates an unverified account and mails a verification link; for an address that already
    /// has an account, creates nothing and mails its owner a password link instead. Both take as
    /// long and answer alike, so the form does not tell anyone which addresses have accounts.
    func signUp(_ values: [String: String], verification: EmailVerification, localizer t: Localizer, actor: Actor) async throws -> AccountDraft {
        let draft = try AccountDraft.parse(values)
        let hash = try await hasher.hash(draft.password)
        if let existing = try await User.query(on: database).filter(\.$email == draft.email).first() {
            try await PasswordResetService(database: database, hasher: nil, publicURL: verification.publicURL)
                .requestLink(email: existing.email, purpose: .existingAccount, localizer: t, actor: actor)
            return draft
        }
        let user = User(email: draft.email, name: draft.name, passwordHash: hash)
        do {
            try await database.transaction { db in
                try await user.create(on: db)
                try await AuditLog.record(AuditEntry(action: "user.sign_up", entityType: "user", entityID: user.id,
                                                     summary: draft.email, after: PersonSnapshot(user)),
                                          by: Actor(userID: user.id, label: draft.email, requestID: actor.requestID), on: db)
                try await EmailVerification(database: db, secret: verification.secret, publicURL: verification.publicURL).send(to: user, localizer: t)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The same address signed up at the same moment; the first one made the account.
        }
        return draft
    }

    /// Checks the password, with throttling. A browser that signed in to this account before
    /// (`device`, a signed cookie) is counted on its own, so that no one can lock the owner out
    /// by failing on purpose; other browsers are counted per account and per address. The same
    /// refusal is given for an unknown e-mail and a wrong password.
    func signIn(email rawEmail: String, password: String, address: String, device: String?, secret: String) async throws -> User {
        var email = EmailAddress.normalise(rawEmail)
        // An address no account could have is never looked up (a NUL would reach the database).
        if !EmailAddress.isPlausible(email) { email = "(not an address)" }
        let user = try await User.query(on: database).filter(\.$email == email).first()
        let knownDevice = device.flatMap { token in
            user.flatMap { SignedToken.open(token, .knownDevice, secret: secret) == $0.id?.uuidString ? Tokens.sha256(token) : nil }
        }
        let keys = knownDevice.map { [("device:\($0)", AttemptThrottle.perDevice)] }
            ?? [("account:\(email)", AttemptThrottle.perAccount), ("address:\(address)", AttemptThrottle.perAddress)]
        if let remaining = try await ThrottleStore.remainingLock(keys: keys, on: database) {
            throw AccountError.throttled(minutes: Int((remaining / 60).rounded(.up)))
        }
        guard try await hasher.verify(password, against: user?.passwordHash), let user else {
            try await ThrottleStore.recordFailure(keys: keys, on: database)
            throw AccountError.invalidCredentials
        }
        try await ThrottleStore.clear(key: keys[0].0, on: database)
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
            SessionMiddleware.recent.forget(user: userID, keeping: sessionID)
            try await PasswordResetService.invalidateLinks(of: userID, on: db)
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
