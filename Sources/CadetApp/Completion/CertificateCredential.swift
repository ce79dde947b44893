import CadetCore
import Crypto
import Fluent
import JWT
import Vapor

/// Each certificate as an Open Badges 3.0 credential (a W3C Verifiable Credential) in the JWT
/// proof format (OB 3.0 §8.2): an ES256 JWT whose `vc` claim is the OpenBadgeCredential. The
/// key pair is derived from the academy's secret, so every process signs alike with nothing
/// more to store or back up; its public half is published at /.well-known/jwks.json.
enum CertificateCredential {
    struct Payload: JWTPayload {
        let iss: String
        let sub: String
        let jti: String
        let nbf: Int
        let vc: Credential

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    struct Credential: Codable, Sendable {
        enum CodingKeys: String, CodingKey { case context = "@context", id, type, issuer, issuanceDate, name, credentialSubject }
        let context: [String]
        let id: String
        let type: [String]
        let issuer: Profile
        let issuanceDate: String
        let name: String
        let credentialSubject: Subject
    }

    struct Profile: Codable, Sendable { let id: String; let type: [String]; let name: String }

    struct Subject: Codable, Sendable {
        let id: String
        let type: [String]
        let achievement: Achievement
    }

    struct Achievement: Codable, Sendable {
        let id: String
        let type: [String]
        let achievementType: String
        let name: String
        let description: String
        let criteria: Criteria
    }

    struct Criteria: Codable, Sendable { let narrative: String }

    static func privateKey(secret: String) throws -> ES256PrivateKey {
        let seed = HMAC<SHA256>.authenticationCode(for: Data("cadet-credential-key-es256".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return try ES256PrivateKey(backing: P256.Signing.PrivateKey(rawRepresentation: Data(seed)))
    }

    /// A short, stable name for the key (the start of its public x coordinate's hash).
    static func keyID(_ key: ES256PrivateKey) -> String {
        let x = key.publicKey.parameters?.x ?? ""
        return String(SHA256.hash(data: Data(x.utf8)).map { String(format: "%02x", $0) }.joined().prefix(16))
    }

    static func sign(_ certificate: Certificate, on req: Request) async throws -> String {
        try await sign(certificate, app: req.application, on: req.db)
    }

    static func sign(_ certificate: Certificate, app: Application, on db: any Database) async throws -> String {
        let cohort = try await certificate.$cohort.get(on: db)
        let programme = try await cohort.$programme.get(on: db)
        let run = try await certificate.$run.get(on: db)
        let rules = try await CompletionRuleVersion.query(on: db).filter(\.$cohort.$id == cohort.requireID())
            .filter(\.$version <= run.rulesVersion).sort(\.$version, .descending).first()?.rules ?? CompletionRules()
        let key = try privateKey(secret: try await app.secrets.key(on: db))
        let base = app.config.publicURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let verify = CertificateService.verifyURL(certificate.serial, publicURL: app.config.publicURL)
        let issued = ISO8601DateFormatter().string(from: certificate.issuedAt)
        let en = Localizer(locale: .english, timeZone: app.config.timeZone)
        let percent = String(Int((rules.attendanceShare * 100).rounded()))
        let payload = Payload(
            iss: base, sub: "urn:uuid:\(certificate.$trainee.id.uuidString.lowercased())", jti: verify, nbf: Int(certificate.issuedAt.timeIntervalSince1970),
            vc: Credential(
                context: ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
                id: verify, type: ["VerifiableCredential", "OpenBadgeCredential"],
                issuer: Profile(id: base, type: ["Profile"], name: programme.name), issuanceDate: issued,
                name: "\(en("certificate.title")): \(programme.name) · \(cohort.name)",
                credentialSubject: Subject(
                    id: "urn:uuid:\(certificate.$trainee.id.uuidString.lowercased())", type: ["AchievementSubject"],
                    achievement: Achievement(
                        id: "\(base)/programmes/\(programme.slug)/cohorts/\(cohort.slug)", type: ["Achievement"], achievementType: "Certificate",
                        name: "\(programme.name) · \(cohort.name)",
                        description: en("certificate.credential_description", ["hours": String(certificate.hours), "first": cohort.startsOn, "last": cohort.endsOn]),
                        criteria: Criteria(narrative: en("certificate.credential_criteria", ["percent": percent, "hours": String(certificate.hours)]))))))
        let keys = JWTKeyCollection()
        let kid = JWKIdentifier(string: keyID(key))
        await keys.add(ecdsa: key, kid: kid)
        var header = JWTHeader()
        header.typ = "JWT"
        return try await keys.sign(payload, kid: kid, header: header)
    }

    /// The public key set a verifier fetches.
    static func jwks(secret: String) throws -> Data {
        let key = try privateKey(secret: secret)
        guard let (x, y) = key.publicKey.parameters else { throw Abort(.internalServerError) }
        let set = ["keys": [["kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": keyID(key), "use": "sig", "alg": "ES256"]]]
        return try JSONSerialization.data(withJSONObject: set, options: [.sortedKeys])
    }
}
