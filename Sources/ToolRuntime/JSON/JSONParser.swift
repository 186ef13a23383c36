/// Parses a complete JSON text (RFC 8259) into a ``JSONValue``.
///
/// Byte-level and non-recursive: nesting costs heap, not stack, so `[[[[…` 100,000 deep is a
/// ``JSONParseError/Kind/depthLimitExceeded`` error, not a crash. Invalid UTF-8, lone surrogates
/// and control characters in strings are rejected. Number lexemes are kept exactly.
///
/// ```swift
/// let value = try JSONParser.parse(#"{"items":[{"quantity":1}]}"#)
/// ```
public enum JSONParser {
    public static func parse(_ text: String, limits: JSONLimits = .default) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { buffer in
            Result { () throws(JSONParseError) in try parse(bytes: UnsafeRawBufferPointer(buffer), limits: limits) }
        }.get()
    }

    public static func parse(_ bytes: [UInt8], limits: JSONLimits = .default) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try parse(bytes: buffer, limits: limits) }
        }.get()
    }

    public static func parse(
        bytes: UnsafeRawBufferPointer,
        limits: JSONLimits = .default
    ) throws(JSONParseError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else {
            throw JSONParseError(
                .sizeLimitExceeded,
                offset: limits.maxBytes,
                "JSON text of \(bytes.count) bytes exceeds the limit of \(limits.maxBytes) bytes"
            )
        }
        var parser = DocumentParser(bytes: bytes, limits: limits)
        return try parser.parseDocument()
    }
}

/// One parse of one buffer. The container stack replaces recursion.
private struct DocumentParser {
    private struct Frame {
        var isObject: Bool
        var array: [JSONValue] = []
        var object = JSONObject()
        var key = ""
    }

    let bytes: UnsafeRawBufferPointer
    let limits: JSONLimits
    var position = 0
    private var stack: [Frame] = []

    init(bytes: UnsafeRawBufferPointer, limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        var value = try parseValueOrOpen()
        while true {
            if let completed = value {
                guard !stack.isEmpty else { break }
                value = try attach(completed)
            } else {
                value = try parseValueOrOpen()
            }
        }
        skipWhitespace()
        if position < bytes.count {
            throw JSONParseError(
                .trailingContent,
                offset: position,
                "unexpected \(describeByte(bytes[position])) after the end of the JSON value"
            )
        }
        return value!
    }

    /// Reads a scalar (returned) or opens a container (returns `nil`, or the empty container).
    private mutating func parseValueOrOpen() throws(JSONParseError) -> JSONValue? {
        skipWhitespace()
        guard position < bytes.count else {
            throw JSONParseError(.unexpectedEnd, offset: position, "unexpected end of JSON text, expected a value")
        }
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "{"):
            try push(isObject: true)
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                stack.removeLast()
                return .object(JSONObject())
            }
            try readKey()
            return nil
        case UInt8(ascii: "["):
            try push(isObject: false)
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                stack.removeLast()
                return .array([])
            }
            return nil
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try readNumber())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            throw JSONParseError(.unexpectedByte, offset: position, "unexpected \(describeByte(byte)), expected a value")
        }
    }

    /// Adds a finished value to the innermost container; returns that container if it closed.
    private mutating func attach(_ value: JSONValue) throws(JSONParseError) -> JSONValue? {
        let top = stack.count - 1
        skipWhitespace()
        let separator: UInt8? = position < bytes.count ? bytes[position] : nil
        if stack[top].isObject {
            stack[top].object[stack[top].key] = value
            switch separator {
            case UInt8(ascii: ","):
                position += 1
                try readKey()
                return nil
            case UInt8(ascii: "}"):
                position += 1
                return .object(stack.removeLast().object)
            default:
                throw unexpected(separator, expected: "',' or '}' in an object")
            }
        } else {
            stack[top].array.append(value)
            switch separator {
            case UInt8(ascii: ","):
                position += 1
                return nil
            case UInt8(ascii: "]"):
                position += 1
                return .array(stack.removeLast().array)
            default:
                throw unexpected(separator, expected: "',' or ']' in an array")
            }
        }
    }

    private mutating func push(isObject: Bool) throws(JSONParseError) {
        guard stack.count < limits.maxDepth else {
            throw JSONParseError(
                .depthLimitExceeded,
                offset: position,
                "JSON nesting exceeds the depth limit of \(limits.maxDepth)"
            )
        }
        position += 1
        stack.append(Frame(isObject: isObject))
    }

    private mutating func readKey() throws(JSONParseError) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            throw unexpected(position < bytes.count ? bytes[position] : nil, expected: "a string key in an object")
        }
        let key = try readString()
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
            throw unexpected(position < bytes.count ? bytes[position] : nil, expected: "':' after an object key")
        }
        position += 1
        stack[stack.count - 1].key = key
    }

    private func unexpected(_ byte: UInt8?, expected: String) -> JSONParseError {
        guard let byte else {
            return JSONParseError(.unexpectedEnd, offset: position, "unexpected end of JSON text, expected \(expected)")
        }
        return JSONParseError(.unexpectedByte, offset: position, "unexpected \(describeByte(byte)), expected \(expected)")
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = position
        let length = literal.utf8CodeUnitCount
        for i in 0..<length {
            guard position < bytes.count else {
                throw JSONParseError(.unexpectedEnd, offset: position, "unexpected end of JSON text inside '\(literal)'")
            }
            guard bytes[position] == literal.utf8Start[i] else {
                throw JSONParseError(
                    .unexpectedByte,
                    offset: position,
                    "unexpected \(describeByte(bytes[position])) in literal starting at byte \(start), expected '\(literal)'"
                )
            }
            position += 1
        }
    }

    private mutating func readNumber() throws(JSONParseError) -> JSONNumber {
        let start = position
        var scanner = NumberScanner()
        while position < bytes.count {
            switch scanner.consume(bytes[position]) {
            case .accepted: position += 1
            case .ended: return makeNumber(start: start)
            case .rejected(let message): throw JSONParseError(.invalidNumber, offset: position, message)
            }
        }
        if let message = scanner.endOfInputError {
            throw JSONParseError(.invalidNumber, offset: position, message)
        }
        return makeNumber(start: start)
    }

    private func makeNumber(start: Int) -> JSONNumber {
        JSONNumber(uncheckedLexeme: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
    }

    private mutating func readString() throws(JSONParseError) -> String {
        let open = position
        position += 1
        let contentStart = position
        // Fast path: no escapes. Validation of UTF-8 is left to the standard library.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[contentStart..<position])
                position += 1
                return try validatedString(raw, offset: contentStart)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw controlCharacter(byte, at: position) }
            position += 1
        }
        guard position < bytes.count else {
            throw JSONParseError(.unexpectedEnd, offset: position, "unterminated string starting at byte \(open)")
        }
        // Slow path: decode escapes into a scratch buffer.
        var decoder = StringUnescaper()
        decoder.output.reserveCapacity(position - contentStart + 16)
        decoder.output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[contentStart..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch decoder.consume(byte) {
            case .more: position += 1
            case .closed:
                position += 1
                return try validatedString(decoder.output, offset: contentStart)
            case .rejected(let kind, let message):
                throw JSONParseError(kind, offset: position, message)
            }
        }
        throw JSONParseError(.unexpectedEnd, offset: position, "unterminated string starting at byte \(open)")
    }

    private func controlCharacter(_ byte: UInt8, at offset: Int) -> JSONParseError {
        JSONParseError(.controlCharacter, offset: offset, "unescaped control character \(describeByte(byte)) in a string")
    }
}

func validatedString(_ bytes: some Collection<UInt8>, offset: Int) throws(JSONParseError) -> String {
    if let string = String(validating: bytes, as: UTF8.self) { return string }
    var validator = UTF8Validator()
    var index = 0
    for byte in bytes {
        if validator.consume(byte) == false { break }
        index += 1
    }
    throw JSONParseError(.invalidUTF8, offset: offset + index, "invalid UTF-8 in a string")
}
