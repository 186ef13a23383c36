import OrderedCollections

/// Receives the structural events of an ``IncrementalJSONParser`` as the bytes arrive.
///
/// A streaming schema validator or a UI model implements this; the events follow the contract
/// documented on ``JSONEvent``.
public protocol JSONEventSink {
    mutating func receive(_ event: JSONEvent)
}

/// The sink of the no-events path. Its type is checked at compile time (after specialization)
/// so that the engine does not even build event payloads when nobody listens.
struct NoJSONEvents: JSONEventSink {
    @inline(__always)
    func receive(_ event: JSONEvent) {}
}

/// A push parser for one JSON text (RFC 8259) that arrives in fragments split anywhere.
///
/// Feed it bytes as they come: inside a UTF-8 sequence, a `\uD83D\uDE00` pair, a number or a
/// literal are all fine split points. It never re-reads an earlier byte, keeps lexing state
/// proportional to the nesting depth (plus the open string or number), and builds the final
/// ``JSONValue`` as it goes, so ``finish()`` costs nothing more than closing what is open.
/// The same rules as ``JSONParser`` apply (``JSONParser`` runs this engine over the whole
/// text), so a text is rejected with the same ``JSONParseError`` however it is split.
///
/// ```swift
/// var parser = IncrementalJSONParser()
/// try parser.feed(#"{"sku":"SKU-2"#)
/// try parser.feed(#"024","quantity":2}"#)
/// let arguments = try parser.finish()   // {"sku":"SKU-2024","quantity":2}
/// ```
///
/// Errors are sticky: after one, every further ``feed(_:)-([UInt8])`` and ``finish()`` rethrows it.
/// Offsets in errors count from the first byte ever fed.
public struct IncrementalJSONParser: Sendable {
    /// What the next byte may be.
    enum Mode: UInt8, Sendable {
        /// A value (at the top level, after ':' or after ',' in an array).
        case value
        /// A value or ']' (right after '[').
        case valueOrArrayEnd
        /// A key or '}' (right after '{').
        case keyOrObjectEnd
        /// A key (after ',' in an object).
        case key
        case colon
        /// ',' or the end of the innermost container.
        case afterValue
        /// Inside a string value.
        case string
        /// Inside an object key.
        case keyString
        case number
        case literal
        /// The top-level value is complete; only whitespace may follow.
        case done
    }

    /// An open array or object (the stack replaces recursion). Its members so far are
    /// `values[valueStart...]` and, for an object, `keys[keyStart...]`; an object's last key may
    /// be one ahead of its values while that member's value is being read.
    struct Frame: Sendable {
        var isObject: Bool
        var valueStart: Int
        var keyStart: Int
        /// Tells this container from an earlier one at the same depth (for ``partialSnapshot()``).
        var id: Int
    }

    public let limits: JSONLimits
    /// Off, the parser only checks the text (syntax, UTF-8, escapes, depth and size bounds, with the
    /// same errors at the same offsets) and keeps no value, key, string or number lexeme, unless an
    /// event sink needs them for its events: `result` stays `nil`. The tool-call assembler streams
    /// arguments this way and builds a call's value from its text only when someone reads it.
    /// Switch it only before the first byte; ``partialSnapshot()`` and ``partialValue()`` need it on.
    var building = true
    var mode: Mode = .value
    var frames: [Frame] = []
    /// The members of all open containers, innermost last. One shared stack instead of an array
    /// per container: each container is built once, at its exact size, when it closes.
    var values: [JSONValue] = []
    var keys: [String] = []
    var openedContainers = 0
    /// What ``partialSnapshot()`` published so far (nothing until the first snapshot).
    var mirror = PartialMirror()
    var result: JSONValue?
    var failure: JSONParseError?
    var consumed = 0

    // The open token, when one spans fragments.
    /// Offset of the open string's quote, number's first byte or literal's first byte.
    var tokenStart = 0
    /// Escape state and the decoded bytes of the open string (only once it spans a fragment
    /// boundary or holds an escape; a string seen whole in one fragment is never copied here).
    var unescaper = StringUnescaper()
    var utf8 = UTF8Validator()
    /// Whether `unescaper.output` holds the open string's prefix.
    var stringIsBuffered = false
    /// How many bytes of `unescaper.output` were already sent as `stringFragment`.
    var fragmentSent = 0
    var number = NumberScanner()
    var numberBytes: [UInt8] = []
    var literal = Literal.null
    var literalMatched = 0

    enum Literal: UInt8, Sendable {
        case `true`, `false`, null

        var text: StaticString {
            switch self {
            case .true: "true"
            case .false: "false"
            case .null: "null"
            }
        }

        var value: JSONValue {
            switch self {
            case .true: .bool(true)
            case .false: .bool(false)
            case .null: .null
            }
        }
    }

    public init(limits: JSONLimits = .default) {
        self.limits = limits
    }

    /// The top-level value has closed. A top-level number closes only at trailing whitespace
    /// or at ``finish()``, because another digit could still follow.
    public var isComplete: Bool { mode == .done }

    /// Bytes fed so far (all of them once accepted; an error stops the count where it struck).
    public var bytesConsumed: Int { consumed }

    /// The nesting depth of the open containers.
    public var depth: Int { frames.count }

    // MARK: Feeding

    /// Parses the next fragment, building the value only (no events: the fast path).
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) {
        var sink = NoJSONEvents()
        try run(bytes, &sink)
    }

    /// Parses the next fragment and reports its structural events to `events`.
    public mutating func feed<S: JSONEventSink>(
        _ bytes: UnsafeRawBufferPointer,
        events: inout S
    ) throws(JSONParseError) {
        try run(bytes, &events)
    }

    public mutating func feed(_ text: String) throws(JSONParseError) {
        var text = text
        try text.withUTF8 { buffer in
            Result { () throws(JSONParseError) in try feed(UnsafeRawBufferPointer(buffer)) }
        }.get()
    }

    public mutating func feed(_ bytes: [UInt8]) throws(JSONParseError) {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try feed(buffer) }
        }.get()
    }

    public mutating func feed<S: JSONEventSink>(_ text: String, events: inout S) throws(JSONParseError) {
        var text = text
        try text.withUTF8 { buffer in
            Result { () throws(JSONParseError) in try run(UnsafeRawBufferPointer(buffer), &events) }
        }.get()
    }

    public mutating func feed<S: JSONEventSink>(_ bytes: [UInt8], events: inout S) throws(JSONParseError) {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try run(buffer, &events) }
        }.get()
    }

    // MARK: Finishing

    /// Declares the end of input and returns the complete value.
    ///
    /// - Throws: ``JSONParseError/Kind/unexpectedEnd`` when the text is unfinished (an open
    ///   container, string, literal or number, or nothing at all), or the error that stopped parsing.
    public mutating func finish() throws(JSONParseError) -> JSONValue {
        var sink = NoJSONEvents()
        return try finishing(&sink)
    }

    /// Declares the end of input, reporting the closing `number` event of a top-level number.
    public mutating func finish<S: JSONEventSink>(events: inout S) throws(JSONParseError) -> JSONValue {
        try finishing(&events)
    }

    mutating func finishing<S: JSONEventSink>(_ sink: inout S) throws(JSONParseError) -> JSONValue {
        try finishText(&sink)
        // Every parser reachable from outside builds; one that does not (`building` off) is only
        // asked whether its text is JSON (see ``finishText(_:)``).
        return result ?? .null
    }

    /// Declares the end of input and checks that the text is one whole JSON value, without
    /// needing the value: what ``finish()`` does for a parser that does not build.
    mutating func finishText<S: JSONEventSink>(_ sink: inout S) throws(JSONParseError) {
        if let failure { throw failure }
        if mode == .number, number.isComplete {
            completeNumber(tail: UnsafeRawBufferPointer(start: nil, count: 0), &sink)
        }
        if mode == .done { return }
        let error = JSONParseError(.unexpectedEnd, offset: consumed, endOfInputMessage)
        failure = error
        throw error
    }

    private var endOfInputMessage: String {
        let open = frames.isEmpty ? "" : " (\(frames.count) container\(frames.count == 1 ? "" : "s") still open)"
        switch mode {
        case .value, .valueOrArrayEnd:
            return frames.isEmpty && mode == .value
                ? "unexpected end of JSON text, expected a value"
                : "unexpected end of JSON text, expected a value\(open)"
        case .keyOrObjectEnd, .key: return "unexpected end of JSON text, expected a string key in an object\(open)"
        case .colon: return "unexpected end of JSON text, expected ':' after an object key\(open)"
        case .afterValue:
            return frames.last?.isObject == true
                ? "unexpected end of JSON text, expected ',' or '}' in an object\(open)"
                : "unexpected end of JSON text, expected ',' or ']' in an array\(open)"
        case .string, .keyString: return "unterminated string starting at byte \(tokenStart)"
        case .number: return "unexpected end of JSON text inside a number"
        case .literal: return "unexpected end of JSON text inside '\(literal.text)'"
        case .done: return "unexpected end of JSON text"
        }
    }

    // MARK: The engine

    @inline(__always)
    private static func emits<S: JSONEventSink>(_: S.Type) -> Bool { S.self != NoJSONEvents.self }

    /// Whether strings and number lexemes must be kept: for the value, or for the events.
    @inline(__always)
    private func keepsText<S: JSONEventSink>(_: S.Type) -> Bool { building || Self.emits(S.self) }

    @inline(__always)
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte <= 0x20 && (byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09)
    }

    mutating func run<S: JSONEventSink>(_ bytes: UnsafeRawBufferPointer, _ sink: inout S) throws(JSONParseError) {
        if let failure { throw failure }
        let base = consumed
        // Parse only up to the byte limit, so an earlier error is reported as it would be unsplit.
        let allowed = limits.maxBytes - consumed
        let input = bytes.count > allowed ? UnsafeRawBufferPointer(rebasing: bytes[0..<max(0, allowed)]) : bytes
        do {
            try parse(input, base: base, &sink)
            consumed += input.count
        } catch {
            failure = error
            throw error
        }
        if input.count < bytes.count {
            let error = JSONParseError(
                .sizeLimitExceeded,
                offset: limits.maxBytes,
                "JSON text exceeds the limit of \(limits.maxBytes) bytes"
            )
            failure = error
            throw error
        }
    }

    private mutating func parse<S: JSONEventSink>(
        _ p: UnsafeRawBufferPointer,
        base: Int,
        _ sink: inout S
    ) throws(JSONParseError) {
        let n = p.count
        var i = 0
        while i < n {
            switch mode {
            case .string, .keyString:
                i = try scanString(p, from: i, base: base, &sink)
                continue
            case .number:
                i = try scanNumber(p, from: i, base: base, &sink)
                continue
            case .literal:
                i = try scanLiteral(p, from: i, base: base, &sink)
                continue
            default:
                break
            }
            let byte = p[i]
            if Self.isWhitespace(byte) {
                i += 1
                continue
            }
            switch mode {
            case .value:
                i = try startValue(byte, p, at: i, base: base, &sink)
            case .valueOrArrayEnd:
                if byte == UInt8(ascii: "]") {
                    closeContainer(&sink)
                    i += 1
                } else {
                    i = try startValue(byte, p, at: i, base: base, &sink)
                }
            case .keyOrObjectEnd, .key:
                if byte == UInt8(ascii: "\"") {
                    tokenStart = base + i
                    mode = .keyString
                    i += 1
                } else if byte == UInt8(ascii: "}") && mode == .keyOrObjectEnd {
                    closeContainer(&sink)
                    i += 1
                } else {
                    throw unexpected(byte, at: base + i, expected: "a string key in an object")
                }
            case .colon:
                guard byte == UInt8(ascii: ":") else {
                    throw unexpected(byte, at: base + i, expected: "':' after an object key")
                }
                mode = .value
                i += 1
            case .afterValue:
                let isObject = frames[frames.count - 1].isObject
                if byte == UInt8(ascii: ",") {
                    mode = isObject ? .key : .value
                } else if byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    closeContainer(&sink)
                } else {
                    throw unexpected(
                        byte,
                        at: base + i,
                        expected: isObject ? "',' or '}' in an object" : "',' or ']' in an array"
                    )
                }
                i += 1
            case .done:
                throw JSONParseError(
                    .trailingContent,
                    offset: base + i,
                    "unexpected \(describeByte(byte)) after the end of the JSON value"
                )
            case .string, .keyString, .number, .literal:
                break  // handled above
            }
        }
    }

    private func unexpected(_ byte: UInt8, at offset: Int, expected: String) -> JSONParseError {
        JSONParseError(.unexpectedByte, offset: offset, "unexpected \(describeByte(byte)), expected \(expected)")
    }

    /// Starts the value whose first byte is `byte` at `p[i]`; returns the index to continue at.
    @inline(__always)
    private mutating func startValue<S: JSONEventSink>(
        _ byte: UInt8,
        _ p: UnsafeRawBufferPointer,
        at i: Int,
        base: Int,
        _ sink: inout S
    ) throws(JSONParseError) -> Int {
        switch byte {
        case UInt8(ascii: "\""):
            if Self.emits(S.self) { sink.receive(.stringStart) }
            tokenStart = base + i
            mode = .string
            return i + 1
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard frames.count < limits.maxDepth else {
                throw JSONParseError(
                    .depthLimitExceeded,
                    offset: base + i,
                    "JSON nesting exceeds the depth limit of \(limits.maxDepth)"
                )
            }
            let isObject = byte == UInt8(ascii: "{")
            if Self.emits(S.self) { sink.receive(isObject ? .objectStart : .arrayStart) }
            frames.append(Frame(isObject: isObject, valueStart: values.count, keyStart: keys.count, id: openedContainers))
            openedContainers += 1
            mode = isObject ? .keyOrObjectEnd : .valueOrArrayEnd
            return i + 1
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if Self.emits(S.self) { sink.receive(.numberStart) }
            tokenStart = base + i
            number = NumberScanner()
            mode = .number
            return i
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            literal = byte == UInt8(ascii: "t") ? .true : byte == UInt8(ascii: "f") ? .false : .null
            if Self.emits(S.self) { sink.receive(.literalStart(literal.value)) }
            tokenStart = base + i
            literalMatched = 1
            mode = .literal
            return i + 1
        default:
            throw unexpected(byte, at: base + i, expected: "a value")
        }
    }

    /// Adds a finished value to the innermost container (or makes it the result).
    /// (`value` is not even made when the parser does not build.)
    @inline(__always)
    private mutating func complete(_ value: @autoclosure () -> JSONValue) {
        if frames.isEmpty {
            if building { result = value() }
            mode = .done
        } else {
            if building { values.append(value()) }
            mode = .afterValue
        }
    }

    private mutating func closeContainer<S: JSONEventSink>(_ sink: inout S) {
        guard building else {
            let frame = frames.removeLast()
            if Self.emits(S.self) { sink.receive(frame.isObject ? .objectEnd : .arrayEnd) }
            complete(.null)
            return
        }
        let frame = frames.removeLast()
        let count = values.count - frame.valueStart
        if frame.isObject {
            if Self.emits(S.self) { sink.receive(.objectEnd) }
            let members = Self.makeMembers(keys: keys[frame.keyStart...], values: values[frame.valueStart...])
            for _ in 0..<count {
                keys.removeLast()
                values.removeLast()
            }
            complete(.object(JSONObject(members)))
        } else {
            if Self.emits(S.self) { sink.receive(.arrayEnd) }
            let elements = Array(values[frame.valueStart...])
            for _ in 0..<count { values.removeLast() }
            complete(.array(elements))
        }
    }

    /// An object's members in arrival order; a repeated key keeps its first position and its last
    /// value (``JSONObject``'s rule).
    static func makeMembers(
        keys: ArraySlice<String>,
        values: ArraySlice<JSONValue>
    ) -> OrderedDictionary<String, JSONValue> {
        // Small objects (the usual case) are stored without a hash table: when their keys are
        // unique, both arrays are taken as they are, with no per-member lookup.
        if keys.count <= 15 {
            var unique = true
            var index = keys.startIndex
            while unique && index < keys.endIndex {
                var other = keys.index(after: index)
                while other < keys.endIndex {
                    // `String` equality, as the dictionary's: canonically equivalent keys of different
                    // lengths ("K" and U+212A KELVIN SIGN) are the same key, so no length shortcut.
                    if keys[index] == keys[other] {
                        unique = false
                        break
                    }
                    other += 1
                }
                index += 1
            }
            if unique { return OrderedDictionary(uncheckedUniqueKeys: keys, values: values) }
        }
        var members = OrderedDictionary<String, JSONValue>(minimumCapacity: keys.count)
        for (key, value) in zip(keys, values) { members[key] = value }
        return members
    }

    // MARK: Strings

    /// Continues the open string (value or key) at `p[i]`. Returns the index after its closing
    /// quote, or `p.count` when the fragment ended inside it.
    private mutating func scanString<S: JSONEventSink>(
        _ p: UnsafeRawBufferPointer,
        from start: Int,
        base: Int,
        _ sink: inout S
    ) throws(JSONParseError) -> Int {
        let n = p.count
        var j = start
        // Resume an escape or a UTF-8 sequence that the previous fragment split.
        while j < n, unescaper.isInsideEscape || !utf8.isAtBoundary {
            let byte = p[j]
            if !utf8.isAtBoundary {
                guard utf8.consume(byte) else { throw invalidUTF8(at: base + j) }
                unescaper.output.append(byte)
            } else if case .rejected(let kind, let message) = unescaper.consume(byte) {
                throw JSONParseError(kind, offset: base + j, message)
            }
            j += 1
        }
        var runStart = j
        while j < n {
            // Plain ASCII needs no step of its own; a non-empty buffer has a base address.
            j = plainStringRunEnd(p.baseAddress!, from: j, to: n)
            guard j < n else { break }
            let byte = p[j]
            if byte >= 0x80 {
                guard utf8.consume(byte) else { throw invalidUTF8(at: base + j) }
                j += 1
                while j < n, !utf8.isAtBoundary {
                    guard utf8.consume(p[j]) else { throw invalidUTF8(at: base + j) }
                    j += 1
                }
                continue
            }
            if byte == UInt8(ascii: "\"") {
                closeString(run: UnsafeRawBufferPointer(rebasing: p[runStart..<j]), &sink)
                return j + 1
            }
            if byte == UInt8(ascii: "\\") {
                if keepsText(S.self) {
                    unescaper.output.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[runStart..<j]))
                }
                stringIsBuffered = true
                unescaper.state = .escape
                j += 1
                while j < n, unescaper.isInsideEscape {
                    if case .rejected(let kind, let message) = unescaper.consume(p[j]) {
                        throw JSONParseError(kind, offset: base + j, message)
                    }
                    j += 1
                }
                runStart = j
                continue
            }
            // What else stops a plain run: a control character.
            throw JSONParseError(
                .controlCharacter,
                offset: base + j,
                "unescaped control character \(describeByte(byte)) in a string"
            )
        }
        if keepsText(S.self) {
            unescaper.output.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[runStart..<n]))
        }
        stringIsBuffered = true
        if mode == .string && Self.emits(S.self) {
            let boundary = scalarBoundary
            if boundary > fragmentSent {
                let fragment = unescaper.output.withUnsafeBufferPointer {
                    String(decoding: UnsafeBufferPointer(rebasing: $0[fragmentSent..<boundary]), as: UTF8.self)
                }
                fragmentSent = boundary
                sink.receive(.stringFragment(fragment))
            }
        }
        return n
    }

    /// The length of the open string's decoded prefix that ends on a whole scalar.
    var scalarBoundary: Int {
        var end = unescaper.output.count
        if !utf8.isAtBoundary {
            // Step back over the open sequence's continuation bytes and its lead byte.
            while end > 0, unescaper.output[end - 1] & 0xC0 == 0x80 { end -= 1 }
            end -= 1
        }
        return end
    }

    private func invalidUTF8(at offset: Int) -> JSONParseError {
        JSONParseError(.invalidUTF8, offset: offset, "invalid UTF-8 in a string")
    }

    private mutating func closeString<S: JSONEventSink>(run: UnsafeRawBufferPointer, _ sink: inout S) {
        guard keepsText(S.self) else {
            // Only checked: the escapes' decoded bytes (all `output` holds then) are dropped.
            if stringIsBuffered { resetString() }
            if mode == .keyString {
                mode = .colon
            } else {
                complete(.null)
            }
            return
        }
        let text: String
        var fragment: String?
        if stringIsBuffered {
            unescaper.output.append(contentsOf: run)
            text = String(decoding: unescaper.output, as: UTF8.self)
            if mode == .string && Self.emits(S.self) && unescaper.output.count > fragmentSent {
                fragment =
                    fragmentSent == 0
                    ? text
                    : unescaper.output.withUnsafeBufferPointer {
                        String(decoding: UnsafeBufferPointer(rebasing: $0[fragmentSent...]), as: UTF8.self)
                    }
            }
            resetString()
        } else {
            text = String(decoding: run, as: UTF8.self)
            if !run.isEmpty { fragment = text }
        }
        if mode == .keyString {
            if Self.emits(S.self) { sink.receive(.key(text)) }
            if building { keys.append(text) }
            mode = .colon
        } else {
            if Self.emits(S.self) {
                if let fragment { sink.receive(.stringFragment(fragment)) }
                sink.receive(.stringEnd(text))
            }
            complete(.string(text))
        }
    }

    private mutating func resetString() {
        if unescaper.output.capacity > 1 << 16 {
            unescaper.output = []
        } else {
            unescaper.output.removeAll(keepingCapacity: true)
        }
        stringIsBuffered = false
        fragmentSent = 0
    }

    // MARK: Numbers and literals

    private mutating func scanNumber<S: JSONEventSink>(
        _ p: UnsafeRawBufferPointer,
        from start: Int,
        base: Int,
        _ sink: inout S
    ) throws(JSONParseError) -> Int {
        let n = p.count
        var j = start
        while j < n {
            switch number.consume(p[j]) {
            case .accepted:
                j += 1
            case .ended:
                completeNumber(tail: UnsafeRawBufferPointer(rebasing: p[start..<j]), &sink)
                return j
            case .rejected(let message):
                throw JSONParseError(.invalidNumber, offset: base + j, message)
            }
        }
        if keepsText(S.self) { numberBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[start..<n])) }
        return n
    }

    private mutating func completeNumber<S: JSONEventSink>(tail: UnsafeRawBufferPointer, _ sink: inout S) {
        guard keepsText(S.self) else {
            complete(.null)
            return
        }
        let lexeme: String
        if numberBytes.isEmpty {
            lexeme = String(decoding: tail, as: UTF8.self)
        } else {
            numberBytes.append(contentsOf: tail)
            lexeme = String(decoding: numberBytes, as: UTF8.self)
            numberBytes.removeAll(keepingCapacity: true)
        }
        let value = JSONNumber(uncheckedLexeme: lexeme)
        if Self.emits(S.self) { sink.receive(.number(value)) }
        complete(.number(value))
    }

    private mutating func scanLiteral<S: JSONEventSink>(
        _ p: UnsafeRawBufferPointer,
        from start: Int,
        base: Int,
        _ sink: inout S
    ) throws(JSONParseError) -> Int {
        let text = literal.text
        let length = text.utf8CodeUnitCount
        var j = start
        while j < p.count, literalMatched < length {
            guard p[j] == text.utf8Start[literalMatched] else {
                throw JSONParseError(
                    .unexpectedByte,
                    offset: base + j,
                    "unexpected \(describeByte(p[j])) in literal starting at byte \(tokenStart), expected '\(text)'"
                )
            }
            literalMatched += 1
            j += 1
        }
        if literalMatched == length {
            let value = literal.value
            if Self.emits(S.self) { sink.receive(.literal(value)) }
            complete(value)
        }
        return j
    }
}

extension IncrementalJSONParser {
    /// The value so far, for a UI: open containers with their members so far, an open string's
    /// decoded prefix (whole scalars only, never half an escape), and nothing for an unfinished
    /// number or literal or for a key whose value has not started. `nil` before any value started
    /// (or while the top-level value is an unfinished number or literal).
    ///
    /// Nothing is re-parsed, but the open containers' members are copied into the returned value,
    /// so this costs O(members of the open containers). To keep a view current after every
    /// fragment, take a ``partialSnapshot()`` instead: O(what arrived since the previous one).
    ///
    /// Built straight from the parser's stacks, not through a snapshot, so that tests can check
    /// the snapshots' shared logs and frames against an independent reading of the same state.
    public func partialValue() -> JSONValue? {
        if mode == .done { return result }
        var child: JSONValue?
        if mode == .string {
            let boundary = stringIsBuffered ? scalarBoundary : 0
            child = .string(
                unescaper.output.withUnsafeBufferPointer {
                    String(decoding: UnsafeBufferPointer(rebasing: $0[0..<boundary]), as: UTF8.self)
                }
            )
        }
        for index in frames.indices.reversed() {
            let frame = frames[index]
            let isInnermost = index == frames.count - 1
            let valueEnd = isInnermost ? values.count : frames[index + 1].valueStart
            let members = values[frame.valueStart..<valueEnd]
            if frame.isObject {
                let keyEnd = isInnermost ? keys.count : frames[index + 1].keyStart
                var object = Self.makeMembers(keys: keys[frame.keyStart..<frame.keyStart + members.count], values: members)
                if let child, keyEnd > frame.keyStart + members.count { object[keys[keyEnd - 1]] = child }
                child = .object(JSONObject(object))
            } else {
                var elements = Array(members)
                if let child { elements.append(child) }
                child = .array(elements)
            }
        }
        return child
    }
}
