/// Bytes of a streamed model response in, tool calls out: ``SSEParser`` → ``StreamDecoder`` →
/// ``ToolCallAssembler`` in one value, for embedders.
///
/// Feed the HTTP body in whatever chunks it arrives; each call returns what changed. One linear
/// pass: no byte is read twice and nothing grows without a bound (see ``StreamLimits``).
///
/// ```swift
/// var pipeline = ToolCallPipeline(format: .openAIChat)      // or nil: detect the format
/// for try await chunk in body {
///     for case .callClosed(let call) in try pipeline.feed(chunk) {
///         print(call.name, call.arguments, call.status)      // run read-only calls right away
///     }
/// }
/// let response = pipeline.finish()                          // content, finish reasons, usage, calls
/// ```
public struct ToolCallPipeline: Sendable {
    /// The decoder and the assembler: the SSE parser's event handler.
    struct Stage: Sendable, SSEEventHandler {
        var decoder: StreamDecoder
        var assembler: ToolCallAssembler
        var events: [StreamEvent] = []
        var decodedEvents = 0
        /// The caller's action array, swapped in for the duration of one feed.
        var actions: [ToolCallAssembler.Action] = []

        mutating func handle(_ event: SSEEventBytes) {
            // Most chat chunks while calls stream: one event, straight to the assembler.
            if let single = decoder.templateEvent(event.data) {
                decodedEvents += 1
                assembler.receive(single, into: &actions)
                return
            }
            // Element by element: `removeAll(keepingCapacity:)` is a generic range replacement,
            // a measurable cost per event for the one or two elements there are.
            while !events.isEmpty { events.removeLast() }
            // A call's first chunk is two events (its start and first fragment): one allocation.
            if events.capacity == 0 { events.reserveCapacity(4) }
            do {
                try decoder.decode(type: event.type, data: event.data, into: &events, templates: false)
                decodedEvents += 1
            } catch {
                let diagnostic = StreamDiagnostic(.decodingFailed, error.description)
                assembler.report(diagnostic)
                actions.append(.diagnostic(diagnostic))
            }
            if assembler.format == nil, let format = decoder.format { assembler.format = format }
            for event in events { assembler.receive(event, into: &actions) }
        }
    }

    private var sse: SSEParser
    private var stage: Stage
    /// The format given at creation (`nil`: detected per response).
    private let givenFormat: WireFormat?

    /// - Parameters:
    ///   - format: the wire format, or `nil` to detect it from the first events.
    ///   - limits: the bounds of one response.
    public init(format: WireFormat? = nil, limits: StreamLimits = StreamLimits()) {
        givenFormat = format
        sse = SSEParser(limits: limits.sse)
        stage = Stage(decoder: StreamDecoder(format: format), assembler: ToolCallAssembler(format: format, limits: limits))
    }

    /// Makes the pipeline ready for the next response, which it then assembles exactly as a new
    /// pipeline would, but faster: it keeps what its decoder learned about the provider's chunk
    /// shapes (see ``StreamDecoder/reset(format:)``) and its buffers. For a server that reads
    /// responses one after another, e.g. one pipeline per connection or per worker task; call
    /// ``finish()`` first if you need the previous response.
    public mutating func reset() {
        sse = SSEParser(limits: sse.limits)
        stage.decoder.reset(format: givenFormat)
        stage.assembler = ToolCallAssembler(format: givenFormat, limits: stage.assembler.limits)
        stage.events.removeAll(keepingCapacity: true)
        stage.actions.removeAll(keepingCapacity: true)
        stage.decodedEvents = 0
    }

    /// Chunks the decoder read through a learned shape (for tests).
    var templateHits: Int { stage.decoder.chat.templateHits }

    /// The wire format, given or detected so far.
    public var format: WireFormat? { stage.decoder.format }

    /// Whether the bytes so far looked like an event stream (a field or comment line was seen).
    public var sawEventStream: Bool { sse.sawField }

    /// SSE events whose data was decoded (of a known or detected format).
    public var decodedEventCount: Int { stage.decodedEvents }

    /// Why the input so far cannot be assembled at all, or `nil`: it is not an event stream, it
    /// holds no event, or no event is of a known (or the given) wire format.
    public var inputProblem: String? {
        if !sse.sawField { return "the input is not an event stream (no data:, event: or comment lines)" }
        if sse.eventCount == 0 { return "the event stream holds no events" }
        if stage.decodedEvents == 0 {
            return "no event could be decoded as \(stage.decoder.format?.rawValue ?? "a known wire format")"
        }
        if stage.decoder.format == nil && stage.assembler.error == nil {
            return "no event is of a known wire format (openai-chat, anthropic-messages, openai-responses)"
        }
        return nil
    }

    /// The response as assembled so far.
    public var response: AssembledResponse { stage.assembler.response }

    /// Feeds the next chunk of the body, appending what changed to `actions`.
    /// - Throws: ``SSEError`` when a line or an event exceeds its bound; the stream cannot go on
    ///   (it is also recorded in the response's diagnostics).
    public mutating func feed(
        _ bytes: UnsafeRawBufferPointer,
        into actions: inout [ToolCallAssembler.Action]
    ) throws(SSEError) {
        swap(&stage.actions, &actions)
        defer { swap(&stage.actions, &actions) }
        do {
            try sse.feed(bytes, to: &stage)
        } catch {
            let diagnostic = StreamDiagnostic(.sseLimitExceeded, error.description)
            stage.assembler.report(diagnostic)
            stage.actions.append(.diagnostic(diagnostic))
            throw error
        }
    }

    /// Feeds the next chunk of the body and returns what changed.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(SSEError) -> [ToolCallAssembler.Action] {
        var actions: [ToolCallAssembler.Action] = []
        let done: Void? = try bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(SSEError) in try feed(UnsafeRawBufferPointer(buffer), into: &actions) }
        }?.get()
        if done == nil {
            let copy = Array(bytes)
            try copy.withUnsafeBytes { buffer in
                Result { () throws(SSEError) in try feed(buffer, into: &actions) }
            }.get()
        }
        return actions
    }

    /// Ends the body: dispatches an event left open (no final blank line), closes open calls
    /// (truncated) and returns the response.
    public mutating func finish(into actions: inout [ToolCallAssembler.Action]) -> AssembledResponse {
        swap(&stage.actions, &actions)
        do {
            try sse.finish(to: &stage)
        } catch {
            // Already reported when `feed` threw it.
        }
        swap(&stage.actions, &actions)
        return stage.assembler.finish(into: &actions)
    }

    /// Ends the body and returns the response.
    public mutating func finish() -> AssembledResponse {
        var actions: [ToolCallAssembler.Action] = []
        return finish(into: &actions)
    }
}
