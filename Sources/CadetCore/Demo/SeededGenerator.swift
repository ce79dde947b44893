/// SplitMix64: a tiny, fast generator whose output depends only on its seed, so the demo
/// academy is the same on every machine and every run.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Array {
    /// Exactly `count` copies of each value, in a seeded order: quotas that reproduce a published
    /// breakdown exactly while still looking mixed.
    static func quota<G: RandomNumberGenerator>(_ counts: [(Element, Int)], using generator: inout G) -> [Element] {
        var values = counts.flatMap { Array(repeating: $0.0, count: $0.1) }
        values.shuffle(using: &generator)
        return values
    }
}
