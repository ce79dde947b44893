import Foundation

/// All text people see, in Korean and English, loaded once from Resources/i18n/{ko,en}.json.
/// Keys are dotted (`nav.programmes`); values may hold `{name}` placeholders.
public struct Catalogue: Sendable {
    let entries: [AppLocale: [String: String]]

    public static let shared: Catalogue = {
        do {
            return try Catalogue.load()
        } catch {
            fatalError("The i18n catalogue cannot be read: \(error)")
        }
    }()

    static func load() throws -> Catalogue {
        var entries: [AppLocale: [String: String]] = [:]
        for locale in AppLocale.allCases {
            guard let url = Bundle.module.url(forResource: locale.rawValue, withExtension: "json", subdirectory: "Resources/i18n") else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Resources/i18n/\(locale.rawValue).json"])
            }
            entries[locale] = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
        }
        return Catalogue(entries: entries)
    }

    public func keys(_ locale: AppLocale) -> Set<String> {
        Set(entries[locale, default: [:]].keys)
    }

    public func text(_ key: String, _ locale: AppLocale, _ arguments: [String: String] = [:]) -> String {
        // A missing key shows itself rather than an empty space; a test keeps the two catalogues whole.
        var text = entries[locale]?[key] ?? entries[.english]?[key] ?? key
        for (name, value) in arguments {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }

    public func has(_ key: String) -> Bool {
        AppLocale.allCases.allSatisfy { entries[$0]?[key] != nil }
    }
}

/// The catalogue in one language, with the time zone to show times in.
public struct Localizer: Sendable {
    public let locale: AppLocale
    public let timeZone: TimeZone
    let catalogue: Catalogue

    public init(locale: AppLocale, timeZone: TimeZone, catalogue: Catalogue = .shared) {
        self.locale = locale
        self.timeZone = timeZone
        self.catalogue = catalogue
    }

    public func callAsFunction(_ key: String, _ arguments: [String: String] = [:]) -> String {
        catalogue.text(key, locale, arguments)
    }

    /// `2026-11-21 14:05` in the academy's time zone: unambiguous in both languages.
    public func dateTime(_ date: Date?) -> String {
        guard let date else { return "" }
        return date.formatted(Date.VerbatimFormatStyle(
            format: "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
            timeZone: timeZone, calendar: Calendar(identifier: .gregorian)))
    }
}
