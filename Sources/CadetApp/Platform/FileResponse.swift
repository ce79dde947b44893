import CadetCore
import Vapor

/// Every download Cadet serves: an attachment with its name, never cached anywhere (a CSV of
/// applicants or an uploaded certificate is personal data; a shared proxy or browser cache must
/// not keep it), and not sniffed into another type.
enum FileResponse {
    static func attachment(_ body: Response.Body, type: HTTPMediaType, filename: String) -> Response {
        let response = Response(status: .ok, body: body)
        response.headers.contentType = type
        response.headers.contentDisposition = .init(.attachment, filename: filename)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }

    /// A CSV file: UTF-8 with a byte-order mark (so spreadsheet programs show Korean), CRLF rows.
    static func csv(header: [String], rows: [[String]], filename: String) -> Response {
        var text = CSVWriter.byteOrderMark + CSVWriter.row(header)
        for row in rows { text += CSVWriter.row(row) }
        return attachment(.init(string: text), type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]), filename: filename)
    }

    static func json(_ text: String, filename: String) -> Response {
        attachment(.init(string: text), type: .json, filename: filename)
    }
}
