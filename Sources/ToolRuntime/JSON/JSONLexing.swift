// Byte-at-a-time lexing state machines shared by the whole-document parser and the incremental
// parser, so that a number, an escape or a UTF-8 sequence split across fragments is read by exactly
// the same rules as one that arrives whole.

/// Recognizes an RFC 8259 number one byte at a time.
struct NumberScanner: Sendable, Hashable {
    enum State: UInt8, Sendable, Hashable {
        case start, afterMinus, zero, integer, afterPoint, fraction, afterE, afterExponentSign, exponent
    }

    enum Step: Sendable, Equatable {
        case accepted
        /// The byte is not part of the number, and the number so far is complete.
        case ended
        case rejected(String)
    }

    var state: State = .start

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Step {
        switch state {
        case .start:
            if byte == UInt8(ascii: "-") {
                state = .afterMinus
            } else if byte == UInt8(ascii: "0") {
                state = .zero
            } else if Self.isDigit(byte) {
                state = .integer
            } else {
                return .rejected("unexpected \(describeByte(byte)), expected a number")
            }
        case .afterMinus:
            if byte == UInt8(ascii: "0") {
                state = .zero
            } else if Self.isDigit(byte) {
                state = .integer
            } else {
                return .rejected("unexpected \(describeByte(byte)) after '-', expected a digit")
            }
        case .zero:
            if byte == UInt8(ascii: ".") {
                state = .afterPoint
            } else if byte | 0x20 == UInt8(ascii: "e") {
                state = .afterE
            } else if Self.isDigit(byte) {
                return .rejected("a number must not have a leading zero")
            } else {
                return .ended
            }
        case .integer:
            if Self.isDigit(byte) {
                break
            } else if byte == UInt8(ascii: ".") {
                state = .afterPoint
            } else if byte | 0x20 == UInt8(ascii: "e") {
                state = .afterE
            } else {
                return .ended
            }
        case .afterPoint:
            guard Self.isDigit(byte) else {
                return .rejected("unexpected \(describeByte(byte)) after '.', expected a digit")
            }
            state = .fraction
        case .fraction:
            if Self.isDigit(byte) {
                break
            } else if byte | 0x20 == UInt8(ascii: "e") {
                state = .afterE
            } else {
                return .ended
            }
        case .afterE:
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                state = .afterExponentSign
            } else if Self.isDigit(byte) {
                state = .exponent
            } else {
                return .rejected("unexpected \(describeByte(byte)) in an exponent, expected a digit or sign")
            }
        case .afterExponentSign:
            guard Self.isDigit(byte) else {
                return .rejected("unexpected \(describeByte(byte)) in an exponent, expected a digit")
            }
            state = .exponent
        case .exponent:
            if !Self.isDigit(byte) { return .ended }
        }
        return .accepted
    }

    /// Whether the bytes so far form a complete number.
    var isComplete: Bool {
        switch state {
        case .zero, .integer, .fraction, .exponent: true
        default: false
        }
    }

    /// Why the number is unfinished if the input ends here, or `nil` when it is complete.
    var endOfInputError: String? {
        isComplete ? nil : "unexpected end of JSON text inside a number"
    }
}

/// Decodes the inside of a JSON string (after the opening quote) one byte at a time into UTF-8.
///
/// Raw bytes are copied as they are; their UTF-8 validity is checked by the caller, which knows
/// where the string ends. Escapes are decoded here, surrogate pairs joined, lone surrogates refused.
struct StringUnescaper: Sendable {
    enum State: Sendable, Hashable {
        case normal
        case escape
        case unicode(count: UInt8, value: UInt32)
        case lowSurrogateBackslash(high: UInt32)
        case lowSurrogateU(high: UInt32)
        case lowSurrogate(high: UInt32, count: UInt8, value: UInt32)
    }

    enum Step: Sendable, Equatable {
        case more
        case closed
        case rejected(JSONParseError.Kind, String)
    }

    var state: State = .normal
    var output: [UInt8] = []

    /// True between a backslash and the end of its escape (a split point a partial view must not show).
    var isInsideEscape: Bool { state != .normal }

    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Step {
        switch state {
        case .normal:
            if byte == UInt8(ascii: "\"") { return .closed }
            if byte == UInt8(ascii: "\\") {
                state = .escape
            } else if byte < 0x20 {
                return .rejected(.controlCharacter, "unescaped control character \(describeByte(byte)) in a string")
            } else {
                output.append(byte)
            }
        case .escape:
            state = .normal
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(byte)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"): state = .unicode(count: 0, value: 0)
            default: return .rejected(.invalidEscape, "invalid escape '\\\(describeByteBare(byte))' in a string")
            }
        case .unicode(let count, let value):
            guard let digit = Self.hexValue(byte) else {
                return .rejected(.invalidEscape, "invalid \\u escape: \(describeByte(byte)) is not a hex digit")
            }
            let value = value << 4 | digit
            if count < 3 {
                state = .unicode(count: count + 1, value: value)
            } else if (0xD800...0xDBFF).contains(value) {
                state = .lowSurrogateBackslash(high: value)
            } else if (0xDC00...0xDFFF).contains(value) {
                return .rejected(.loneSurrogate, "lone low surrogate \\u\(hex4(value)) in a string")
            } else {
                appendScalar(value)
                state = .normal
            }
        case .lowSurrogateBackslash(let high):
            guard byte == UInt8(ascii: "\\") else {
                return .rejected(.loneSurrogate, "high surrogate \\u\(hex4(high)) is not followed by a low surrogate")
            }
            state = .lowSurrogateU(high: high)
        case .lowSurrogateU(let high):
            guard byte == UInt8(ascii: "u") else {
                return .rejected(.loneSurrogate, "high surrogate \\u\(hex4(high)) is not followed by a low surrogate")
            }
            state = .lowSurrogate(high: high, count: 0, value: 0)
        case .lowSurrogate(let high, let count, let value):
            guard let digit = Self.hexValue(byte) else {
                return .rejected(.invalidEscape, "invalid \\u escape: \(describeByte(byte)) is not a hex digit")
            }
            let value = value << 4 | digit
            if count < 3 {
                state = .lowSurrogate(high: high, count: count + 1, value: value)
            } else if (0xDC00...0xDFFF).contains(value) {
                appendScalar(0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00))
                state = .normal
            } else {
                return .rejected(.loneSurrogate, "high surrogate \\u\(hex4(high)) is followed by \\u\(hex4(value)), not a low surrogate")
            }
        }
        return .more
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte &- 0x30)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte &- 0x57)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte &- 0x37)
        default: nil
        }
    }

    private mutating func appendScalar(_ value: UInt32) {
        switch value {
        case 0..<0x80:
            output.append(UInt8(value))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | (value >> 6)))
            output.append(UInt8(0x80 | (value & 0x3F)))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | (value >> 12)))
            output.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (value & 0x3F)))
        default:
            output.append(UInt8(0xF0 | (value >> 18)))
            output.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
            output.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (value & 0x3F)))
        }
    }
}

private func hex4(_ value: UInt32) -> String {
    let text = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - text.count)) + text
}

private func describeByteBare(_ byte: UInt8) -> String {
    byte >= 0x21 && byte < 0x7F ? String(Character(Unicode.Scalar(byte))) : "\\x" + String(byte, radix: 16)
}

/// Checks UTF-8 one byte at a time (Unicode 15, table 3-7): no overlongs, no encoded surrogates,
/// nothing above U+10FFFF. Resumable across fragment boundaries.
struct UTF8Validator: Sendable, Hashable {
    /// Continuation bytes still expected for the current sequence.
    var remaining: UInt8 = 0
    /// Allowed range of the next continuation byte (narrower right after some lead bytes).
    var lower: UInt8 = 0x80
    var upper: UInt8 = 0xBF

    /// True when no multi-byte sequence is open.
    var isAtBoundary: Bool { remaining == 0 }

    /// Returns `false` when the byte makes the text invalid.
    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        if remaining == 0 {
            switch byte {
            case 0x00...0x7F: return true
            case 0xC2...0xDF: remaining = 1
            case 0xE0:
                remaining = 2
                lower = 0xA0
                return true
            case 0xE1...0xEC, 0xEE...0xEF: remaining = 2
            case 0xED:
                remaining = 2
                upper = 0x9F
                return true
            case 0xF0:
                remaining = 3
                lower = 0x90
                return true
            case 0xF1...0xF3: remaining = 3
            case 0xF4:
                remaining = 3
                upper = 0x8F
                return true
            default: return false
            }
            lower = 0x80
            upper = 0xBF
            return true
        }
        guard byte >= lower && byte <= upper else { return false }
        remaining -= 1
        lower = 0x80
        upper = 0xBF
        return true
    }
}
