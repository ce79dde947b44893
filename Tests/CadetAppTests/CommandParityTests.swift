import ArgumentParser
import CadetCore
import Fluent
import Foundation
import Testing
import Vapor
@testable import CadetApp

/// What an operator sets up on a page can be scripted: a round, its questions, consent and
/// rubric from files, role grants, API tokens.
@Suite("Command line: the same set-up as the pages")
struct CommandParityTests {
    static func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "cadet-\(UUID().uuidString).json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func setUp() async throws {
        try await ProgrammeCommand.Create.parse(["--slug", "busan-ai", "--name", "Busan"]).run()
        try await CohortCommand.Create.parse(["--programme", "busan-ai", "--slug", "c1", "--name", "1기", "--capacity", "40",
                                              "--starts", "2027-03-02", "--ends", "2027-08-27"]).run()
        try await UserCommand.Add.parse(["--email", "staff@busan.example", "--name", "Staff"]).run()
    }

    @Test("cadet round open, questions, consent and rubric do what the round page does, all or nothing")
    func roundSetUp() async throws {
        try await CommandTests.withDatabase { _ in
            try await Self.setUp()
            try await RoundCommand.Open.parse(["--cohort", "busan-ai/c1", "--opens", "2027-01-05T09:00", "--closes", "2027-02-05T18:00"]).run()
            await #expect { try await RoundCommand.Open.parse(["--cohort", "busan-ai/c1", "--opens", "2027-03-05T09:00", "--closes", "2027-02-05T18:00"]).run() }
                throws: { String(describing: $0).contains("--closes_at") || String(describing: $0).contains("closes") }

            let questions = try Self.file(#"""
                [{"key": "motivation", "label_ko": "지원 동기", "label_en": "Why this programme?", "kind": "text", "required": true},
                 {"key": "track", "label_ko": "희망 분야", "label_en": "Track", "kind": "single_choice", "options": ["Vision", "Language"]}]
                """#)
            try await RoundCommand.Questions.parse(["--cohort", "busan-ai/c1", questions]).run()
            let broken = try Self.file(#"[{"key": "ok_key", "label_ko": "가", "label_en": "A", "kind": "text"}, {"key": "Bad Key", "label_ko": "", "kind": "nonsense"}]"#)
            await #expect { try await RoundCommand.Questions.parse(["--cohort", "busan-ai/c1", broken]).run() } throws: { error in
                let text = String(describing: error)
                return text.contains("[1].key:") && text.contains("[1].kind:") && text.contains("Nothing was changed")
            }

            try await RoundCommand.Consent.parse(["--cohort", "busan-ai/c1", try Self.file(#"{"purpose": "선발", "items": "이름, 이메일", "retention": "3년", "text": "동의합니다"}"#)]).run()
            try await RoundCommand.Rubric.parse(["--cohort", "busan-ai/c1", try Self.file(#"[{"key": "documents", "weight": 50, "scale": 100}, {"key": "test", "weight": 50, "scale": 40}]"#)]).run()
            await #expect { try await RoundCommand.Rubric.parse(["--cohort", "busan-ai/c1", try Self.file(#"[{"key": "luck", "weight": 10, "scale": 10}]"#)]).run() }
                throws: { String(describing: $0).contains("no criterion \"luck\"") }

            let (round, keys, consents, rubric, audit) = try await CommandTests.inspect { db in
                let round = try await RecruitmentRound.query(on: db).first()!
                return (round.capacity, try await RoundQuestion.query(on: db).sort(\.$position).all().map(\.key),
                        try await ConsentVersion.query(on: db).count(),
                        try await RubricCriterion.query(on: db).sort(\.$position).all().map { "\($0.key) \(Int($0.weight))/\(Int($0.scale))" },
                        try await AuditEvent.query(on: db).all().map(\.action))
            }
            #expect(round == 40)
            #expect(keys == ["motivation", "track"])
            #expect(consents == 2)
            #expect(rubric == ["documents 50/100", "test 50/40", "interview 30/100"])
            #expect(audit.contains("round.created") && audit.filter { $0 == "round.question_added" }.count == 2 && audit.contains("round.criterion_updated"))
        }
    }

    @Test("cadet user grant, roles and revoke change roles as the people page does, and refuse a bad scope")
    func roleGrants() async throws {
        try await CommandTests.withDatabase { _ in
            try await Self.setUp()
            try await UserCommand.Grant.parse(["--email", "staff@busan.example", "--role", "programme_staff", "--scope", "busan-ai"]).run()
            try await UserCommand.Grant.parse(["--email", "staff@busan.example", "--role", "mentor", "--scope", "busan-ai/c1"]).run()
            await #expect { try await UserCommand.Grant.parse(["--email", "staff@busan.example", "--role", "operator", "--scope", "busan-ai"]).run() }
                throws: { String(describing: $0).contains("--scope") }
            await #expect { try await UserCommand.Grant.parse(["--email", "staff@busan.example", "--role", "mentor", "--scope", "busan-ai/c9"]).run() }
                throws: { String(describing: $0).contains("no cohort \"c9\"") }
            await #expect { try await UserCommand.Grant.parse(["--email", "nobody@busan.example", "--role", "mentor", "--scope", "busan-ai"]).run() }
                throws: { String(describing: $0).contains("--email") }
            try await UserCommand.Revoke.parse(["--email", "staff@busan.example", "--role", "mentor", "--scope", "busan-ai/c1"]).run()
            let (roles, audit) = try await CommandTests.inspect { db in
                (try await RoleGrant.query(on: db).all().map { "\($0.role) \($0.scopeKey.split(separator: ":").first ?? "")" },
                 try await AuditEvent.query(on: db).all().map(\.action))
            }
            #expect(roles == ["programme_staff programme"])
            #expect(audit.filter { $0 == "role.granted" }.count == 2 && audit.contains("role.revoked"))
        }
    }

    @Test("cadet token create prints a token that works on the API within its scope")
    func tokens() async throws {
        try await CommandTests.withDatabase { _ in
            try await Self.setUp()
            try await UserCommand.Grant.parse(["--email", "staff@busan.example", "--role", "programme_staff", "--scope", "busan-ai"]).run()
            try await TokenCommand.Create.parse(["--email", "staff@busan.example", "--name", "sync", "--scope", "busan-ai", "--access", "read"]).run()
            await #expect { try await TokenCommand.Create.parse(["--email", "staff@busan.example", "--name", "x", "--access", "admin"]).run() }
                throws: { String(describing: $0).contains("--access") }
            let token = try await CommandTests.inspect { db in try await APIToken.query(on: db).first()! }
            #expect(token.kind == .personal && token.access == .read && token.$programme.id != nil && token.$cohort.id == nil)
        }
    }
}
