/// What a model costs per token, in integer micro-cents (millionths of a cent) per million tokens, so
/// prices like $0.075 per million tokens stay exact: never a floating-point amount of money.
///
/// ```swift
/// // $2.50 / 1M input tokens, $10.00 / 1M output tokens
/// let gpt4o = ModelPrice(inputMicrocentsPerMillionTokens: 250_000_000,
///                        outputMicrocentsPerMillionTokens: 1_000_000_000)
/// let prices = ["gpt-4o": gpt4o]
/// ```
public struct ModelPrice: Sendable, Hashable {
    public var inputMicrocentsPerMillionTokens: Int64
    public var outputMicrocentsPerMillionTokens: Int64

    public init(inputMicrocentsPerMillionTokens: Int64, outputMicrocentsPerMillionTokens: Int64) {
        self.inputMicrocentsPerMillionTokens = inputMicrocentsPerMillionTokens
        self.outputMicrocentsPerMillionTokens = outputMicrocentsPerMillionTokens
    }

    /// Prices given in whole cents per million tokens ($2.50 → 250).
    public init(inputCentsPerMillionTokens: Int64, outputCentsPerMillionTokens: Int64) {
        self.init(
            inputMicrocentsPerMillionTokens: inputCentsPerMillionTokens * 1_000_000,
            outputMicrocentsPerMillionTokens: outputCentsPerMillionTokens * 1_000_000
        )
    }

    /// The cost of `usage`, or `nil` when it reports no token counts.
    public func cost(of usage: Usage) -> Cost? {
        guard usage.promptTokens != nil || usage.completionTokens != nil else { return nil }
        // Exact products summed, then one division. 10^9 tokens at $10,000 per million tokens
        // (10^12 micro-cents) is 10^21: guard the multiplication rather than trap.
        let (input, inputOverflow) = Int64(usage.promptTokens ?? 0)
            .multipliedReportingOverflow(by: inputMicrocentsPerMillionTokens)
        let (output, outputOverflow) = Int64(usage.completionTokens ?? 0)
            .multipliedReportingOverflow(by: outputMicrocentsPerMillionTokens)
        let (sum, sumOverflow) = input.addingReportingOverflow(output)
        guard !inputOverflow, !outputOverflow, !sumOverflow else { return nil }
        return Cost(microcents: sum / 1_000_000)
    }
}

/// An amount of money in integer micro-cents (1 cent = 1,000,000 micro-cents).
public struct Cost: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var microcents: Int64

    public init(microcents: Int64) { self.microcents = microcents }

    public static let zero = Cost(microcents: 0)

    /// Whole cents, rounded half up.
    public var cents: Int64 { (microcents + 500_000) / 1_000_000 }

    public static func + (lhs: Cost, rhs: Cost) -> Cost { Cost(microcents: lhs.microcents + rhs.microcents) }
    public static func < (lhs: Cost, rhs: Cost) -> Bool { lhs.microcents < rhs.microcents }

    /// Dollars with six decimals (`$0.001234`), from integers only.
    public var description: String {
        let perDollar: Int64 = 100_000_000  // micro-cents per dollar
        let sign = microcents < 0 ? "-" : ""
        let magnitude = microcents.magnitude
        let whole = magnitude / UInt64(perDollar)
        let fraction = (magnitude % UInt64(perDollar)) / 100  // millionths of a dollar
        let digits = String(fraction)
        return "\(sign)$\(whole).\(String(repeating: "0", count: 6 - digits.count))\(digits)"
    }
}
