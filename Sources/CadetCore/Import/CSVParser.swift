/// An RFC 4180 CSV reader that says where it went wrong. Handles a UTF-8 byte-order mark, CRLF
/// or LF line ends, and quoted fields holding commas, quotes ("") and line breaks.
public struct CSVParser: Sendable {
    public struct Record: Sendable, Equatable {
        /// The physical line the record starts on, from 1.
        public let line: Int
        public let fields: [String]
    }

    public struct Failure: Error, Equatable, Sendable {
        public let line: Int
        public let column: Int
        public let reason: Reason

        public enum Reason: String, Sendable {
            case unterminatedQuote = "unterminated_quote"
            case quoteInsideField = "quote_inside_field"
            case notUTF8 = "not_utf8"
            /// A NUL or another control character inside a cell.
            case controlCharacter = "control_character"
        }
    }

    public init() {}

    public func parse(_ bytes: [UInt8]) throws(Failure) -> [Record] {
        var index = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteLine = 1
        var wasQuoted = false

        func finishField() throws(Failure) {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw Failure(line: recordLine, column: fields.count + 1, reason: .notUTF8)
            }
            if TextSafety.hasControlCharacters(text) {
                throw Failure(line: recordLine, column: fields.count + 1, reason: .controlCharacter)
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func finishRecord() throws(Failure) {
            try finishField()
            // A blank line between records is not a record.
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                try finishField()
            case UInt8(ascii: "\r") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n"):
                index += 1
                fallthrough
            case UInt8(ascii: "\n"):
                try finishRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\""):
                guard field.isEmpty, !wasQuoted else {
                    throw Failure(line: line, column: fields.count + 1, reason: .quoteInsideField)
                }
                inQuotes = true
                wasQuoted = true
                quoteLine = line
            default:
                if wasQuoted { throw Failure(line: line, column: fields.count + 1, reason: .quoteInsideField) }
                field.append(byte)
            }
            index += 1
        }
        if inQuotes { throw Failure(line: quoteLine, column: fields.count + 1, reason: .unterminatedQuote) }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { try finishRecord() }
        return records
    }
}

/// Writes CSV that spreadsheet programs open correctly: a UTF-8 byte-order mark (so Korean shows
/// in Excel), CRLF line ends, quotes where needed, and no cell that a spreadsheet would run as a
/// formula.
public enum CSVWriter {
    public static let byteOrderMark = "\u{FEFF}"

    public static func row(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\r\n"
    }

    static func escape(_ value: String) -> String {
        var text = value
        // CSV injection: =, +, - and @ start formulas in spreadsheet programs. The first code
        // point decides, not the first character: "=" followed by a combining mark is one
        // grapheme that does not equal "=", yet a spreadsheet still sees a formula.
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(text) == nil { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
