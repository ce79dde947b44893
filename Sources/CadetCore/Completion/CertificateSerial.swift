import Foundation

/// A certificate's serial number: a prefix naming the programme and cohort, and ten random
/// characters of Crockford's base32 (no I, L, O or U to misread), so serials cannot be guessed
/// or walked to list an academy's graduates on the public verify page.
public struct CertificateSerial: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    public init<G: RandomNumberGenerator>(prefix: String, using generator: inout G) {
        let cleaned = prefix.uppercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(12)
        let random = (0..<10).map { _ in Self.alphabet[Int(generator.next() % UInt64(Self.alphabet.count))] }
        value = "\(cleaned.isEmpty ? "CADET" : String(cleaned))-\(String(random.prefix(5)))-\(String(random.suffix(5)))"
    }

    /// Accepts what a person types from a printed certificate: any case, spaces, and the
    /// letters Crockford's base32 reads as digits.
    public init?(typed: String) {
        let parts = typed.uppercased().filter { !$0.isWhitespace }.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count <= 12, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        var random = ""
        for character in parts[1] + parts[2] {
            let read: Character = switch character { case "O": "0"; case "I", "L": "1"; default: character }
            guard Self.alphabet.contains(read) else { return nil }
            random.append(read)
        }
        guard parts[1].count == 5, parts[2].count == 5 else { return nil }
        value = "\(parts[0])-\(random.prefix(5))-\(random.suffix(5))"
    }

    public var description: String { value }
}
