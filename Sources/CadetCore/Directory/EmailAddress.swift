/// E-mail addresses identify people. We compare them case-insensitively and check only that
/// they look deliverable; the real check is the password-reset mail reaching its owner.
public enum EmailAddress {
    public static let maximumLength = 254

    public static func normalise(_ value: String) -> String {
        value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    public static func isPlausible(_ value: String) -> Bool {
        guard value.count <= maximumLength, !TextSafety.hasControlCharacters(value),
              !value.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," || $0 == ";" }) else {
            return false
        }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        let domain = parts[1]
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
    }
}

import Foundation
