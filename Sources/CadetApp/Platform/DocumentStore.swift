import Crypto
import Foundation
import Vapor

/// People's documents (applicants' files, evidence for an excused absence): checked by their
/// content (PDF, PNG or JPEG, whatever the name says), limited in size, stored under the data
/// directory with random names, and only ever sent through `FileResponse` to those who may see
/// them. Callers keep the returned facts in their own records.
struct DocumentStore {
    static let maximumBytes = 10 << 20
    let directory: String

    init(_ app: Application) {
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

    /// Why a file was refused: `empty`, `too_large` or `type` (catalogue `upload.<reason>`).
    struct Rejected: Error, Equatable {
        let reason: String
    }

    struct Stored: Sendable {
        let filename: String
        let contentType: String
        let size: Int
        let sha256: String
        let storageName: String
    }

    func store(_ data: Data, filename: String) throws -> Stored {
        guard !data.isEmpty else { throw Rejected(reason: "empty") }
        guard data.count <= Self.maximumBytes else { throw Rejected(reason: "too_large") }
        guard let kind = Kind.sniff(data) else { throw Rejected(reason: "type") }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let storageName = UUID().uuidString.lowercased()
        try data.write(to: URL(fileURLWithPath: directory + "/" + storageName), options: .atomic)
        return Stored(filename: Self.safeName(filename, kind: kind), contentType: kind.rawValue, size: data.count,
                      sha256: SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined(), storageName: storageName)
    }

    func read(_ storageName: String) -> Data? {
        FileManager.default.contents(atPath: directory + "/" + storageName)
    }

    func remove(_ storageName: String) {
        try? FileManager.default.removeItem(atPath: directory + "/" + storageName)
    }

    /// Sends a stored document as a download, never cached.
    func response(storageName: String, filename: String, contentType: String) -> Response? {
        guard let data = read(storageName) else { return nil }
        let type = contentType.split(separator: "/").map(String.init)
        return FileResponse.attachment(.init(data: data), type: HTTPMediaType(type: type.first ?? "application", subType: type.count > 1 ? type[1] : "octet-stream"),
                                       filename: filename)
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
