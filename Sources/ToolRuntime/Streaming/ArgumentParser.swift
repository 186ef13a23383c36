/// The argument text of one call, checked as it grows by an ``IncrementalJSONParser``: it tells the
/// moment the JSON closes and says where and why a text is not JSON. No byte is parsed twice,
/// whatever the number of fragments.
///
/// The parser only checks the text (its `building` is off): a call's value is made from its text
/// when someone reads ``ToolCall/value``, and a consumer that validates the text's bytes against
/// a schema (``JSONSchema/isValid(json:limits:)-(UnsafeRawBufferPointer,_)``) never needs it. A
/// partial view needs the values as they arrive: the first one asked for switches the parser to
/// building, replaying the text so far once (a UI asks after the first fragment, so that text is
/// short); from then on each byte is again parsed once.
struct ArgumentParser: Sendable {
    enum Outcome {
        /// The text is one JSON value: the value when the parser built it, `nil` when it is to be
        /// parsed from the text.
        case value(JSONValue?)
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
        parser.building = false
    }

    /// Whether the top-level value has closed (and nothing but whitespace followed).
    var isComplete: Bool {
        @inline(__always) get { failure == nil && parser.isComplete }
    }

    /// Whether values are built as the text arrives (once a partial view was asked for).
    var isBuilding: Bool { parser.building }

    /// The bounds the text is checked against, for parsing it whole later.
    var limits: JSONLimits { parser.limits }

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
        if parser.isComplete, parser.failure == nil {
            return .value(parser.building ? parser.result : nil)
        }
        return Self.finished(parser)
    }

    /// What the text amounts to if it ends here: finishes a copy of the parser. Out of line, as
    /// inlined the compiler copied the parser (a few hundred bytes and their references) ahead of
    /// the completeness check above, for every call.
    @inline(never)
    private static func finished(_ parser: IncrementalJSONParser) -> Outcome {
        var copy = parser
        var sink = NoJSONEvents()
        do {
            try copy.finishText(&sink)
            return .value(copy.building ? copy.result : nil)
        } catch {
            return error.kind == .unexpectedEnd ? .unfinished : .malformed(error)
        }
    }

    /// The value so far, for a live view of arguments still streaming. `text` is everything fed.
    func partialValue(text: [UInt8]) -> JSONValue? {
        guard sawValue else { return nil }
        if parser.building { return parser.partialValue() }
        return Self.building(parser.limits, text: text).partialValue()
    }

    /// A snapshot of the value so far sharing this parser's storage (see ``PartialJSON``); `nil`
    /// before any value started or once the text is not JSON. `text` is everything fed.
    mutating func partialSnapshot(text: [UInt8]) -> PartialJSON? {
        guard sawValue, failure == nil else { return nil }
        if !parser.building { parser = Self.building(parser.limits, text: text) }
        return parser.partialSnapshot()
    }

    /// A building parser that has read `text` (which a checking parser accepted so far).
    private static func building(_ limits: JSONLimits, text: [UInt8]) -> IncrementalJSONParser {
        var parser = IncrementalJSONParser(limits: limits)
        // The same engine with the same bounds accepted these bytes: this cannot throw.
        try? parser.feed(text)
        return parser
    }
}
