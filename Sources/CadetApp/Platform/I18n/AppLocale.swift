/// The languages every page and message exists in.
public enum AppLocale: String, CaseIterable, Codable, Sendable {
    case korean = "ko"
    case english = "en"

    public var other: AppLocale { self == .korean ? .english : .korean }

    /// Picks the best supported language from an Accept-Language header (RFC 9110 §12.5.4).
    public static func preferred(acceptLanguage header: String?) -> AppLocale? {
        guard let header else { return nil }
        let ranked = header.split(separator: ",").compactMap { part -> (String, Double)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased(), !tag.isEmpty else { return nil }
            let quality = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (tag, quality)
        }
        for (tag, quality) in ranked.sorted(by: { $0.1 > $1.1 }) where quality > 0 {
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            if let locale = AppLocale(rawValue: primary) { return locale }
        }
        return nil
    }
}

import Foundation
