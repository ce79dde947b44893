import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

@Suite("Completion: runs with reasons, overrides, certificates anyone can verify")
struct CompletionTests {
    static let base = "/programmes/alpha/cohorts/a1"

    /// The seed's trainee with ten past days (eight present, two absent: exactly 80%) and
    /// nothing left to hold, so a run can decide.
    static func finishedTraining(_ app: Application) async throws -> Seed {
        let seed = try await Seed.plant(in: app)
        try await seed.alphaSession.delete(on: app.db)
        try await TrainingLedgerTests.history(seed, app, Array(repeating: .present, count: 8) + [.absent, .absent])
        return seed
    }

    static func row(_ page: String, _ email: String) -> String {
        guard let start = page.range(of: "data-trainee=\"\(email)\"") else { return "" }
        let rest = page[start.upperBound...]
        return String(rest[..<(rest.range(of: "</tr>")?.lowerBound ?? rest.endIndex)])
    }

    @Test("a run judges each trainee with the numbers behind every rule; an override needs a reason and shows on the next run as a change")
    func runAndOverride() async throws {
        try await TestApp.withApp { app in
            let seed = try await Self.finishedTraining(app)
            let staff = try await seed.browser(.staff, app: app)
            staff.acceptLanguage = "en"
            #expect(try await staff.get(Self.base + "/completion").text.contains("has not been run"))
            let first = try await staff.post(Self.base + "/completion/run")
            #expect(first.status == .ok)
            let row = Self.row(first.text, Seed.Who.trainee.email)
            #expect(row.contains("data-outcome=\"completed\"") && row.contains("64 / 80") && row.contains("80.0% of 80.0% needed"))
            #expect(first.text.contains("→ Completed"))

            let trainee = seed.users[.trainee]!.id!.uuidString.lowercased()
            let refused = try await staff.post(Self.base + "/completion/trainees/\(trainee)/override", ["outcome": "not_completed", "reason": ""])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("Reason"))
            #expect(try await CompletionOverrideRecord.query(on: app.db).count() == 0)
            let saved = try await staff.post(Self.base + "/completion/trainees/\(trainee)/override", ["outcome": "not_completed", "reason": "Assignments missing"])
            #expect(saved.status == .seeOther)
            let second = try await staff.post(Self.base + "/completion/run")
            #expect(second.text.contains("\(Seed.Who.trainee.rawValue)") || second.text.contains(seed.users[.trainee]!.name))
            #expect(second.text.contains("Completed → Not completed"))
            let overridden = Self.row(second.text, Seed.Who.trainee.email)
            #expect(overridden.contains("data-outcome=\"not_completed\"") && overridden.contains("The rules said: Completed") && overridden.contains("Assignments missing"))
            let audit = try await AuditEvent.query(on: app.db).filter(\.$action == "completion.overridden").all()
            #expect(audit.count == 1 && audit[0].summary.contains("Assignments missing"))
            #expect(try await CompletionRun.query(on: app.db).count() == 2)
            let third = try await staff.post(Self.base + "/completion/run")
            #expect(third.text.contains("No outcome changed"))
        }
    }

    @Test("a departure decides the outcome; a stricter rule version turns a completer into a non-completer")
    func departuresAndRules() async throws {
        try await TestApp.withApp { app in
            let seed = try await Self.finishedTraining(app)
            let staff = try await seed.browser(.staff, app: app)
            let trainee = seed.users[.trainee]!.id!.uuidString.lowercased()
            let bad = try await staff.post(Self.base + "/completion/trainees/\(trainee)/departure", ["kind": "dropped", "day": "2020-02-30", "reason": "Took a job"])
            #expect(bad.status == .unprocessableEntity)
            #expect(try await TraineeDeparture.query(on: app.db).count() == 0)
            #expect(try await staff.post(Self.base + "/completion/trainees/\(trainee)/departure", ["kind": "dropped", "day": "2020-09-01", "reason": "Took a job"]).status == .seeOther)
            #expect(Self.row(try await staff.post(Self.base + "/completion/run").text, Seed.Who.trainee.email).contains("data-outcome=\"dropped\""))
            #expect(try await staff.post(Self.base + "/completion/trainees/\(trainee)/departure", ["kind": "none", "reason": "Recorded in error"]).status == .seeOther)
            #expect(try await staff.post(Self.base + "/completion/rules", ["attendance_percent": "90", "minimum_hours": "", "signatories": "총장 President"]).status == .seeOther)
            #expect(try await staff.post(Self.base + "/completion/rules", ["attendance_percent": "0"]).status == .unprocessableEntity)
            let run = try await staff.post(Self.base + "/completion/run")
            #expect(Self.row(run.text, Seed.Who.trainee.email).contains("data-outcome=\"not_completed\""))
            #expect(try await CompletionService.latestRun(of: seed.alphaCohort.id!, on: app.db)?.rulesVersion == 1)
        }
    }

    @Test("those who teach see the run but cannot change it; trainees and other programmes' staff see nothing; another cohort's trainee is not found")
    func access() async throws {
        try await TestApp.withApp { app in
            let seed = try await Self.finishedTraining(app)
            let instructor = try await seed.browser(.instructor, app: app)
            #expect(try await instructor.get(Self.base + "/completion").status == .ok)
            // The cohort's page links each capability's pages to whoever may open them.
            let taught = try await instructor.get(Self.base).text
            #expect(taught.contains("href=\"\(Self.base)/ledger\"") && taught.contains("href=\"\(Self.base)/completion\"") && !taught.contains("\(Self.base)/settlement"))
            let managed = try await (try await seed.browser(.staff, app: app)).get(Self.base).text
            #expect(managed.contains("href=\"\(Self.base)/settlement\"") && managed.contains("href=\"\(Self.base)/training\""))
            #expect(try await instructor.post(Self.base + "/completion/run").status == .forbidden)
            #expect(try await (try await seed.browser(.trainee, app: app)).get(Self.base + "/completion").status == .forbidden)
            let staff = try await seed.browser(.staff, app: app)
            let other = seed.betaTrainee.id!.uuidString.lowercased()
            #expect(try await staff.post(Self.base + "/completion/trainees/\(other)/override", ["outcome": "completed", "reason": "Forged"]).status == .notFound)
            #expect(try await CompletionOverrideRecord.query(on: app.db).count() == 0)
        }
    }

    @Test("certificates: issued once per completer; the PDF has the Korean text, embedded fonts and a QR code that decodes to the public verify page")
    func certificatePDF() async throws {
        try await TestApp.withApp { app in
            let seed = try await Self.finishedTraining(app)
            let staff = try await seed.browser(.staff, app: app)
            #expect(try await staff.post(Self.base + "/certificates").status == .conflict)
            _ = try await staff.post(Self.base + "/completion/rules", ["attendance_percent": "80", "signatories": "총장 President of Alpha\n원장 Dean"])
            _ = try await staff.post(Self.base + "/completion/run")
            #expect(try await staff.post(Self.base + "/certificates").status == .seeOther)
            #expect(try await staff.post(Self.base + "/certificates").status == .seeOther)
            let issued = try await Certificate.query(on: app.db).all()
            #expect(issued.count == 1)
            let certificate = try #require(issued.first)
            let trainee = try await seed.browser(.trainee, app: app)
            let pdf = try await trainee.get("/certificates/\(certificate.serial)/pdf")
            #expect(pdf.status == .ok && pdf.headers.contentType?.subType == "pdf")
            #expect(pdf.headers.first(name: .cacheControl)?.contains("no-store") == true)
            let bytes = Data(pdf.body.readableBytesView)
            #expect(bytes.starts(with: Data("%PDF-".utf8)))
            let text = try Tool.withFile(bytes, suffix: ".pdf") { try Tool.run("/usr/bin/pdftotext", ["-layout", $0, "-"]) }.output
            #expect(text.contains("수료증") && text.contains("Certificate of Completion") && text.contains(certificate.holderName))
            #expect(text.contains("총장 President of Alpha") && text.contains(certificate.serial) && text.contains("80"))
            let fonts = try Tool.withFile(bytes, suffix: ".pdf") { try Tool.run("/usr/bin/pdffonts", [$0]) }.output
            // pdffonts: name, type, encoding, then emb, sub, uni and the object number; every font embedded.
            let rows = fonts.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ") }
            #expect(fonts.contains("NanumMyeongjo") && !rows.isEmpty && rows.allSatisfy { $0.count > 5 && $0[$0.count - 5] == "yes" })
            let decoded = try Tool.withFile(bytes, suffix: ".pdf") { path in
                _ = try Tool.run("/usr/bin/pdftoppm", ["-r", "150", "-png", "-singlefile", path, path])
                defer { try? FileManager.default.removeItem(atPath: path + ".png") }
                return try Tool.run("/usr/bin/zbarimg", ["--quiet", "--raw", path + ".png"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            #expect(decoded == "\(app.config.publicURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")))/verify/\(certificate.serial)")
            // Nobody else's, not even by guessing the serial.
            #expect(try await (try await seed.browser(.outsider, app: app)).get("/certificates/\(certificate.serial)/pdf").status == .notFound)
            #expect(try await trainee.get("/certificates").text.contains(certificate.serial))
        }
    }

    @Test("the verify page answers strangers: valid, superseded with its successor, revoked; typed serials are forgiven, unknown ones are a clear not-found")
    func verifyPage() async throws {
        try await TestApp.withApp { app in
            let seed = try await Self.finishedTraining(app)
            let staff = try await seed.browser(.staff, app: app)
            _ = try await staff.post(Self.base + "/completion/run")
            _ = try await staff.post(Self.base + "/certificates")
            let original = try #require(try await Certificate.query(on: app.db).first())
            let stranger = try await seed.browser(.anonymous, app: app)
            stranger.acceptLanguage = "en"
            let valid = try await stranger.get("/verify/\(original.serial.lowercased())")
            #expect(valid.status == .ok && valid.text.contains("Valid") && valid.text.contains(original.holderName))
            #expect(!valid.text.contains(Seed.Who.trainee.email))
            let typed = try await stranger.get("/verify?serial=\(original.serial.lowercased())")
            #expect(typed.status == .seeOther && typed.headers.first(name: .location) == "/verify/\(original.serial)")
            let unknown = try await stranger.get("/verify/ALPHAA1-00000-00000")
            #expect(unknown.status == .notFound && unknown.text.contains("No certificate has the serial number"))

            #expect(try await staff.post(Self.base + "/certificates/\(original.serial)/reissue", ["reason": ""]).status == .unprocessableEntity)
            #expect(try await staff.post(Self.base + "/certificates/\(original.serial)/reissue", ["reason": "Name corrected"]).status == .seeOther)
            let successor = try #require(try await Certificate.query(on: app.db).filter(\.$status == .valid).first())
            #expect(successor.serial != original.serial)
            let superseded = try await stranger.get("/verify/\(original.serial)")
            #expect(superseded.text.contains("Superseded") && superseded.text.contains("/verify/\(successor.serial)"))
            #expect(try await staff.post(Self.base + "/certificates/\(original.serial)/revoke", ["reason": "Twice"]).status == .conflict)
            #expect(try await staff.post(Self.base + "/certificates/\(successor.serial)/revoke", ["reason": "Completion overturned"]).status == .seeOther)
            #expect(try await stranger.get("/verify/\(successor.serial)").text.contains("Revoked"))
            #expect(try await (try await seed.browser(.trainee, app: app)).get("/certificates/\(successor.serial)/credential").status == .conflict)
            let actions = try await AuditEvent.query(on: app.db).filter(\.$action ~~ ["certificate.issued", "certificate.reissued", "certificate.revoked"]).count()
            #expect(actions == 3)
        }
    }

    @Test("an award is recorded with a date, shows on the verify page and is printed on the certificate; a bad form saves nothing")
    func awards() async throws {
        try await TestApp.withApp { app in
            let seed = try await Self.finishedTraining(app)
            let staff = try await seed.browser(.staff, app: app)
            let trainee = seed.users[.trainee]!.id!.uuidString.lowercased()
            #expect(try await staff.post(Self.base + "/completion/awards", ["trainee": trainee, "title": "", "awarded_on": "2026-13-01"]).status == .unprocessableEntity)
            #expect(try await staff.post(Self.base + "/completion/awards", ["trainee": seed.betaTrainee.id!.uuidString, "title": "Best", "awarded_on": "2026-07-01"]).status == .notFound)
            #expect(try await Award.query(on: app.db).count() == 0)
            #expect(try await staff.post(Self.base + "/completion/awards", ["trainee": trainee, "title": "최우수 훈련생 Best trainee", "awarded_on": "2026-07-01"]).status == .seeOther)
            _ = try await staff.post(Self.base + "/completion/run")
            _ = try await staff.post(Self.base + "/certificates")
            let certificate = try #require(try await Certificate.query(on: app.db).first())
            #expect(try await (try await seed.browser(.anonymous, app: app)).get("/verify/\(certificate.serial)").text.contains("최우수 훈련생 Best trainee (2026-07-01)"))
            let pdf = Data(try await (try await seed.browser(.trainee, app: app)).get("/certificates/\(certificate.serial)/pdf").body.readableBytesView)
            let text = try Tool.withFile(pdf, suffix: ".pdf") { try Tool.run("/usr/bin/pdftotext", [$0, "-"]) }.output
            #expect(text.contains("최우수 훈련생 Best trainee"))
            let award = try #require(try await Award.query(on: app.db).first())
            #expect(try await staff.post(Self.base + "/completion/awards/\(award.id!.uuidString)/delete").status == .seeOther)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action ~~ ["completion.awarded", "completion.award_withdrawn"]).count() == 2)
        }
    }

    @Test("the credential is an Open Badges 3.0 VC-JWT that PyJWT verifies with the published key; a changed byte fails")
    func credential() async throws {
        try await TestApp.withApp { app in
            let seed = try await Self.finishedTraining(app)
            let staff = try await seed.browser(.staff, app: app)
            _ = try await staff.post(Self.base + "/completion/run")
            _ = try await staff.post(Self.base + "/certificates")
            let certificate = try #require(try await Certificate.query(on: app.db).first())
            let trainee = try await seed.browser(.trainee, app: app)
            let token = try await trainee.get("/certificates/\(certificate.serial)/credential").text
            #expect(token.split(separator: ".").count == 3)
            #expect(try await (try await seed.browser(.outsider, app: app)).get("/certificates/\(certificate.serial)/credential").status == .notFound)
            let jwks = try await (try await seed.browser(.anonymous, app: app)).get("/.well-known/jwks.json").text
            let script = """
                import json, sys, jwt
                jwks, token = json.loads(sys.argv[1]), sys.stdin.read().strip()
                key = jwt.PyJWK(jwks["keys"][0]).key
                header = jwt.get_unverified_header(token)
                assert header["alg"] == "ES256" and header["kid"] == jwks["keys"][0]["kid"], header
                claims = jwt.decode(token, key, algorithms=["ES256"])
                vc = claims["vc"]
                print(json.dumps({"type": vc["type"], "sub": claims["sub"], "subject": vc["credentialSubject"]["id"], "jti": claims["jti"],
                                  "achievement": vc["credentialSubject"]["achievement"]["achievementType"], "context": vc["@context"]}))
                """
            let verified = try Tool.run("/usr/bin/env", ["python3", "-c", script, jwks], input: Data(token.utf8))
            #expect(verified.status == 0)
            let claims = try JSONSerialization.jsonObject(with: Data(verified.output.utf8)) as? [String: Any]
            #expect((claims?["type"] as? [String]) == ["VerifiableCredential", "OpenBadgeCredential"])
            #expect(claims?["sub"] as? String == "urn:uuid:\(seed.users[.trainee]!.id!.uuidString.lowercased())" && claims?["subject"] as? String == claims?["sub"] as? String)
            #expect((claims?["jti"] as? String)?.hasSuffix("/verify/\(certificate.serial)") == true && claims?["achievement"] as? String == "Certificate")
            #expect((claims?["context"] as? [String])?.contains("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json") == true)
            var parts = token.split(separator: ".").map(String.init)
            parts[1] = String(parts[1].dropLast()) + (parts[1].last == "A" ? "B" : "A")
            let forged = try Tool.run("/usr/bin/env", ["python3", "-c", script, jwks], input: Data(parts.joined(separator: ".").utf8))
            #expect(forged.status != 0)
        }
    }
}
