/// The normalized events of a streamed response, decoded from its body bytes as they arrive:
/// ``SSEParser`` → ``StreamDecoder``, pulled chunk by chunk (no task, no buffering beyond one chunk's
/// events).
///
/// A ``ModelClient`` wraps its HTTP body (or a recording, or scripted bytes) in one and returns it:
/// ```swift
/// func stream(_ request: ModelRequest) async throws -> StreamEventSequence<HTTPBodyChunks> {
///     let response = try await http.execute(post(request), timeout: .seconds(60))
///     return StreamEventSequence(format: request.format, bytes: response.body.map(\.readableBytesView))
/// }
/// ```
public struct StreamEventSequence<Base: AsyncSequence>: AsyncSequence where Base.Element: Sequence<UInt8> {
    public typealias Element = StreamEvent
    public typealias Failure = any Error

    private let base: Base
    private let format: WireFormat?
    private let limits: SSELimits

    /// - Parameters:
    ///   - format: the wire format, or `nil` to detect it from the first events.
    ///   - bytes: the body, in chunks of any size and boundary.
    public init(format: WireFormat?, bytes: Base, limits: SSELimits = SSELimits()) {
        self.base = bytes
        self.format = format
        self.limits = limits
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), parser: SSEParser(limits: limits), decoder: StreamDecoder(format: format))
    }

    public struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        var parser: SSEParser
        var decoder: StreamDecoder
        var pending: [StreamEvent] = []
        var position = 0
        var ended = false

        public mutating func next() async throws -> StreamEvent? {
            try await next(isolation: nil)
        }

        public mutating func next(isolation actor: isolated (any Actor)? = #isolation) async throws -> StreamEvent? {
            while position == pending.count {
                if ended { return nil }
                pending.removeAll(keepingCapacity: true)
                position = 0
                if let chunk = try await base.next(isolation: actor) {
                    try decode(chunk)
                } else {
                    ended = true
                    try finish()
                }
            }
            defer { position += 1 }
            return pending[position]
        }

        private mutating func decode(_ chunk: Base.Element) throws {
            let fed: Bool? = try chunk.withContiguousStorageIfAvailable { buffer in
                try feed(UnsafeRawBufferPointer(buffer), finishing: false)
                return true
            }
            if fed == nil {
                try Array(chunk).withUnsafeBytes { try feed($0, finishing: false) }
            }
        }

        private mutating func finish() throws {
            try feed(UnsafeRawBufferPointer(start: nil, count: 0), finishing: true)
        }

        /// Feeds the SSE parser, decoding each event it completes. The decoder and the output are moved
        /// out of `self` while the parser calls back, so no access to `self` overlaps.
        private mutating func feed(_ bytes: UnsafeRawBufferPointer, finishing: Bool) throws {
            var decoder = StreamDecoder()
            swap(&decoder, &self.decoder)
            var events: [StreamEvent] = []
            swap(&events, &pending)
            defer {
                swap(&decoder, &self.decoder)
                swap(&events, &pending)
            }
            var failure: StreamDecodingError?
            let onEvent = { (event: SSEEventBytes) in
                guard failure == nil else { return }
                do throws(StreamDecodingError) {
                    try decoder.decode(type: event.type, data: event.data, into: &events)
                } catch {
                    failure = error
                }
            }
            if finishing {
                try parser.finish(onEvent: onEvent)
            } else {
                try parser.feed(bytes, onEvent: onEvent)
            }
            if let failure { throw failure }
        }
    }
}

/// Byte chunks already in memory (a recording, a scripted reply) as an async sequence, for
/// ``StreamEventSequence``.
///
/// ```swift
/// let events = StreamEventSequence(format: .openAIChat, bytes: ByteChunks(recording, chunkSize: 512))
/// ```
public struct ByteChunks: AsyncSequence, Sendable {
    public typealias Element = ArraySlice<UInt8>
    public typealias Failure = Never

    public let bytes: [UInt8]
    public let chunkSize: Int

    /// - Parameter chunkSize: bytes per chunk (at least 1); small sizes exercise split lines and escapes.
    public init(_ bytes: [UInt8], chunkSize: Int = 16 * 1024) {
        self.bytes = bytes
        self.chunkSize = Swift.max(1, chunkSize)
    }

    public func makeAsyncIterator() -> Iterator { Iterator(bytes: bytes, chunkSize: chunkSize) }

    public struct Iterator: AsyncIteratorProtocol {
        let bytes: [UInt8]
        let chunkSize: Int
        var offset = 0

        public mutating func next() async -> ArraySlice<UInt8>? { nextChunk() }

        public mutating func next(isolation actor: isolated (any Actor)?) async -> ArraySlice<UInt8>? { nextChunk() }

        private mutating func nextChunk() -> ArraySlice<UInt8>? {
            guard offset < bytes.count else { return nil }
            let end = Swift.min(offset + chunkSize, bytes.count)
            defer { offset = end }
            return bytes[offset..<end]
        }
    }
}
