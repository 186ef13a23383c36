/// Why one event's data could not be decoded. The stream goes on; the event is skipped.
public struct StreamDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var format: WireFormat?
    /// Byte offset inside the event's data.
    public var offset: Int
    public var message: String

    public init(format: WireFormat?, offset: Int, message: String) {
        self.format = format
        self.offset = offset
        self.message = message
    }

    public var description: String {
        "cannot decode \(format?.rawValue ?? "stream") event: \(message) at byte \(offset) of its data"
    }
}

/// Turns the data of server-sent events into normalized ``StreamEvent``s.
///
/// One decoder per response: it remembers which provider index, content block or output item
/// belongs to which call. Envelopes are read by an allocation-free byte scanner that extracts only
/// the fields a tool-call runtime needs and skips the rest; unknown event types are ignored.
///
/// ```swift
/// var decoder = StreamDecoder(format: nil)            // nil: detect from the first events
/// let events = try decoder.decode(SSEEvent(data: #"{"choices":[{"index":0,"delta":{"content":"Hi"}}]}"#))
/// // [.textDelta(choice: 0, text: "Hi")], decoder.format == .openAIChat
/// ```
public struct StreamDecoder: Sendable {
    /// The wire format, once known (given, or detected from the first recognizable event).
    public private(set) var format: WireFormat?

    var strings = EnvelopeStringDecoder()
    var chat = ChatState()
    var anthropic = AnthropicState()
    var responses = ResponsesState()

    /// - Parameter format: the wire format, or `nil` to detect it from the first events.
    public init(format: WireFormat? = nil) {
        self.format = format
    }

    /// Makes the decoder ready for the next response, as a new decoder for `format` would be,
    /// but keeping what it learned about the provider's chunk shapes: the chunks of the next
    /// response from the same provider are read through them from its first ones on.
    public mutating func reset(format: WireFormat? = nil) {
        self.format = format
        chat.startNextResponse()
        anthropic = AnthropicState()
        responses = ResponsesState()
    }

    /// Decodes one event, appending what it says to `events`.
    /// - Parameters:
    ///   - type: the SSE `event:` field, if any.
    ///   - data: the SSE data.
    /// - Throws: ``StreamDecodingError`` when the data is not a readable envelope of the format.
    public mutating func decode(
        type: UnsafeRawBufferPointer?,
        data: UnsafeRawBufferPointer,
        into events: inout [StreamEvent]
    ) throws(StreamDecodingError) {
        try decode(type: type, data: data, into: &events, templates: true)
    }

    /// `templates` false: the caller already asked ``templateEvent(_:)`` for this chunk, and no
    /// template fitted (the pipeline), so it is not tried twice.
    mutating func decode(
        type: UnsafeRawBufferPointer?,
        data: UnsafeRawBufferPointer,
        into events: inout [StreamEvent],
        templates: Bool
    ) throws(StreamDecodingError) {
        guard let base = data.baseAddress?.assumingMemoryBound(to: UInt8.self), !data.isEmpty else { return }
        do {
            if format == nil {
                format = try detect(type: type, data: data, events: &events)
                guard format != nil else { return }
            }
            switch format {
            case .openAIChat: try decodeChat(data, base: base, events: &events, templates: templates)
            case .anthropicMessages: try decodeAnthropic(data, base: base, events: &events)
            case .openAIResponses: try decodeResponses(data, base: base, events: &events)
            case nil: break
            }
        } catch {
            throw StreamDecodingError(format: format, offset: error.offset, message: error.message)
        }
    }

    /// Decodes one owned event.
    public mutating func decode(_ event: SSEEvent) throws(StreamDecodingError) -> [StreamEvent] {
        var events: [StreamEvent] = []
        var data = event.data
        var type = event.type
        try data.withUTF8 { buffer in
            Result { () throws(StreamDecodingError) in
                let raw = UnsafeRawBufferPointer(buffer)
                if type != nil {
                    try type!.withUTF8 { typeBuffer in
                        Result { () throws(StreamDecodingError) in
                            try decode(type: UnsafeRawBufferPointer(typeBuffer), data: raw, into: &events)
                        }
                    }.get()
                } else {
                    try decode(type: nil, data: raw, into: &events)
                }
            }
        }.get()
        return events
    }

    // MARK: Detection

    private static let anthropicTypes: [String] = [
        "message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta",
        "message_stop", "ping",
    ]

    /// Recognizes the format from one event; errors seen before the format is known are reported.
    private mutating func detect(
        type: UnsafeRawBufferPointer?,
        data: UnsafeRawBufferPointer,
        events: inout [StreamEvent]
    ) throws(EnvelopeError) -> WireFormat? {
        if let type {
            let name = String(decoding: type, as: UTF8.self)
            if name.hasPrefix("response.") { return .openAIResponses }
            if Self.anthropicTypes.contains(name) { return .anthropicMessages }
        }
        if data.elementsEqual("[DONE]".utf8) {
            events.append(.done)
            return nil
        }
        var scanner = EnvelopeScanner(data)
        var first = true
        guard try scanner.beginObject() else { return nil }
        var sawChoices = false
        var typeName: String?
        var errorSlice: ValueSlice?
        while let key = try scanner.nextKey(first: &first) {
            if scanner.matches(key, "choices") {
                sawChoices = true
                try scanner.skipValue()
            } else if scanner.matches(key, "type"), let slice = try scanner.optionalString() {
                typeName = strings.decode(slice, base: scanner.base)
            } else if scanner.matches(key, "object"), let slice = try scanner.optionalString() {
                if scanner.matches(slice, "chat.completion.chunk") { sawChoices = true }
            } else if scanner.matches(key, "error") {
                errorSlice = try scanner.capture()
            } else {
                try scanner.skipValue()
            }
        }
        if let typeName {
            if typeName.hasPrefix("response.") { return .openAIResponses }
            if Self.anthropicTypes.contains(typeName) { return .anthropicMessages }
        }
        if sawChoices { return .openAIChat }
        if let errorSlice, !scanner.isNull(errorSlice), let value = scanner.value(errorSlice) {
            events.append(.error(StreamError(raw: value)))
        } else if typeName == "error" {
            // Anthropic and Responses put the error's fields beside `type`.
            if let value = scanner.value(ValueSlice(start: 0, end: scanner.end)) {
                events.append(.error(StreamError(raw: value["error"] ?? value)))
            }
        }
        return nil
    }
}
