/// The token counts ``Usage`` reads: prompt (or input), completion (or output) and total.
typealias UsageCounts = (prompt: Int?, completion: Int?, total: Int?)

/// Checks and reads a usage object of the shape providers send, in one pass over its bytes:
/// `{"prompt_tokens":449,"completion_tokens":12,"total_tokens":461,"prompt_tokens_details":{"cached_tokens":0}}`.
///
/// One usage object ends every short response; finding its end in the envelope, checking its
/// syntax and finding its counts were three walks over its ~250 bytes, now one. This reader accepts
/// only texts that are surely JSON and whose counts it reads as ``Usage/init(raw:)`` does: an
/// object, nested objects at most three deep, keys of ASCII without escapes or control
/// characters, values that are integers of at most 18 digits, `null`, or such objects. For
/// anything else (a string, a fraction, an escape, a byte it does not expect) it answers `nil`,
/// meaning "not the usual shape", and the general check decides; it never answers for a text
/// that is not JSON.
struct UsualUsageReader {
    private let base: UnsafePointer<UInt8>
    private let end: Int
    private var position = 0
    private var counts = Counts()

    private struct Counts {
        var prompt: Int?
        var input: Int?
        var completion: Int?
        var output: Int?
        var total: Int?
    }

    /// Deepest object nesting read here (usage details are one level down).
    private static let maxDepth = 3

    private init(base: UnsafePointer<UInt8>, end: Int) {
        self.base = base
        self.end = end
    }

    /// The counts in `bytes`, or `nil` when the text is not of the usual shape (it may still be JSON).
    static func counts(in bytes: UnsafeRawBufferPointer) -> UsageCounts? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
            bytes.count <= JSONLimits.default.maxBytes
        else { return nil }
        var reader = UsualUsageReader(base: base, end: bytes.count)
        reader.skipWhitespace()
        guard reader.object(depth: 1) else { return nil }
        reader.skipWhitespace()
        guard reader.position == bytes.count else { return nil }
        return reader.result
    }

    /// The counts of the usual usage object that starts at `start` in an envelope, and where it
    /// ends: what the envelope scan would capture there, found and read in the same pass.
    static func object(base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> (counts: UsageCounts, end: Int)? {
        guard end - start <= JSONLimits.default.maxBytes else { return nil }
        var reader = UsualUsageReader(base: base, end: end)
        reader.position = start
        guard reader.object(depth: 1) else { return nil }
        return (reader.result, reader.position)
    }

    private var result: UsageCounts {
        (counts.prompt ?? counts.input, counts.completion ?? counts.output, counts.total)
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        var at = position
        while at < end, isJSONWhitespace(base[at]) { at += 1 }
        position = at
    }

    /// Reads `{…}` at `position`; members at depth 1 are the usage's own.
    private mutating func object(depth: Int) -> Bool {
        guard position < end, base[position] == UInt8(ascii: "{") else { return false }
        position += 1
        skipWhitespace()
        guard position < end else { return false }
        if base[position] == UInt8(ascii: "}") {
            position += 1
            return true
        }
        while true {
            guard let key = plainKey() else { return false }
            skipWhitespace()
            guard position < end, base[position] == UInt8(ascii: ":") else { return false }
            position += 1
            skipWhitespace()
            guard position < end else { return false }
            switch base[position] {
            case UInt8(ascii: "{"):
                guard depth < Self.maxDepth, object(depth: depth + 1) else { return false }
                if depth == 1 { assign(nil, to: key) }
            case UInt8(ascii: "n"):
                guard end - position >= 4, base[position + 1] == UInt8(ascii: "u"),
                    base[position + 2] == UInt8(ascii: "l"), base[position + 3] == UInt8(ascii: "l")
                else { return false }
                position += 4
                if depth == 1 { assign(nil, to: key) }
            default:
                guard let number = integer() else { return false }
                if depth == 1 { assign(number, to: key) }
            }
            skipWhitespace()
            guard position < end else { return false }
            let byte = base[position]
            position += 1
            if byte == UInt8(ascii: "}") { return true }
            guard byte == UInt8(ascii: ",") else { return false }
            skipWhitespace()
        }
    }

    /// A key of ASCII without escapes or control characters; its bytes, from the opening quote
    /// at `position`.
    @inline(__always)
    private mutating func plainKey() -> Range<Int>? {
        guard position < end, base[position] == UInt8(ascii: "\"") else { return nil }
        let start = position + 1
        let stop = plainStringRunEnd(base, from: start, to: end)
        guard stop < end, base[stop] == UInt8(ascii: "\"") else { return nil }
        position = stop + 1
        return start..<stop
    }

    /// `-?(0|[1-9][0-9]*)` of at most 18 digits, not followed by a fraction or an exponent (the
    /// value `JSONNumber.int64Value` reads for it); `nil` for anything else.
    @inline(__always)
    private mutating func integer() -> Int? {
        let negative = base[position] == UInt8(ascii: "-")
        let start = negative ? position + 1 : position
        var at = start
        var value = 0
        while at < end, base[at] &- 0x30 < 10 {
            value = value &* 10 &+ Int(base[at] &- 0x30)
            at += 1
        }
        let digits = at - start
        guard digits > 0, digits <= 18, digits == 1 || base[start] != UInt8(ascii: "0") else { return nil }
        if at < end {
            let next = base[at]
            guard next != UInt8(ascii: "."), next != UInt8(ascii: "e"), next != UInt8(ascii: "E") else { return nil }
        }
        position = at
        return negative ? -value : value
    }

    /// A repeated key counts with its last value, as in a `JSONObject`.
    private mutating func assign(_ number: Int?, to key: Range<Int>) {
        func matches(_ literal: StaticString) -> Bool {
            key.count == literal.utf8CodeUnitCount && bytesEqual(base + key.lowerBound, literal.utf8Start, key.count)
        }
        if matches("prompt_tokens") {
            counts.prompt = number
        } else if matches("completion_tokens") {
            counts.completion = number
        } else if matches("total_tokens") {
            counts.total = number
        } else if matches("input_tokens") {
            counts.input = number
        } else if matches("output_tokens") {
            counts.output = number
        }
    }
}
