import OrderedCollections

// Anthropic Messages events: content blocks (text, thinking, tool_use, server_tool_use, …) opened,
// streamed and stopped by block index; the stop reason and output usage in `message_delta`.

struct AnthropicState: Sendable {
    struct Block: Sendable {
        var block: Int
        var call: Int
        var sawDelta: Bool
        /// The `input` of `content_block_start` when it is not `{}` (used if no delta follows).
        var input: String?
    }

    var blocks: [Block] = []
    var callCount = 0
    var usage = JSONObject()
}

/// The top-level fields of an Anthropic or Responses event, located in one pass.
struct EventFields {
    var type: StringSlice?
    var index: Int?
    var outputIndex: Int?
    var itemID: StringSlice?
    var delta: ValueSlice?
    var contentBlock: ValueSlice?
    var message: ValueSlice?
    var usage: ValueSlice?
    var error: ValueSlice?
    var item: ValueSlice?
    var arguments: StringSlice?
    var response: ValueSlice?

    init(_ scanner: inout EnvelopeScanner) throws(EnvelopeError) {
        guard try scanner.beginObject() else { return }
        var first = true
        while let key = try scanner.nextKey(first: &first) {
            switch key.end - key.start {
            case 4 where scanner.matches(key, "type"): type = try scanner.optionalString()
            case 5 where scanner.matches(key, "index"): index = try scanner.optionalInt()
            case 5 where scanner.matches(key, "delta"): delta = try scanner.capture()
            case 5 where scanner.matches(key, "usage"): usage = try scanner.capture()
            case 5 where scanner.matches(key, "error"): error = try scanner.capture()
            case 4 where scanner.matches(key, "item"): item = try scanner.capture()
            case 7 where scanner.matches(key, "item_id"): itemID = try scanner.optionalString()
            case 7 where scanner.matches(key, "message"): message = try scanner.capture()
            case 8 where scanner.matches(key, "response"): response = try scanner.capture()
            case 9 where scanner.matches(key, "arguments"): arguments = try scanner.optionalString()
            case 12 where scanner.matches(key, "output_index"): outputIndex = try scanner.optionalInt()
            case 13 where scanner.matches(key, "content_block"): contentBlock = try scanner.capture()
            default: try scanner.skipValue()
            }
        }
    }
}

/// The string members of a small nested object (a block, a delta, an item), located in one pass.
struct ObjectStrings {
    var type: StringSlice?
    var id: StringSlice?
    var callID: StringSlice?
    var name: StringSlice?
    var text: StringSlice?
    var partialJSON: StringSlice?
    var thinking: StringSlice?
    var arguments: StringSlice?
    var stopReason: StringSlice?
    var status: StringSlice?
    var input: ValueSlice?
    var usage: ValueSlice?
    var error: ValueSlice?
    var details: ValueSlice?
    var reason: StringSlice?

    init(_ scanner: EnvelopeScanner, _ slice: ValueSlice?) throws(EnvelopeError) {
        guard let slice else { return }
        var scanner = EnvelopeScanner(base: scanner.base, slice: slice)
        guard try scanner.beginObject() else { return }
        var first = true
        while let key = try scanner.nextKey(first: &first) {
            if scanner.matches(key, "type") {
                type = try scanner.optionalString()
            } else if scanner.matches(key, "id") {
                id = try scanner.optionalString()
            } else if scanner.matches(key, "call_id") {
                callID = try scanner.optionalString()
            } else if scanner.matches(key, "name") {
                name = try scanner.optionalString()
            } else if scanner.matches(key, "text") {
                text = try scanner.optionalString()
            } else if scanner.matches(key, "partial_json") {
                partialJSON = try scanner.optionalString()
            } else if scanner.matches(key, "thinking") {
                thinking = try scanner.optionalString()
            } else if scanner.matches(key, "arguments") || scanner.matches(key, "input") {
                if scanner.peek() == UInt8(ascii: "\"") {
                    arguments = try scanner.string()
                } else {
                    input = try scanner.capture()
                }
            } else if scanner.matches(key, "stop_reason") {
                stopReason = try scanner.optionalString()
            } else if scanner.matches(key, "status") {
                status = try scanner.optionalString()
            } else if scanner.matches(key, "reason") {
                reason = try scanner.optionalString()
            } else if scanner.matches(key, "usage") {
                usage = try scanner.capture()
            } else if scanner.matches(key, "error") {
                error = try scanner.capture()
            } else if scanner.matches(key, "incomplete_details") {
                details = try scanner.capture()
            } else {
                try scanner.skipValue()
            }
        }
    }
}

extension StreamDecoder {
    mutating func decodeAnthropic(
        _ data: UnsafeRawBufferPointer,
        base: UnsafePointer<UInt8>,
        events: inout [StreamEvent]
    ) throws(EnvelopeError) {
        var scanner = EnvelopeScanner(data)
        let fields = try EventFields(&scanner)
        guard let type = fields.type else { return }
        if scanner.matches(type, "content_block_delta") {
            let delta = try ObjectStrings(scanner, fields.delta)
            if let json = delta.partialJSON {
                guard let position = anthropic.blocks.lastIndex(where: { $0.block == fields.index ?? 0 }) else { return }
                anthropic.blocks[position].sawDelta = true
                let fragment = strings.decode(json, base: base)
                events.append(.toolCallArguments(choice: 0, index: anthropic.blocks[position].call, fragment: fragment))
            } else if let text = delta.text, !text.isEmpty {
                events.append(.textDelta(choice: 0, text: strings.decode(text, base: base)))
            } else if let thinking = delta.thinking, !thinking.isEmpty {
                events.append(.reasoningDelta(choice: 0, text: strings.decode(thinking, base: base)))
            }
        } else if scanner.matches(type, "content_block_start") {
            let block = try ObjectStrings(scanner, fields.contentBlock)
            guard let blockType = block.type else { return }
            if scanner.matches(blockType, "text") {
                if let text = block.text, !text.isEmpty {
                    events.append(.textDelta(choice: 0, text: strings.decode(text, base: base)))
                }
            } else if scanner.matches(blockType, "thinking") {
                if let thinking = block.thinking, !thinking.isEmpty {
                    events.append(.reasoningDelta(choice: 0, text: strings.decode(thinking, base: base)))
                }
            } else if scanner.matches(blockType, "tool_use") || scanner.hasSuffix(blockType, "tool_use") {
                let kind: ToolCall.Kind = scanner.matches(blockType, "tool_use") ? .function : .serverTool
                var input: String?
                if let slice = block.input, !isEmptyObject(scanner, slice) {
                    input = String(decoding: scanner.bytes(slice), as: UTF8.self)
                }
                let call = anthropic.callCount
                anthropic.callCount += 1
                anthropic.blocks.append(.init(block: fields.index ?? 0, call: call, sawDelta: false, input: input))
                events.append(
                    .toolCallStart(
                        choice: 0,
                        index: call,
                        id: block.id.flatMap { $0.isEmpty ? nil : strings.decode($0, base: base) },
                        name: block.name.flatMap { $0.isEmpty ? nil : strings.decode($0, base: base) },
                        kind: kind
                    )
                )
            }
        } else if scanner.matches(type, "content_block_stop") {
            guard let position = anthropic.blocks.lastIndex(where: { $0.block == fields.index ?? 0 }) else { return }
            let block = anthropic.blocks[position]
            events.append(.toolCallEnd(choice: 0, index: block.call, arguments: block.sawDelta ? nil : block.input))
        } else if scanner.matches(type, "message_delta") {
            let delta = try ObjectStrings(scanner, fields.delta)
            mergeAnthropicUsage(scanner, fields.usage, events: &events)
            if let reason = delta.stopReason, !reason.isEmpty {
                events.append(.finish(choice: 0, reason: FinishReason(raw: strings.decode(reason, base: base))))
            }
        } else if scanner.matches(type, "message_start") {
            let message = try ObjectStrings(scanner, fields.message)
            mergeAnthropicUsage(scanner, message.usage, events: &events)
        } else if scanner.matches(type, "message_stop") {
            events.append(.done)
        } else if scanner.matches(type, "error") {
            if let slice = fields.error, let value = scanner.value(slice) {
                events.append(.error(StreamError(raw: value)))
            }
        }
    }

    private mutating func mergeAnthropicUsage(
        _ scanner: EnvelopeScanner,
        _ slice: ValueSlice?,
        events: inout [StreamEvent]
    ) {
        guard let slice, case .object(let object)? = scanner.value(slice) else { return }
        for (key, value) in object { anthropic.usage[key] = value }
        events.append(.usage(Usage(raw: .object(anthropic.usage))))
    }
}

/// Whether the value at `slice` is `{}` (with any whitespace inside).
func isEmptyObject(_ scanner: EnvelopeScanner, _ slice: ValueSlice) -> Bool {
    var inner = EnvelopeScanner(base: scanner.base, slice: slice)
    guard inner.peek() == UInt8(ascii: "{") else { return false }
    inner.position += 1
    return inner.peek() == UInt8(ascii: "}")
}

extension EnvelopeScanner {
    /// Whether a string ends with `literal`.
    func hasSuffix(_ slice: StringSlice, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard slice.end - slice.start >= count else { return false }
        return bytesEqual(base + slice.end - count, literal.utf8Start, count)
    }
}
