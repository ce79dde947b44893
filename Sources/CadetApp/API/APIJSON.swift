import CadetCore
import Foundation
import Vapor

/// The API's JSON: snake_case keys and ISO 8601 times, whatever the pages' scripts use.
enum APIJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func response(_ value: some Encodable, status: HTTPResponseStatus = .ok) throws -> Response {
        let response = Response(status: status, body: .init(data: try encoder.encode(value)))
        response.headers.contentType = .json
        return response
    }
}

extension Request {
    /// The JSON body as `T`, or a 400 that says what is wrong with it.
    func apiBody<T: Decodable>(_ type: T.Type) throws -> T {
        guard headers.contentType == .json, let buffer = body.data else { throw APIError.badBody("send a JSON object with Content-Type: application/json") }
        do {
            return try APIJSON.decoder.decode(T.self, from: Data(buffer.readableBytesView))
        } catch DecodingError.keyNotFound(let key, _) {
            throw APIError.badBody("\(key.stringValue) is missing")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            throw APIError.badBody("\(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type")
        } catch DecodingError.dataCorrupted(let context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.badBody(path.isEmpty ? "not JSON" : "\(path) is not a valid value")
        } catch {
            throw APIError.badBody("not a JSON object of the expected shape")
        }
    }
}

/// One page of a list: the items and, when there are more, the cursor that fetches the next
/// page. Cursors are opaque to clients and stable under inserts: they name the last item seen.
struct APIPage<Item: Encodable>: Encodable {
    let data: [Item]
    let nextCursor: String?
}

/// `?limit=` and `?cursor=` as a list operation reads them.
struct APIPaging {
    static let defaultLimit = 50
    static let maximumLimit = 200

    let limit: Int
    /// The key of the last item of the previous page, if any.
    let after: String?

    init(_ req: Request) throws {
        if let raw = try? req.query.get(String.self, at: "limit") {
            guard raw.utf8.count <= 4, let value = Int(raw), (1...Self.maximumLimit).contains(value) else { throw APIError.badParameter("limit") }
            limit = value
        } else {
            limit = Self.defaultLimit
        }
        if let raw = try? req.query.get(String.self, at: "cursor") {
            guard raw.utf8.count <= 400, let data = Tokens.data(base64URL: raw), let key = String(data: data, encoding: .utf8),
                  key.hasPrefix("k:"), !TextSafety.hasControlCharacters(key) else { throw APIError.badCursor }
            after = String(key.dropFirst(2))
        } else {
            after = nil
        }
    }

    /// The page from `limit + 1` rows fetched after the cursor: the extra row says there is more.
    func page<Row, Item>(_ rows: [Row], key: (Row) -> String, item: (Row) throws -> Item) rethrows -> APIPage<Item> {
        APIPage(data: try rows.prefix(limit).map(item), nextCursor: nextCursor(rows, key: key))
    }

    /// The rows this page shows.
    func shown<Row>(_ rows: [Row]) -> ArraySlice<Row> { rows.prefix(limit) }

    func nextCursor<Row>(_ rows: [Row], key: (Row) -> String) -> String? {
        guard rows.count > limit, let last = rows.prefix(limit).last else { return nil }
        return Tokens.base64URL(Data(("k:" + key(last)).utf8))
    }
}

/// A strong ETag from the body, so a client that already has this version gets 304 and no body.
struct APIETag: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        guard request.method == .GET, response.status == .ok, let body = response.body.data else { return response }
        let tag = "\"" + Tokens.sha256(String(decoding: body, as: UTF8.self)).prefix(32) + "\""
        response.headers.replaceOrAdd(name: .eTag, value: tag)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-cache")
        let wanted = request.headers[.ifNoneMatch].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        if wanted.contains(tag) || wanted.contains("*") {
            let unchanged = Response(status: .notModified)
            unchanged.headers.replaceOrAdd(name: .eTag, value: tag)
            unchanged.headers.replaceOrAdd(name: .cacheControl, value: "private, no-cache")
            return unchanged
        }
        return response
    }
}
