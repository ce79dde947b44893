import Foundation

/// What one taker gets: the questions drawn for them, in their order, with their choices in
/// their order. Neighbours get different papers; each paper is kept, so it can be shown again
/// exactly and explained afterwards.
public struct Paper: Codable, Equatable, Sendable {
    public struct Item: Codable, Equatable, Sendable {
        public let section: String
        public let question: String
        /// Position on the paper → the choice's index in the question as written.
        public let choiceOrder: [Int]

        public init(section: String, question: String, choiceOrder: [Int]) {
            self.section = section
            self.question = question
            self.choiceOrder = choiceOrder
        }
    }

    public let items: [Item]

    public init(items: [Item]) {
        self.items = items
    }

    /// The section plan a paper is drawn from.
    public struct SectionPlan: Sendable {
        public let key: String
        /// How many of the section's questions each taker gets (all when nil or too many).
        public let draw: Int?
        public let questions: [(key: String, choices: Int)]

        public init(key: String, draw: Int?, questions: [(key: String, choices: Int)]) {
            self.key = key
            self.draw = draw
            self.questions = questions
        }
    }

    /// Draws a paper: sections stay in order; within each, N of M questions in a shuffled order,
    /// and each question's choices shuffled. The same seed gives the same paper.
    public static func draw(_ sections: [SectionPlan], seed: UInt64) -> Paper {
        var generator = SeededGenerator(seed: seed)
        var items: [Item] = []
        for section in sections {
            var pool = section.questions
            pool.shuffle(using: &generator)
            let count = min(section.draw ?? pool.count, pool.count)
            for question in pool.prefix(count) {
                var order = Array(0..<question.choices)
                order.shuffle(using: &generator)
                items.append(Item(section: section.key, question: question.key, choiceOrder: order))
            }
        }
        return Paper(items: items)
    }

    /// A stable seed from an attempt's identity, so a paper can be drawn again to check it.
    public static func seed(_ text: String) -> UInt64 {
        // FNV-1a: Swift's Hasher is seeded per process, which would change papers between runs.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
