/// Parses a complete JSON text (RFC 8259) into a ``JSONValue``.
///
/// This is ``IncrementalJSONParser`` fed the whole text at once: one engine, so a text is
/// accepted or rejected (same kind, same offset) however it is split. Byte-level and
/// non-recursive: nesting costs heap, not stack, so `[[[[…` 100,000 deep is a
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
        var parser = IncrementalJSONParser(limits: limits)
        try parser.feed(bytes)
        return try parser.finish()
    }
}
