import CadetCore
import Fluent
import Vapor

/// Evidence of an outcome (an employment certificate, an offer letter, a school's admission
/// letter): one PDF or image per graduate, kept in the document store, seen only by staff.
struct AddOutcomeEvidence: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite's ALTER TABLE adds one at a time.
        for column in ["evidence_name", "evidence_type", "evidence_storage"] {
            try await database.schema(GraduateOutcome.schema).field(FieldKey(stringLiteral: column), .string).update()
        }
    }

    func revert(on database: any Database) async throws {
        for column in ["evidence_name", "evidence_type", "evidence_storage"] {
            try await database.schema(GraduateOutcome.schema).deleteField(FieldKey(stringLiteral: column)).update()
        }
    }
}

extension OutcomesController {
    /// The outcome form's fields from a urlencoded or multipart body (a file part cannot be read
    /// as text, so the fields are named).
    struct Fields: Decodable {
        let status: String?, chosen_path: String?, organisation: String?, role: String?, started_on: String?
        let employment_type: String?, in_field: String?, salary_band: String?, verified: String?

        var values: [String: String] {
            var values: [String: String] = [:]
            for (key, value) in [("status", status), ("chosen_path", chosen_path), ("organisation", organisation), ("role", role), ("started_on", started_on),
                                 ("employment_type", employment_type), ("in_field", in_field), ("salary_band", salary_band), ("verified", verified)] {
                if let value { values[key] = value }
            }
            return values
        }
    }

    @Sendable static func evidence(_ req: Request) async throws -> Response {
        let ref = try await TrainingLookup.cohort(req, .manageOutcomes)
        let graduate = try await OutcomeService(database: req.db, actor: req.actor, now: req.now).graduate(req.parameters.get("trainee", as: UUID.self), in: ref)
        guard let outcome = try await GraduateOutcome.query(on: req.db).filter(\.$cohort.$id == ref.id).filter(\.$trainee.$id == graduate.requireID()).first(),
              let storage = outcome.evidenceStorage, let name = outcome.evidenceName, let type = outcome.evidenceType,
              let response = DocumentStore(req.application).response(storageName: storage, filename: name, contentType: type) else {
            throw CareersError.evidenceNotFound
        }
        return response
    }
}
