/// The argument text of one call, followed as it grows: tells the moment the JSON closes, and
/// turns the text into a value (or says where and why it is not JSON).
struct ArgumentParser: Sendable {
    enum Outcome {
        case value(JSONValue)
        case malformed(JSONParseError)
        case unfinished
    }

    let jsonLimits: JSONLimits
    private var depth = 0
    private var inString = false
    private var escape = false
    private var started = false
    private(set) var isComplete = false
    private var offset = 0
    /// Set when the text cannot become JSON (or a bound was crossed); sticky.
    var failure: JSONParseError?

    init(limits: StreamLimits) {
        jsonLimits = JSONLimits(maxDepth: limits.maxJSONDepth, maxBytes: limits.maxArgumentBytes)
    }

    /// Follows the structure of the next fragment (strings, nesting, the end of the top value).
    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil else { return }
        for byte in bytes {
            defer { offset += 1 }
            if isComplete {
                if !isJSONWhitespace(byte) {
                    failure = JSONParseError(
                        .trailingContent,
                        offset: offset,
                        "unexpected \(describeByte(byte)) after the end of the JSON value"
                    )
                    return
                }
                continue
            }
            if inString {
                if escape {
                    escape = false
                } else if byte == UInt8(ascii: "\\") {
                    escape = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { isComplete = true }
                }
                continue
            }
            switch byte {
            case 0x20, 0x0A, 0x0D, 0x09:
                continue
            case UInt8(ascii: "\""):
                started = true
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                started = true
                depth += 1
                if depth > jsonLimits.maxDepth {
                    failure = JSONParseError(
                        .depthLimitExceeded,
                        offset: offset,
                        "JSON nesting exceeds the depth limit of \(jsonLimits.maxDepth)"
                    )
                    return
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth < 0 {
                    failure = JSONParseError(.unexpectedByte, offset: offset, "unexpected \(describeByte(byte)), expected a value")
                    return
                }
                if depth == 0 { isComplete = true }
            default:
                started = true
            }
        }
    }

    /// What the text amounts to now.
    func outcome(arguments: [UInt8]) -> Outcome {
        if let failure { return .malformed(failure) }
        if arguments.allSatisfy(isJSONWhitespace) { return .value(.object(JSONObject())) }
        do {
            return .value(try JSONParser.parse(arguments, limits: jsonLimits))
        } catch {
            return error.kind == .unexpectedEnd && !isComplete ? .unfinished : .malformed(error)
        }
    }
}
