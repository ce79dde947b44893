import Foundation
import Synchronization

/// All text people see, in Korean and English. Each capability keeps its own file,
/// `Resources/i18n/<capability>.json`, mapping a dotted key (`nav.programmes`) to both languages
/// side by side (`{"en": …, "ko": …}`), so a missing translation shows in review. The files are
/// merged once at start-up; a key in two files, or a key without both languages, stops start-up.
/// Values may hold `{name}` placeholders.
public struct Catalogue: Sendable {
    let entries: [AppLocale: [String: String]]

    public static let shared: Catalogue = {
        do {
            return try Catalogue.load()
        } catch {
            fatalError("The i18n catalogue cannot be read: \(error)")
        }
    }()

    public struct Problem: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// Every `*.json` under Resources/i18n, in a stable order.
    static func files() throws -> [URL] {
        guard let directory = Bundle.module.url(forResource: "i18n", withExtension: nil, subdirectory: "Resources") else {
            throw Problem(description: "Resources/i18n is missing from the bundle")
        }
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func load() throws -> Catalogue {
        try merge(files().map { ($0.lastPathComponent, try Data(contentsOf: $0)) })
    }

    /// Merges catalogue files given as (name, contents), refusing a key defined twice and an
    /// entry without every language.
    static func merge(_ files: [(name: String, data: Data)]) throws -> Catalogue {
        var entries: [AppLocale: [String: String]] = [:]
        var origin: [String: String] = [:]
        for file in files {
            let decoded: [String: [String: String]]
            do {
                decoded = try JSONDecoder().decode([String: [String: String]].self, from: file.data)
            } catch {
                throw Problem(description: "\(file.name): not a catalogue of \"key\": {\"en\": …, \"ko\": …} (\(error))")
            }
            for (key, texts) in decoded {
                if let first = origin[key] {
                    throw Problem(description: "\(key) is defined in both \(first) and \(file.name)")
                }
                origin[key] = file.name
                for locale in AppLocale.allCases {
                    guard let text = texts[locale.rawValue], !text.isEmpty else {
                        throw Problem(description: "\(file.name): \(key) has no \(locale.rawValue) text")
                    }
                    entries[locale, default: [:]][key] = text
                }
            }
        }
        return Catalogue(entries: entries)
    }

    public func keys(_ locale: AppLocale) -> Set<String> {
        Set(entries[locale, default: [:]].keys)
    }

    public func text(_ key: String, _ locale: AppLocale, _ arguments: [String: String] = [:]) -> String {
        guard let text = entries[locale]?[key] else {
            // A missing key shows itself rather than an empty space, and is remembered so that
            // the tests that walk every page can fail on it.
            MissingKeys.shared.record(key)
            return key
        }
        return Self.fill(text, arguments)
    }

    /// The text with each `{name}` that names an argument replaced by its value, in one pass.
    /// A value is never searched again, so one that holds braces (a cohort named `{date}`) stays
    /// as written; a placeholder without an argument stays too. (Foundation's
    /// `replacingOccurrences`, once per argument, took 2.9% of the server's CPU at a test's
    /// opening on the paper's question numbers and points alone: docs/exams.md.)
    static func fill(_ text: String, _ arguments: [String: String]) -> String {
        guard !arguments.isEmpty else { return text }
        let (open, close) = (UInt8(ascii: "{"), UInt8(ascii: "}"))
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        var rest = Substring(text)
        while let brace = rest.utf8.firstIndex(of: open) {
            out += rest[..<brace]
            let name = rest[rest.utf8.index(after: brace)...]
            if let end = name.utf8.firstIndex(where: { $0 == close || $0 == open }), name.utf8[end] == close,
               let value = arguments[String(name[..<end])] {
                out += value
                rest = name[name.utf8.index(after: end)...]
            } else {
                out += "{"
                rest = name
            }
        }
        out += rest
        return out
    }

    public func has(_ key: String) -> Bool {
        AppLocale.allCases.allSatisfy { entries[$0]?[key] != nil }
    }
}

/// Keys asked for that the catalogue does not have, since the process started.
public final class MissingKeys: Sendable {
    public static let shared = MissingKeys()
    private let keys = Mutex<Set<String>>([])

    func record(_ key: String) {
        keys.withLock { _ = $0.insert(key) }
    }

    public var all: Set<String> { keys.withLock { $0 } }
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

    /// `14:05` in the academy's time zone.
    public func time(_ date: Date) -> String {
        date.formatted(Date.VerbatimFormatStyle(
            format: "\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
            timeZone: timeZone, calendar: Calendar(identifier: .gregorian)))
    }

    /// `2026-11-21 14:05` in the academy's time zone: unambiguous in both languages.
    public func dateTime(_ date: Date?) -> String {
        guard let date else { return "" }
        return date.formatted(Date.VerbatimFormatStyle(
            format: "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
            timeZone: timeZone, calendar: Calendar(identifier: .gregorian)))
    }
}
