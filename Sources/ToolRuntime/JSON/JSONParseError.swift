/// Why a JSON text was rejected, and where.
///
/// `offset` counts bytes from the start of the text the parser was given (for incremental
/// parsing: from the first byte fed). `description` reads as a sentence a model or a person can act on.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case unexpectedEnd = "unexpected_end"
        case unexpectedByte = "unexpected_byte"
        case invalidNumber = "invalid_number"
        case invalidEscape = "invalid_escape"
        case invalidUTF8 = "invalid_utf8"
        case loneSurrogate = "lone_surrogate"
        case controlCharacter = "control_character"
        case depthLimitExceeded = "depth_limit_exceeded"
        case sizeLimitExceeded = "size_limit_exceeded"
        case trailingContent = "trailing_content"
    }

    public var kind: Kind
    /// Byte offset of the problem.
    public var offset: Int
    /// What went wrong, in plain words, without the offending text beyond a byte or two.
    public var message: String

    public init(_ kind: Kind, offset: Int, _ message: String) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) at byte \(offset)" }
}

/// Bounds on what a JSON parser accepts. Exceeding one is a ``JSONParseError``, never a crash.
public struct JSONLimits: Sendable, Hashable {
    /// Deepest nesting of arrays and objects accepted.
    public var maxDepth: Int
    /// Longest text accepted, in bytes.
    public var maxBytes: Int

    public init(maxDepth: Int = 512, maxBytes: Int = 64 * 1024 * 1024) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
    }

    public static let `default` = JSONLimits()
}

/// A byte shown in an error message: printable ASCII as itself, anything else in hex.
func describeByte(_ byte: UInt8) -> String {
    if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    let hex = String(byte, radix: 16, uppercase: true)
    return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
}
