import Vapor

/// bcrypt, always on the thread pool: a cost-12 hash takes a quarter of a second, which would
/// stall every other request on the event loop.
struct PasswordHasher: Sendable {
    let cost: Int
    let threadPool: NIOThreadPool

    init(_ application: Application) {
        self.cost = application.config.bcryptCost
        self.threadPool = application.threadPool
    }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against hash: String?) async throws -> Bool {
        // Unknown accounts are checked against a decoy hash of the same cost, so that both
        // paths take as long and the time does not tell which e-mails have accounts.
        let target: String
        if let hash { target = hash } else { target = try await decoy() }
        let matches = try await threadPool.runIfActive { try Bcrypt.verify(password, created: target) }
        return hash != nil && matches
    }

    private func decoy() async throws -> String {
        if let known = PasswordHasher.decoys.withLock({ $0[cost] }) { return known }
        let made = try await self.hash(Tokens.random())
        PasswordHasher.decoys.withLock { $0[cost] = made }
        return made
    }

    private static let decoys = Mutex<[Int: String]>([:])
}

import Synchronization
