/// The argument text of one call, parsed as it grows by an ``IncrementalJSONParser``: it tells the
/// moment the JSON closes, has the value built by then, and says where and why a text is not JSON.
/// No byte is parsed twice, whatever the number of fragments.
struct ArgumentParser: Sendable {
    enum Outcome {
        case value(JSONValue)
        case malformed(JSONParseError)
        case unfinished
    }

    private(set) var parser: IncrementalJSONParser
    /// Set when the text cannot become JSON (or a bound was crossed); sticky.
    var failure: JSONParseError?
    /// Whether anything but whitespace arrived (whitespace only means `{}`).
    private var sawValue = false

    init(limits: StreamLimits) {
        parser = IncrementalJSONParser(
            limits: JSONLimits(maxDepth: limits.maxJSONDepth, maxBytes: limits.maxArgumentBytes)
        )
    }

    /// Whether the top-level value has closed (and nothing but whitespace followed).
    var isComplete: Bool { failure == nil && parser.isComplete }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil else { return }
        if !sawValue { sawValue = bytes.contains { !isJSONWhitespace($0) } }
        do {
            try parser.feed(bytes)
        } catch {
            failure = error
        }
    }

    /// What the text amounts to now.
    func outcome() -> Outcome {
        if let failure { return .malformed(failure) }
        if !sawValue { return .value(.object(JSONObject())) }
        // A closed text has its value already: no need to copy the parser to finish a copy.
        if parser.isComplete, parser.failure == nil, let result = parser.result { return .value(result) }
        var copy = parser
        do {
            return .value(try copy.finish())
        } catch {
            return error.kind == .unexpectedEnd ? .unfinished : .malformed(error)
        }
    }

    /// The value so far, for a live view of arguments still streaming.
    func partialValue() -> JSONValue? {
        sawValue ? parser.partialValue() : nil
    }

    /// A snapshot of the value so far sharing this parser's storage (see ``PartialJSON``); `nil`
    /// before any value started or once the text is not JSON.
    mutating func partialSnapshot() -> PartialJSON? {
        guard sawValue, failure == nil else { return nil }
        return parser.partialSnapshot()
    }
}
