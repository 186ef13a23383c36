// A forward-only, allocation-free reader of provider envelopes (`{"choices":[{"delta":…}]}`).
//
// The envelope is ~330 bytes per event and most of it is fields nobody needs (`id`, `model`,
// `system_fingerprint`, `obfuscation`, `logprobs`, …). Building a JSONValue tree per event would
// allocate a dozen times; this scanner walks the bytes once, hands out the few strings the decoders
// need as slices, and skips everything else. It checks structure only as far as it reads it: the
// provider's JSON is not validated here (the argument text, which is the model's, is).

/// Where an envelope could not be read.
struct EnvelopeError: Error {
    var offset: Int
    var message: String
}

/// A JSON string inside the envelope, still escaped. `start..<end` excludes the quotes.
struct StringSlice {
    var start: Int
    var end: Int
    var hasEscapes: Bool

    var isEmpty: Bool { start == end }
}

/// A value's extent in the envelope.
struct ValueSlice {
    var start: Int
    var end: Int
}

struct EnvelopeScanner {
    let base: UnsafePointer<UInt8>
    let end: Int
    var position: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        // An empty buffer still needs a valid base address for the unsafe reads below (never taken).
        self.base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)!
        self.end = bytes.count
        self.position = 0
    }

    init(base: UnsafePointer<UInt8>, slice: ValueSlice) {
        self.base = base
        self.end = slice.end
        self.position = slice.start
    }

    @inline(__always)
    func byte(_ index: Int) -> UInt8 { base[index] }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < end {
            switch base[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    func error(_ message: String) -> EnvelopeError {
        EnvelopeError(offset: position, message: message)
    }

    /// The next non-whitespace byte, not consumed.
    @inline(__always)
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < end ? base[position] : nil
    }

    /// Consumes `{`. Returns false (consuming it) on `null`.
    mutating func beginObject() throws(EnvelopeError) -> Bool {
        try begin(UInt8(ascii: "{"), "expected an object")
    }

    /// Consumes `[`. Returns false (consuming it) on `null`.
    mutating func beginArray() throws(EnvelopeError) -> Bool {
        try begin(UInt8(ascii: "["), "expected an array")
    }

    @inline(__always)
    private mutating func begin(_ open: UInt8, _ message: String) throws(EnvelopeError) -> Bool {
        switch peek() {
        case open:
            position += 1
            return true
        case UInt8(ascii: "n"):
            try skipLiteral()
            return false
        default:
            throw error(message)
        }
    }

    /// The next member key of an open object (its `:` consumed), or `nil` at `}`.
    /// `first` tells whether a `,` is expected before it.
    @inline(__always)
    mutating func nextKey(first: inout Bool) throws(EnvelopeError) -> StringSlice? {
        var next = peek()
        if next == UInt8(ascii: "}") {
            position += 1
            return nil
        }
        if !first {
            guard next == UInt8(ascii: ",") else { throw error("expected ',' or '}' in an object") }
            position += 1
            next = peek()
        }
        first = false
        guard next == UInt8(ascii: "\"") else { throw error("expected a key in an object") }
        let key = try string()
        guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
        position += 1
        return key
    }

    /// Whether another element follows in an open array (consuming `,` or `]`).
    @inline(__always)
    mutating func nextElement(first: inout Bool) throws(EnvelopeError) -> Bool {
        let next = peek()
        if next == UInt8(ascii: "]") {
            position += 1
            return false
        }
        if !first {
            guard next == UInt8(ascii: ",") else { throw error("expected ',' or ']' in an array") }
            position += 1
        }
        first = false
        return true
    }

    /// Reads a string (the opening quote is next).
    @inline(__always)
    mutating func string() throws(EnvelopeError) -> StringSlice {
        position += 1
        let start = position
        var escapes = false
        while true {
            position = nextQuoteOrBackslash(base, from: position, to: end)
            guard position < end else { break }
            if base[position] == UInt8(ascii: "\"") {
                let slice = StringSlice(start: start, end: position, hasEscapes: escapes)
                position += 1
                return slice
            }
            escapes = true
            position += 2
        }
        throw EnvelopeError(offset: start, message: "unterminated string")
    }

    /// Reads a string, or `nil` for `null`; any other value is skipped and counts as absent.
    @inline(__always)
    mutating func optionalString() throws(EnvelopeError) -> StringSlice? {
        switch peek() {
        case UInt8(ascii: "\""): return try string()
        default:
            try skipValue()
            return nil
        }
    }

    /// Reads an integer, or `nil` for `null` or a non-integer.
    mutating func optionalInt() throws(EnvelopeError) -> Int? {
        guard let first = peek() else { throw error("expected a value") }
        guard first == UInt8(ascii: "-") || first &- 0x30 < 10 else {
            try skipValue()
            return nil
        }
        let negative = first == UInt8(ascii: "-")
        if negative { position += 1 }
        var value = 0
        var digits = 0
        while position < end, base[position] &- 0x30 < 10, digits < 18 {
            value = value * 10 + Int(base[position] &- 0x30)
            position += 1
            digits += 1
        }
        // Fractions, exponents or more digits: not an index we can use.
        if position < end,
            base[position] == UInt8(ascii: ".") || base[position] | 0x20 == UInt8(ascii: "e")
                || base[position] &- 0x30 < 10
        {
            try skipValue()
            return nil
        }
        return negative ? -value : value
    }

    private mutating func skipLiteral() throws(EnvelopeError) {
        let start = position
        while position < end, base[position] >= UInt8(ascii: "a"), base[position] <= UInt8(ascii: "z") {
            position += 1
        }
        guard position > start else { throw error("unexpected byte") }
    }

    /// Skips one value of any kind, iteratively (nesting costs nothing but a counter).
    mutating func skipValue() throws(EnvelopeError) {
        guard let first = peek() else { throw error("expected a value") }
        switch first {
        case UInt8(ascii: "\""):
            _ = try string()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while position < end {
                let byte = base[position]
                switch byte {
                case UInt8(ascii: "\""):
                    _ = try string()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        position += 1
                        return
                    }
                default:
                    break
                }
                position += 1
            }
            throw error("unterminated object or array")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            while position < end {
                switch base[position] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                    UInt8(ascii: "e"), UInt8(ascii: "E"):
                    position += 1
                default: return
                }
            }
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            try skipLiteral()
        default:
            throw error("unexpected byte, expected a value")
        }
    }

    /// Skips a value and returns its extent.
    mutating func capture() throws(EnvelopeError) -> ValueSlice {
        skipWhitespace()
        let start = position
        try skipValue()
        return ValueSlice(start: start, end: position)
    }

    /// Whether the value at `slice` is the literal `null`.
    func isNull(_ slice: ValueSlice) -> Bool {
        slice.end - slice.start == 4 && base[slice.start] == UInt8(ascii: "n")
    }

    /// Whether a key equals `literal` (keys with escapes never match: providers do not escape keys).
    @inline(__always)
    func matches(_ key: StringSlice, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard key.end - key.start == count, !key.hasEscapes else { return false }
        return bytesEqual(base + key.start, literal.utf8Start, count)
    }

    /// Whether a string starts with `literal`.
    func hasPrefix(_ key: StringSlice, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard key.end - key.start >= count else { return false }
        return bytesEqual(base + key.start, literal.utf8Start, count)
    }

    /// The bytes of a slice.
    func bytes(_ slice: ValueSlice) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + slice.start, count: slice.end - slice.start)
    }

    /// Parses a captured value into a tree (for the rare, small objects: usage, errors).
    func value(_ slice: ValueSlice) -> JSONValue? {
        try? JSONParser.parse(bytes: bytes(slice))
    }
}

/// Turns escaped string slices into `String`s, reusing one scratch buffer.
struct EnvelopeStringDecoder {
    private var unescaper = StringUnescaper()

    /// The decoded text of `slice`. Invalid escapes become U+FFFD rather than failing the event:
    /// the envelope is the provider's, and a broken escape in it is reported where it matters
    /// (the argument text is parsed again, strictly, by the assembler).
    mutating func decode(_ slice: StringSlice, base: UnsafePointer<UInt8>) -> String {
        let count = slice.end - slice.start
        if !slice.hasEscapes {
            return String(decoding: UnsafeRawBufferPointer(start: base + slice.start, count: count), as: UTF8.self)
        }
        // An escape never decodes longer than it is written, except a rejected one (two bytes,
        // `\\x`, become three, U+FFFD), hence the room for half as much again. A short text is
        // decoded on the stack, so that a result of up to 15 bytes is a small string (no
        // allocation); a longer one straight into the string's storage (one copy, not two).
        let capacity = count + count / 2 + 3
        if capacity <= 64 {
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
                let written = unescape(slice, base: base, into: buffer)
                return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<written]), as: UTF8.self)
            }
        }
        return String(unsafeUninitializedCapacity: capacity) { unescape(slice, base: base, into: $0) }
    }

    /// The byte a one-character escape (`\"`, `\n`, …) stands for, or `nil` (`\u` or invalid).
    @inline(__always)
    private static func shortEscape(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): letter
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        default: nil
        }
    }

    /// Writes the decoded bytes of `slice` to `destination` (large enough, see ``decode(_:base:)``)
    /// and returns how many were written.
    private mutating func unescape(
        _ slice: StringSlice,
        base: UnsafePointer<UInt8>,
        into destination: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        unescaper.state = .normal
        var written = 0
        var i = slice.start
        while i < slice.end {
            // A scanned string holds no bare quote, but a quote found here is text like any other.
            let run = nextQuoteOrBackslash(base, from: i, to: slice.end)
            if run > i {
                UnsafeMutableRawPointer(destination.baseAddress! + written).copyMemory(from: base + i, byteCount: run - i)
                written += run - i
            }
            i = run
            guard i < slice.end else { break }
            if base[i] == UInt8(ascii: "\"") {
                destination[written] = base[i]
                written += 1
                i += 1
                continue
            }
            // The one-byte escapes (`\"` above all, in argument text) need no state machine.
            if i + 1 < slice.end, let byte = Self.shortEscape(base[i + 1]) {
                destination[written] = byte
                written += 1
                i += 2
                continue
            }
            // Decode one escape (a surrogate pair continues through its second escape).
            unescaper.output.removeAll(keepingCapacity: true)
            repeat {
                let before = unescaper.state
                switch unescaper.consume(base[i]) {
                case .more, .closed: i += 1
                case .rejected:
                    unescaper.state = .normal
                    unescaper.output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    // A high surrogate without its pair: the byte after it is ordinary text.
                    if case .lowSurrogateBackslash = before {} else { i += 1 }
                }
            } while i < slice.end && unescaper.isInsideEscape
            if unescaper.isInsideEscape {
                unescaper.output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                unescaper.state = .normal
            }
            for byte in unescaper.output {
                destination[written] = byte
                written += 1
            }
        }
        return written
    }
}
