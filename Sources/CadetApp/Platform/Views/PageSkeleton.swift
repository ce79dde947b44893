import Synchronization

/// A Leaf page rendered once with markers where its per-request values go, and then filled in
/// by concatenation.
///
/// For a page thousands of people ask for in the same seconds: at a test's opening ten thousand
/// takers each get their paper, and Leaf's rendering of the layout around it (turning the
/// context into Leaf's values, walking the template, escaping) was about 7% of the server's CPU
/// in the opening's profile (docs/exams.md). The page stays Leaf's: the skeleton *is* Leaf's
/// output, and a test checks that a filled-in skeleton is byte for byte what Leaf renders with
/// the same values. Whatever changes the page's structure (its language, its links, which
/// optional parts appear) must be part of the key it is kept under; markers stand for the rest.
struct PageSkeleton: Sendable {
    private enum Piece: Sendable {
        case text(String)
        case value(Int)
    }

    private let pieces: [Piece]
    private let textLength: Int

    /// Stands for value `index` in the context the skeleton is rendered with: characters from
    /// Unicode's private use area, which Leaf's escaping leaves as they are and no text of ours
    /// contains. The values filled in later are never searched for markers.
    static func marker(_ index: Int) -> String { "\u{E000}\(index)\u{E001}" }

    init(rendered: String) {
        let parts = rendered.unicodeScalars.split(separator: "\u{E000}", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
        var pieces: [Piece] = [.text(parts[0])]
        for part in parts.dropFirst() {
            guard let end = part.firstIndex(of: "\u{E001}"), let index = Int(part[..<end]) else {
                pieces.append(.text("\u{E000}" + part))
                continue
            }
            pieces.append(.value(index))
            pieces.append(.text(String(part[part.index(after: end)...])))
        }
        self.pieces = pieces
        textLength = pieces.reduce(0) { total, piece in
            if case .text(let text) = piece { return total + text.utf8.count }
            return total
        }
    }

    /// The page with `values[i]` in place of marker `i`. Values go in as they are: escape those
    /// that Leaf would have escaped.
    func fill(_ values: [String]) -> String {
        var out = ""
        out.reserveCapacity(textLength + values.reduce(0) { $0 + $1.utf8.count })
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .value(let index): out += values[index]
            }
        }
        return out
    }
}

/// Skeletons by page and shape, each made at the first request that needs it.
final class PageSkeletons: Sendable {
    private let made = Mutex<[String: PageSkeleton]>([:])
    /// Shapes are few (languages × links × optional parts); the bound only keeps a mistake in a
    /// key from growing without end.
    private static let most = 256

    func skeleton(_ key: String, render: () async throws -> String) async throws -> PageSkeleton {
        if let kept = made.withLock({ $0[key] }) { return kept }
        let skeleton = PageSkeleton(rendered: try await render())
        made.withLock { made in
            if made.count >= Self.most { made.removeAll() }
            made[key] = skeleton
        }
        return skeleton
    }
}
