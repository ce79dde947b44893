import CadetCore
import Crypto
import Fluent
import Foundation
import Vapor

/// Applicants' files, kept in the `DocumentStore`: one file per answer, a later upload
/// replacing an earlier one, each audited.
struct UploadStore {
    let documents: DocumentStore

    init(_ app: Vapor.Application) {
        documents = DocumentStore(app)
    }

    /// Stores `data` for `applicant`'s answer to `key`, replacing an earlier file for the same answer.
    func store(_ data: Data, filename: String, for applicant: Applicant, key: String, on db: any Database, actor: Actor) async throws -> ApplicantFile {
        let stored: DocumentStore.Stored
        do {
            stored = try documents.store(data, filename: filename)
        } catch let rejected as DocumentStore.Rejected {
            throw RecruitmentError.fileRejected(rejected.reason)
        }
        let file = ApplicantFile()
        file.$applicant.id = try applicant.requireID()
        file.questionKey = key
        file.filename = stored.filename
        file.contentType = stored.contentType
        file.size = stored.size
        file.sha256 = stored.sha256
        file.storageName = stored.storageName
        let replaced = try await ApplicantFile.query(on: db).filter(\.$applicant.$id == file.$applicant.id).filter(\.$questionKey == key).all()
        try await db.transaction { db in
            for old in replaced { try await old.delete(on: db) }
            try await file.create(on: db)
            var answers = applicant.answers
            answers[key] = file.filename
            applicant.answers = answers
            try await applicant.update(on: db)
            try await AuditLog.record(AuditEntry(action: "application.file_uploaded", entityType: "application", entityID: applicant.id,
                                                 summary: "\(key): \(file.filename) (\(data.count) bytes, sha256 \(file.sha256.prefix(12)))",
                                                 cohortID: applicant.$cohort.id), by: actor, on: db)
        }
        for old in replaced { documents.remove(old.storageName) }
        return file
    }

    func read(_ file: ApplicantFile) throws -> Data {
        guard let data = documents.read(file.storageName) else { throw RecruitmentError.fileNotFound }
        return data
    }
}
