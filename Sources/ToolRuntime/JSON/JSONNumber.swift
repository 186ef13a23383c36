/// A JSON number, kept as the exact text the wire carried.
///
/// Nothing is lost in conversion: `0.1`, `1e400` and `18446744073709551615` are kept as written.
/// Comparison and equality are exact decimal arithmetic on the lexeme, so `1.0 == 1`, `2.0` is an
/// integer (as JSON Schema says) and `89.99` compares exactly.
public struct JSONNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The number exactly as written in the JSON text.
    public let lexeme: String

    /// Creates a number from JSON number text, or `nil` when the text is not an RFC 8259 number.
    public init?(lexeme: String) {
        guard JSONNumber.isValidLexeme(lexeme.utf8) else { return nil }
        self.lexeme = lexeme
    }

    /// Creates a number from a lexeme already checked by the parser.
    init(uncheckedLexeme: String) { self.lexeme = uncheckedLexeme }

    public init(_ value: Int64) { lexeme = String(value) }

    public init(_ value: Int) { lexeme = String(value) }

    /// Creates a number from a finite `Double` (shortest round-trip text).
    ///
    /// A non-finite value has no JSON form; it becomes `0` rather than text no parser accepts.
    public init(_ value: Double) {
        lexeme = value.isFinite ? JSONNumber.text(for: value) : "0"
    }

    public var description: String { lexeme }

    /// The value as a `Double` (rounded; `1e400` is `+infinity`).
    public var doubleValue: Double { Double(lexeme) ?? (decimal.negative ? -.infinity : .infinity) }

    /// The value as an `Int64` when it is an integer in range (`2.0` and `1e2` count), else `nil`.
    public var int64Value: Int64? {
        if let direct = Int64(lexeme) { return direct }
        let decimal = self.decimal
        guard decimal.isInteger, decimal.pointExponent <= 19 else { return nil }
        var text = decimal.negative ? "-" : ""
        for digit in decimal.digits { text.append(Character(Unicode.Scalar(digit + 48))) }
        if decimal.digits.isEmpty { return 0 }
        for _ in 0..<(decimal.pointExponent - decimal.digits.count) { text.append("0") }
        return Int64(text)
    }

    /// Whether the value is a mathematical integer (`2`, `2.0`, `1e2`; not `2.5`).
    public var isInteger: Bool {
        // A valid lexeme with neither a fraction nor an exponent (`42`, `-7`) is an integer: decided on
        // the bytes, without building the decimal (an allocation per check during schema validation).
        if !lexeme.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            return true
        }
        return decimal.isInteger
    }

    /// The exact decimal value, normalized.
    public var decimal: ExactDecimal { ExactDecimal(lexeme: lexeme) }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        lhs.lexeme == rhs.lexeme || lhs.decimal == rhs.decimal
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(decimal) }

    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool { lhs.decimal < rhs.decimal }

}

extension JSONNumber {
    static func isValidLexeme<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        var index = bytes.startIndex
        func peek() -> UInt8? { index < bytes.endIndex ? bytes[index] : nil }
        func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        if peek() == UInt8(ascii: "-") { index = bytes.index(after: index) }
        guard let first = peek(), isDigit(first) else { return false }
        index = bytes.index(after: index)
        if first != UInt8(ascii: "0") {
            while isDigit(peek()) { index = bytes.index(after: index) }
        }
        if peek() == UInt8(ascii: ".") {
            index = bytes.index(after: index)
            guard isDigit(peek()) else { return false }
            while isDigit(peek()) { index = bytes.index(after: index) }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index = bytes.index(after: index)
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index = bytes.index(after: index) }
            guard isDigit(peek()) else { return false }
            while isDigit(peek()) { index = bytes.index(after: index) }
        }
        return index == bytes.endIndex
    }

    static func text(for value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

/// An exact decimal: `±0.d₁d₂…dₙ × 10^pointExponent`, digits without leading or trailing zeros.
///
/// Used for exact comparison, `multipleOf` and integer checks on number lexemes of any size.
public struct ExactDecimal: Sendable, Hashable, Comparable {
    public var negative: Bool
    /// Significant digits as values 0...9; empty for zero.
    public var digits: [UInt8]
    /// Position of the decimal point relative to the first significant digit.
    public var pointExponent: Int

    public var isZero: Bool { digits.isEmpty }
    public var isInteger: Bool { digits.isEmpty || digits.count <= pointExponent }

    public init(negative: Bool, digits: [UInt8], pointExponent: Int) {
        var digits = digits
        var exponent = pointExponent
        var leading = 0
        while leading < digits.count, digits[leading] == 0 { leading += 1 }
        if leading > 0 {
            digits.removeFirst(leading)
            exponent -= leading
        }
        while let last = digits.last, last == 0 { digits.removeLast() }
        self.negative = digits.isEmpty ? false : negative
        self.digits = digits
        self.pointExponent = digits.isEmpty ? 0 : exponent
    }

    /// Parses a lexeme already known to be a valid JSON number.
    public init(lexeme: String) {
        var negative = false
        var digits: [UInt8] = []
        var pointExponent = 0
        var seenPoint = false
        var exponent = 0
        var exponentNegative = false
        var inExponent = false
        for byte in lexeme.utf8 {
            switch byte {
            case UInt8(ascii: "-") where !inExponent: negative = true
            case UInt8(ascii: "-"): exponentNegative = true
            case UInt8(ascii: "+"): break
            case UInt8(ascii: "."): seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            default:
                let digit = byte &- 0x30
                if inExponent {
                    // Saturate: beyond this the value is out of any practical range anyway.
                    if exponent < 1_000_000_000 { exponent = exponent * 10 + Int(digit) }
                } else {
                    digits.append(digit)
                    if !seenPoint { pointExponent += 1 }
                }
            }
        }
        self.init(
            negative: negative,
            digits: digits,
            pointExponent: pointExponent + (exponentNegative ? -exponent : exponent)
        )
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        if lhs.negative != rhs.negative { return lhs.negative }
        let magnitudeLess = lessInMagnitude(lhs, rhs)
        if lhs.negative { return lessInMagnitude(rhs, lhs) }
        return magnitudeLess
    }

    private static func lessInMagnitude(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> Bool {
        if lhs.isZero || rhs.isZero { return lhs.isZero && !rhs.isZero }
        if lhs.pointExponent != rhs.pointExponent { return lhs.pointExponent < rhs.pointExponent }
        return lhs.digits.lexicographicallyPrecedes(rhs.digits)
    }
}
