import Foundation
import NIOHTTP1
import Testing
import Vapor
import VaporTesting
@testable import CadetApp

/// Drives the app as one browser would: it keeps cookies, sends the CSRF token with forms and
/// follows nothing by itself, so tests see every redirect.
final class Browser: @unchecked Sendable {
    // @unchecked: a browser belongs to one test and is used from one task at a time.
    let app: Application
    var cookies: [String: String] = [:]
    var acceptLanguage: String?
    var json = false

    init(_ app: Application) {
        self.app = app
    }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        try await send(.GET, path, body: nil)
    }

    /// Posts a form with this browser's CSRF token unless `csrf` is false.
    @discardableResult
    func post(_ path: String, _ form: [String: String] = [:], csrf: Bool = true) async throws -> TestingHTTPResponse {
        var fields = form
        if csrf {
            if cookies[CSRFMiddleware.cookieName] == nil { try await get("/healthz") }
            fields[CSRFMiddleware.fieldName] = try await csrfToken()
        }
        return try await send(.POST, path, body: Browser.encode(fields))
    }

    /// Posts JSON as the exam page's script does: the CSRF token in X-CSRF-Token.
    @discardableResult
    func postJSON(_ path: String, _ body: some Encodable, csrf: Bool = true) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if csrf {
            if cookies[CSRFMiddleware.cookieName] == nil { try await get("/healthz") }
            headers.add(name: "X-CSRF-Token", value: try await csrfToken())
        }
        headers.add(name: .accept, value: "application/json")
        return try await send(.POST, path, body: String(decoding: try JSONEncoder().encode(body), as: UTF8.self), contentType: .json, extra: headers)
    }

    func csrfToken() async throws -> String {
        let binding = try #require(cookies[CSRFMiddleware.cookieName])
        return Tokens.hmac(binding, key: try await app.secrets.key(on: app.db))
    }

    func send(_ method: HTTPMethod, _ path: String, body: String?, contentType: HTTPMediaType = .urlEncodedForm,
              extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = extra
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let acceptLanguage { headers.add(name: .acceptLanguage, value: acceptLanguage) }
        if json { headers.add(name: .accept, value: "application/json") }
        var buffer: ByteBuffer?
        if let body {
            headers.contentType = contentType
            buffer = ByteBuffer(string: body)
        }
        let request = TestingHTTPRequest(method: method, url: URI(path: path), headers: headers, body: buffer ?? ByteBuffer())
        let response = try await app.testing().performTest(request: request)
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if header.lowercased().contains("expires=thu, 01 jan 1970") || header.lowercased().contains("max-age=0") {
                cookies[parts[0]] = nil
            } else {
                cookies[parts[0]] = parts[1]
            }
        }
        return response
    }

    func signIn(_ email: String, password: String = Seed.password) async throws {
        let response = try await post("/signin", ["email": email, "password": password])
        #expect(response.status == .seeOther, "sign-in as \(email) failed: \(response.status)")
    }

    static func encode(_ fields: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return fields.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
    }
}

extension TestingHTTPResponse {
    var text: String { body.string }

    var location: String? { headers.first(name: .location) }

    /// The stable code of a JSON error body, if this is one.
    var errorCode: String? {
        struct Body: Decodable { struct E: Decodable { let code: String }; let error: E }
        return try? JSONDecoder().decode(Body.self, from: Data(body.readableBytesView)).error.code
    }
}
