/// Slugs name programmes and cohorts in addresses and on the command line (`gwangju-ai`, `c1`).
public enum Slug {
    public static let minimumLength = 1
    public static let maximumLength = 40

    /// Lowercase ASCII letters, digits and single inner hyphens: safe in a URL and a shell.
    public static func isValid(_ value: String) -> Bool {
        guard (minimumLength...maximumLength).contains(value.count),
              let first = value.first, let last = value.last,
              first != "-", last != "-", !value.contains("--") else {
            return false
        }
        return value.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
