import CadetCore
import Crypto
import Fluent
import Foundation
import Vapor

/// Applicants' files: checked by their content (PDF, PNG or JPEG, whatever the name says),
/// limited in size, stored under the data directory with random names, and only ever sent to the
/// applicant and to staff of the cohort.
struct UploadStore {
    static let maximumBytes = 10 << 20
    let directory: String

    init(_ app: Vapor.Application) {
        directory = app.config.dataDirectory + "/uploads"
    }

    enum Kind: String {
        case pdf = "application/pdf", png = "image/png", jpeg = "image/jpeg"

        static func sniff(_ data: Data) -> Kind? {
            if data.starts(with: Array("%PDF-".utf8)) { return .pdf }
            if data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
            if data.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
            return nil
        }
    }

    /// Stores `data` for `applicant`'s answer to `key`, replacing an earlier file for the same answer.
    func store(_ data: Data, filename: String, for applicant: Applicant, key: String, on db: any Database, actor: Actor) async throws -> ApplicantFile {
        guard !data.isEmpty else { throw RecruitmentError.fileRejected("empty") }
        guard data.count <= Self.maximumBytes else { throw RecruitmentError.fileRejected("too_large") }
        guard let kind = Kind.sniff(data) else { throw RecruitmentError.fileRejected("type") }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let storageName = UUID().uuidString.lowercased()
        try data.write(to: URL(fileURLWithPath: directory + "/" + storageName), options: .atomic)
        let file = ApplicantFile()
        file.$applicant.id = try applicant.requireID()
        file.questionKey = key
        file.filename = Self.safeName(filename, kind: kind)
        file.contentType = kind.rawValue
        file.size = data.count
        file.sha256 = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        file.storageName = storageName
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
        for old in replaced { try? FileManager.default.removeItem(atPath: directory + "/" + old.storageName) }
        return file
    }

    func read(_ file: ApplicantFile) throws -> Data {
        guard let data = FileManager.default.contents(atPath: directory + "/" + file.storageName) else { throw RecruitmentError.fileNotFound }
        return data
    }

    /// Keeps a readable name without paths or control characters, with the extension the
    /// content really has.
    static func safeName(_ name: String, kind: Kind) -> String {
        let base = (name.split(separator: "/").last.map(String.init) ?? "file").split(separator: "\\").last.map(String.init) ?? "file"
        var cleaned = String(base.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) && $0 != "\"" }.prefix(100).map(Character.init))
        if let dot = cleaned.lastIndex(of: ".") { cleaned = String(cleaned[..<dot]) }
        if cleaned.isEmpty { cleaned = "file" }
        let ext = switch kind { case .pdf: "pdf"; case .png: "png"; case .jpeg: "jpg" }
        return cleaned + "." + ext
    }
}
