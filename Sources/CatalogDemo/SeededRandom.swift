/// A small deterministic random generator (SplitMix64): the same seed gives the same stream on
/// every machine and run, unlike `SystemRandomNumberGenerator` or `Hasher` (seeded per process).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for one purpose, derived from a seed and any number of strings (e.g. the user's
    /// message and the step number), so each conversation step has its own repeatable stream.
    public init(seed: UInt64, _ parts: String...) {
        var hash = StableHash()
        hash.combine(seed)
        for part in parts { hash.combine(part) }
        state = hash.value
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// FNV-1a over bytes: stable across processes, for deriving ids and seeds from text.
public struct StableHash: Sendable {
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    public init() {}

    public mutating func combine(_ text: String) {
        for byte in text.utf8 { combine(byte: byte) }
        combine(byte: 0xFF)  // separator: ("ab","c") and ("a","bc") differ
    }

    public mutating func combine(_ number: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { combine(byte: UInt8(truncatingIfNeeded: number >> UInt64(shift))) }
    }

    private mutating func combine(byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01B3
    }
}
