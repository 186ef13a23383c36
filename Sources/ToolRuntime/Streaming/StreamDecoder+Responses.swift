// OpenAI Responses events: output items (reasoning, message, function_call, …) keyed by
// `output_index`; argument deltas and a `function_call_arguments.done` that repeats the whole text
// (LM Studio sends only the latter); the final status in `response.completed|incomplete|failed`.

struct ResponsesState: Sendable {
    struct Item: Sendable {
        var output: Int
        var itemID: String?
        var call: Int
    }

    var items: [Item] = []
    var callCount = 0

    func call(output: Int?, itemID: String?) -> Int? {
        if let output, let item = items.last(where: { $0.output == output }) { return item.call }
        if let itemID, let item = items.last(where: { $0.itemID == itemID }) { return item.call }
        return nil
    }
}

extension StreamDecoder {
    mutating func decodeResponses(
        _ data: UnsafeRawBufferPointer,
        base: UnsafePointer<UInt8>,
        events: inout [StreamEvent]
    ) throws(EnvelopeError) {
        var scanner = EnvelopeScanner(data)
        let fields = try EventFields(&scanner)
        guard let type = fields.type else { return }
        if scanner.matches(type, "response.function_call_arguments.delta") {
            guard let delta = fields.delta, let call = responsesCall(scanner, fields) else { return }
            var inner = EnvelopeScanner(base: base, slice: delta)
            guard let text = try inner.optionalString(), !text.isEmpty else { return }
            events.append(.toolCallArguments(choice: 0, index: call, fragment: strings.decode(text, base: base)))
        } else if scanner.matches(type, "response.output_text.delta") {
            if let text = try deltaText(scanner, fields) {
                events.append(.textDelta(choice: 0, text: text))
            }
        } else if scanner.matches(type, "response.reasoning_text.delta")
            || scanner.matches(type, "response.reasoning_summary_text.delta")
        {
            if let text = try deltaText(scanner, fields) {
                events.append(.reasoningDelta(choice: 0, text: text))
            }
        } else if scanner.matches(type, "response.output_item.added") {
            let item = try ObjectStrings(scanner, fields.item)
            guard let itemType = item.type,
                scanner.matches(itemType, "function_call") || scanner.matches(itemType, "custom_tool_call")
            else { return }
            let call = responses.callCount
            responses.callCount += 1
            let itemID = item.id.map { strings.decode($0, base: base) }
            responses.items.append(.init(output: fields.outputIndex ?? call, itemID: itemID, call: call))
            events.append(
                .toolCallStart(
                    choice: 0,
                    index: call,
                    id: item.callID.flatMap { $0.isEmpty ? nil : strings.decode($0, base: base) },
                    name: item.name.flatMap { $0.isEmpty ? nil : strings.decode($0, base: base) },
                    kind: .function
                )
            )
            if let arguments = item.arguments, !arguments.isEmpty {
                events.append(.toolCallArguments(choice: 0, index: call, fragment: strings.decode(arguments, base: base)))
            }
        } else if scanner.matches(type, "response.function_call_arguments.done") {
            guard let call = responsesCall(scanner, fields) else { return }
            let arguments = fields.arguments.map { strings.decode($0, base: base) }
            events.append(.toolCallEnd(choice: 0, index: call, arguments: arguments))
        } else if scanner.matches(type, "response.output_item.done") {
            let item = try ObjectStrings(scanner, fields.item)
            guard let itemType = item.type,
                scanner.matches(itemType, "function_call") || scanner.matches(itemType, "custom_tool_call"),
                let call = responses.call(output: fields.outputIndex, itemID: item.id.map { strings.decode($0, base: base) })
            else { return }
            let arguments = item.arguments.map { strings.decode($0, base: base) }
            events.append(.toolCallEnd(choice: 0, index: call, arguments: arguments))
        } else if scanner.matches(type, "response.completed") || scanner.matches(type, "response.incomplete")
            || scanner.matches(type, "response.failed")
        {
            let response = try ObjectStrings(scanner, fields.response)
            if let usage = response.usage, !scanner.isNull(usage), let decoded = Usage(json: scanner.bytes(usage)) {
                events.append(.usage(decoded))
            }
            if let error = response.error, !scanner.isNull(error), let value = scanner.value(error) {
                events.append(.error(StreamError(raw: value)))
            }
            let status = response.status.map { strings.decode($0, base: base) } ?? "completed"
            var reason = FinishReason(raw: status)
            if status == "incomplete" {
                let details = try ObjectStrings(scanner, response.details)
                if let detail = details.reason, scanner.matches(detail, "content_filter") {
                    reason = FinishReason(raw: status, category: .contentFilter)
                }
            }
            events.append(.finish(choice: 0, reason: reason))
            events.append(.done)
        } else if scanner.matches(type, "error") {
            if let value = scanner.value(ValueSlice(start: 0, end: scanner.end)) {
                events.append(.error(StreamError(raw: value["error"] ?? value)))
            }
        }
    }

    private mutating func responsesCall(_ scanner: EnvelopeScanner, _ fields: EventFields) -> Int? {
        let itemID = fields.itemID.map { strings.decode($0, base: scanner.base) }
        return responses.call(output: fields.outputIndex, itemID: itemID)
    }

    private mutating func deltaText(_ scanner: EnvelopeScanner, _ fields: EventFields) throws(EnvelopeError) -> String? {
        guard let delta = fields.delta else { return nil }
        var inner = EnvelopeScanner(base: scanner.base, slice: delta)
        guard let text = try inner.optionalString(), !text.isEmpty else { return nil }
        return strings.decode(text, base: scanner.base)
    }
}
