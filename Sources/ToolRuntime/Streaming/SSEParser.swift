/// Bounds of ``SSEParser``. Exceeding one is an ``SSEError``, never unbounded buffering.
public struct SSELimits: Sendable, Hashable {
    /// Longest line accepted, in bytes (without its line ending).
    public var maxLineBytes: Int
    /// Largest event accepted: the bytes of its joined `data:` lines.
    public var maxEventBytes: Int

    public init(maxLineBytes: Int = 4 << 20, maxEventBytes: Int = 8 << 20) {
        self.maxLineBytes = maxLineBytes
        self.maxEventBytes = maxEventBytes
    }
}

/// Why an event stream was refused.
public struct SSEError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case lineTooLong = "line_too_long"
        case eventTooLarge = "event_too_large"
    }

    public var kind: Kind
    /// Byte offset in the stream (counted from the first byte fed) where the bound was crossed.
    public var offset: Int
    public var message: String

    public init(_ kind: Kind, offset: Int, _ message: String) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) at byte \(offset)" }
}

/// One dispatched server-sent event, owning its text.
public struct SSEEvent: Sendable, Hashable {
    /// The `event:` field, or `nil` when the event had none (the WHATWG default type `message`).
    public var type: String?
    /// The `data:` lines joined with LF.
    public var data: String
    /// The last event ID seen so far (`id:` fields persist across events), or `nil`.
    public var lastEventID: String?

    public init(type: String? = nil, data: String, lastEventID: String? = nil) {
        self.type = type
        self.data = data
        self.lastEventID = lastEventID
    }
}

/// A dispatched event as bytes borrowed from the parser: valid only inside the callback of
/// ``SSEParser/feed(_:onEvent:)``. This is the zero-copy form the hot path uses.
public struct SSEEventBytes {
    /// The `event:` field's bytes, or `nil` when the event had none.
    public let type: UnsafeRawBufferPointer?
    /// The `data:` lines joined with LF.
    public let data: UnsafeRawBufferPointer
    /// The last event ID seen so far, or `nil`.
    public let lastEventID: UnsafeRawBufferPointer?
}

/// Receives the events of ``SSEParser/feed(_:to:)`` as bytes borrowed for the call.
public protocol SSEEventHandler {
    mutating func handle(_ event: SSEEventBytes)
}

/// Adapts a closure to ``SSEEventHandler``.
struct ClosureSSEHandler: SSEEventHandler {
    let body: (SSEEventBytes) -> Void

    func handle(_ event: SSEEventBytes) { body(event) }
}

/// A WHATWG `text/event-stream` parser fed arbitrary byte chunks.
///
/// A value type with O(line) state: lines end in LF, CR or CRLF (also when the CR ends one chunk
/// and the LF starts the next), `data:` lines join with LF, `:` lines are comments, `event:`,
/// `id:` and `retry:` may come in any order (also after `data:`), a leading BOM is skipped, and an
/// event still open at the end of the input is dispatched by ``finish(onEvent:)``. An event that
/// lies whole in one chunk is handed out without copying.
///
/// ```swift
/// var parser = SSEParser()
/// for event in try parser.feed(Array("event: ping\ndata: {}\n\n".utf8)) {
///     print(event.type ?? "message", event.data)
/// }
/// ```
public struct SSEParser: Sendable {
    public let limits: SSELimits

    /// Bytes of a line split across chunks.
    private var carry: [UInt8] = []
    /// Joined data of the open event (when it is not a slice of the current chunk).
    private var dataBuffer: [UInt8] = []
    /// The open event's data, while it is one line lying in the chunk being fed: its offsets there.
    private var dataSlice: Range<Int>?
    /// The chunk being fed (valid only during ``feed(_:onEvent:)``; `nil` outside it).
    private var chunkBase: Int = 0
    private var hasData = false
    private var typeBuffer: [UInt8] = []
    private var hasType = false
    private var lastEventIDBytes: [UInt8]? = nil
    private var pendingCR = false
    private var atStreamStart = true
    private var failure: SSEError?
    /// Bytes fed so far.
    public private(set) var offset = 0
    /// Whether any line with a known field (`data`, `event`, `id`, `retry`) or a comment was seen:
    /// false for a body that is not an event stream at all.
    public private(set) var sawField = false
    /// Events dispatched so far.
    public private(set) var eventCount = 0
    /// The `retry:` value (reconnection time in ms), when one was sent.
    public private(set) var retry: Int?

    public init(limits: SSELimits = SSELimits()) {
        self.limits = limits
    }

    /// The last event ID (`id:` field), when one was sent.
    public var lastEventID: String? { lastEventIDBytes.map { String(decoding: $0, as: UTF8.self) } }

    /// Feeds bytes; calls `onEvent` for each event they complete.
    /// - Throws: ``SSEError`` when a line or an event exceeds ``limits``; the parser then stays failed.
    public mutating func feed(
        _ bytes: UnsafeRawBufferPointer,
        onEvent: (SSEEventBytes) -> Void
    ) throws(SSEError) {
        try withoutActuallyEscaping(onEvent) { body in
            var handler = ClosureSSEHandler(body: body)
            return Result { () throws(SSEError) in try feed(bytes, to: &handler) }
        }.get()
    }

    /// Feeds bytes; hands each event they complete to `handler` (the allocation-free form).
    /// - Throws: ``SSEError`` when a line or an event exceeds ``limits``; the parser then stays failed.
    public mutating func feed<Handler: SSEEventHandler>(
        _ bytes: UnsafeRawBufferPointer,
        to handler: inout Handler
    ) throws(SSEError) {
        if let failure { throw failure }
        do {
            try feedUnchecked(bytes, &handler)
        } catch {
            failure = error
            throw error
        }
    }

    /// Feeds bytes and returns the events they complete, owning their text.
    public mutating func feed(_ bytes: [UInt8]) throws(SSEError) -> [SSEEvent] {
        var events: [SSEEvent] = []
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(SSEError) in try feed(buffer) { events.append(Self.owned($0)) } }
        }.get()
        return events
    }

    /// Ends the input: dispatches an event still open (no final blank line).
    public mutating func finish(onEvent: (SSEEventBytes) -> Void) throws(SSEError) {
        try withoutActuallyEscaping(onEvent) { body in
            var handler = ClosureSSEHandler(body: body)
            return Result { () throws(SSEError) in try finish(to: &handler) }
        }.get()
    }

    /// Ends the input: hands an event still open (no final blank line) to `handler`.
    public mutating func finish<Handler: SSEEventHandler>(to handler: inout Handler) throws(SSEError) {
        if let failure { throw failure }
        pendingCR = false
        if !carry.isEmpty {
            let line = carry
            carry.removeAll(keepingCapacity: true)
            try line.withUnsafeBytes { buffer in
                Result { () throws(SSEError) in try processLine(buffer, inChunk: false, &handler) }
            }.get()
        }
        dispatch(&handler)
    }

    /// Ends the input and returns the event still open, if any.
    public mutating func finish() throws(SSEError) -> [SSEEvent] {
        var events: [SSEEvent] = []
        try finish { events.append(Self.owned($0)) }
        return events
    }

    private static func owned(_ event: SSEEventBytes) -> SSEEvent {
        SSEEvent(
            type: event.type.map { String(decoding: $0, as: UTF8.self) },
            data: String(decoding: event.data, as: UTF8.self),
            lastEventID: event.lastEventID.map { String(decoding: $0, as: UTF8.self) }
        )
    }

    private mutating func feedUnchecked<Handler: SSEEventHandler>(
        _ bytes: UnsafeRawBufferPointer,
        _ handler: inout Handler
    ) throws(SSEError) {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return }
        let start = offset
        offset += count
        chunkBase = Int(bitPattern: base)
        defer { chunkBase = 0 }
        var i = 0
        if pendingCR {
            pendingCR = false
            if base.load(as: UInt8.self) == 0x0A { i = 1 }
        }
        while i < count {
            guard let lineEnd = firstLineBreak(base, from: i, to: count) else {
                let tail = count - i
                guard carry.count + tail <= limits.maxLineBytes else {
                    throw SSEError(
                        .lineTooLong,
                        offset: start + i,
                        "SSE line longer than the limit of \(limits.maxLineBytes) bytes"
                    )
                }
                carry.append(contentsOf: UnsafeRawBufferPointer(start: base + i, count: tail))
                break
            }
            if carry.isEmpty {
                guard lineEnd - i <= limits.maxLineBytes else {
                    throw SSEError(
                        .lineTooLong,
                        offset: start + i,
                        "SSE line longer than the limit of \(limits.maxLineBytes) bytes"
                    )
                }
                try processLine(UnsafeRawBufferPointer(start: base + i, count: lineEnd - i), inChunk: true, &handler)
            } else {
                guard carry.count + (lineEnd - i) <= limits.maxLineBytes else {
                    throw SSEError(
                        .lineTooLong,
                        offset: start + i,
                        "SSE line longer than the limit of \(limits.maxLineBytes) bytes"
                    )
                }
                carry.append(contentsOf: UnsafeRawBufferPointer(start: base + i, count: lineEnd - i))
                let line = carry
                carry.removeAll(keepingCapacity: true)
                try line.withUnsafeBytes { buffer in
                    Result { () throws(SSEError) in try processLine(buffer, inChunk: false, &handler) }
                }.get()
            }
            if base.load(fromByteOffset: lineEnd, as: UInt8.self) == 0x0D {
                if lineEnd + 1 < count {
                    i = base.load(fromByteOffset: lineEnd + 1, as: UInt8.self) == 0x0A ? lineEnd + 2 : lineEnd + 1
                } else {
                    pendingCR = true
                    i = lineEnd + 1
                }
            } else {
                i = lineEnd + 1
            }
        }
        // The chunk's memory is the caller's: an open event's data must be copied before returning.
        if let slice = dataSlice {
            dataBuffer.removeAll(keepingCapacity: true)
            dataBuffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[slice]))
            dataSlice = nil
        }
    }

    /// The bytes of the data slice in the chunk being fed.
    private func sliceBytes(_ slice: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: chunkBase)! + slice.lowerBound, count: slice.count)
    }

    @inline(__always)
    private mutating func processLine<Handler: SSEEventHandler>(
        _ lineIn: UnsafeRawBufferPointer,
        inChunk: Bool,
        _ handler: inout Handler
    ) throws(SSEError) {
        var line = lineIn
        if atStreamStart {
            atStreamStart = false
            if line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
                line = UnsafeRawBufferPointer(rebasing: line[3...])
            }
        }
        if line.isEmpty {
            dispatch(&handler)
            return
        }
        if line[0] == UInt8(ascii: ":") {
            sawField = true
            return
        }
        // Split field and value at the first colon; drop one space after it.
        var colon = 0
        while colon < line.count, line[colon] != UInt8(ascii: ":") { colon += 1 }
        let field = UnsafeRawBufferPointer(rebasing: line[0..<colon])
        var valueStart = colon < line.count ? colon + 1 : line.count
        if valueStart < line.count, line[valueStart] == 0x20 { valueStart += 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart...])

        switch field.count {
        case 4 where Self.field(field, is: "data"):
            sawField = true
            if !hasData {
                hasData = true
                guard value.count <= limits.maxEventBytes else { throw eventTooLarge() }
                if inChunk, let address = value.baseAddress {
                    let start = Int(bitPattern: address) - chunkBase
                    dataSlice = start..<(start + value.count)
                } else {
                    dataBuffer.removeAll(keepingCapacity: true)
                    dataBuffer.append(contentsOf: value)
                }
            } else {
                if let slice = dataSlice {
                    dataBuffer.removeAll(keepingCapacity: true)
                    dataBuffer.append(contentsOf: sliceBytes(slice))
                    dataSlice = nil
                }
                guard dataBuffer.count + 1 + value.count <= limits.maxEventBytes else { throw eventTooLarge() }
                dataBuffer.append(0x0A)
                dataBuffer.append(contentsOf: value)
            }
        case 5 where Self.field(field, is: "event"):
            sawField = true
            hasType = true
            typeBuffer.removeAll(keepingCapacity: true)
            typeBuffer.append(contentsOf: value)
        case 2 where Self.field(field, is: "id"):
            sawField = true
            if !value.contains(0) { lastEventIDBytes = Array(value) }
        case 5 where Self.field(field, is: "retry"):
            sawField = true
            if !value.isEmpty, value.allSatisfy({ $0 &- 0x30 < 10 }), value.count < 16 {
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        default:
            break  // Unknown fields are ignored, as WHATWG says.
        }
    }

    /// Whether a field name of the literal's length is the literal (a plain byte compare: the
    /// generic `elementsEqual` over `String.UTF8View` cost ~2% of the pipeline, once per line).
    @inline(__always)
    private static func field(_ field: UnsafeRawBufferPointer, is literal: StaticString) -> Bool {
        guard let base = field.baseAddress, field.count == literal.utf8CodeUnitCount else { return false }
        return bytesEqual(base.assumingMemoryBound(to: UInt8.self), literal.utf8Start, field.count)
    }

    private func eventTooLarge() -> SSEError {
        SSEError(.eventTooLarge, offset: offset, "SSE event larger than the limit of \(limits.maxEventBytes) bytes")
    }

    private mutating func dispatch<Handler: SSEEventHandler>(_ handler: inout Handler) {
        defer {
            hasData = false
            hasType = false
            dataSlice = nil
        }
        guard hasData else { return }
        eventCount += 1
        // The usual event, one data line and no type or id yet: handed over without the closures
        // below, which retain and release three buffers per event.
        if !hasType, lastEventIDBytes == nil, let slice = dataSlice {
            handler.handle(SSEEventBytes(type: nil, data: sliceBytes(slice), lastEventID: nil))
            return
        }
        let idBytes = lastEventIDBytes ?? []
        let hasID = lastEventIDBytes != nil
        typeBuffer.withUnsafeBytes { type in
            idBytes.withUnsafeBytes { id in
                let eventType = hasType ? type : nil
                let eventID = hasID ? id : nil
                if let slice = dataSlice {
                    handler.handle(SSEEventBytes(type: eventType, data: sliceBytes(slice), lastEventID: eventID))
                } else {
                    dataBuffer.withUnsafeBytes { data in
                        handler.handle(SSEEventBytes(type: eventType, data: data, lastEventID: eventID))
                    }
                }
            }
        }
    }
}
