import Foundation

/// A page number read from a query string. Anything that is not a whole number from 1 to
/// `maximum` reads as the nearest page that is, so that no offset computed from it can
/// overflow (`?page=9223372036854775807` once aborted the server).
public struct PageNumber: Equatable, Sendable {
    /// Far beyond any real list: 10,000 pages of 50 is half a million rows.
    public static let maximum = 10_000

    public let value: Int

    public init(_ raw: String?) {
        let text = raw?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 || $0 == 45 }), let number = Int(text) else {
            // Digits only; a number too long to be a page is the last page there could be.
            value = text.utf8.count > 18 && text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) ? Self.maximum : 1
            return
        }
        value = min(max(number, 1), Self.maximum)
    }

    public init(value: Int) {
        self.value = min(max(value, 1), Self.maximum)
    }

    /// Rows to skip for pages of `size` (size ≤ 1,000 keeps this far from overflow).
    public func offset(size: Int) -> Int {
        (value - 1) * min(max(size, 1), 1_000)
    }

    public var previous: PageNumber? { value > 1 ? PageNumber(value: value - 1) : nil }
    public var next: PageNumber? { value < Self.maximum ? PageNumber(value: value + 1) : nil }
}
