import Foundation
import Vapor

/// The API's description, written by hand (spec first): `Resources/openapi/base.json` holds what
/// every operation shares (security, errors, paging), and each capability's file its paths and
/// schemas. They are merged once; a path or a component defined twice stops start-up, and a
/// test checks that the document and the routes name the same operations.
enum OpenAPIDocument {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    static let shared: Data = {
        do {
            return try JSONSerialization.data(withJSONObject: try merged(), options: [.sortedKeys, .withoutEscapingSlashes])
        } catch {
            fatalError("The OpenAPI document cannot be built: \(error)")
        }
    }()

    static func merged() throws -> [String: Any] {
        guard let directory = Bundle.module.url(forResource: "openapi", withExtension: nil, subdirectory: "Resources") else {
            throw Problem(description: "Resources/openapi is missing from the bundle")
        }
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard let base = files.first(where: { $0.lastPathComponent == "base.json" }) else { throw Problem(description: "base.json is missing") }
        var document = try object(base)
        for file in files where file != base {
            let part = try object(file)
            try merge(part["paths"], into: &document, at: ["paths"], file: file.lastPathComponent)
            for (kind, value) in part["components"] as? [String: Any] ?? [:] {
                try merge(value, into: &document, at: ["components", kind], file: file.lastPathComponent)
            }
        }
        return document
    }

    private static func object(_ url: URL) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw Problem(description: "\(url.lastPathComponent) is not a JSON object")
        }
        return object
    }

    private static func merge(_ value: Any?, into document: inout [String: Any], at path: [String], file: String) throws {
        guard let entries = value as? [String: Any] else { return }
        var target = document
        var section = (path.count == 1 ? target[path[0]] : (target[path[0]] as? [String: Any])?[path[1]]) as? [String: Any] ?? [:]
        for (key, entry) in entries {
            guard section[key] == nil else { throw Problem(description: "\(file): \(path.joined(separator: ".")).\(key) is defined twice") }
            section[key] = entry
        }
        if path.count == 1 {
            target[path[0]] = section
        } else {
            var parent = target[path[0]] as? [String: Any] ?? [:]
            parent[path[1]] = section
            target[path[0]] = parent
        }
        document = target
    }

    @Sendable static func serve(_ req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(data: shared))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return response
    }
}
