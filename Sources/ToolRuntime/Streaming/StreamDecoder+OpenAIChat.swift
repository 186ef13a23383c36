// OpenAI Chat Completions chunks, and the many servers that imitate them with small differences
// (see ../shared/streams/SOURCES.md): no `index` (Mistral), `""` or null ids and names in later
// deltas, whole calls in one delta, usage in `choices: []` chunks or beside `finish_reason`.

/// Which provider call a delta belongs to, per choice.
struct ChatState: Sendable {
    struct Call: Sendable {
        var provider: Int?
        var id: String?
        var hasName: Bool
        var hasArguments: Bool
    }

    struct Choice: Sendable {
        var index: Int
        var calls: [Call] = []
    }

    var choices: [Choice] = []
    /// Scratch: the tool-call deltas of the choice being read.
    var pending: [PendingToolCall] = []
    /// The previous chunk's bytes up to and including `"choices":[`, when reading them had no
    /// effect but finding the array (no `usage` or `error` before it). Chunks of one response
    /// repeat `id`, `object`, `created`, `model`, `system_fingerprint` byte for byte, so a chunk
    /// starting with these bytes is read from the array on: scanning the same bytes again would
    /// end in the same place with the same (empty) result, as the scanner never looks past them.
    var prefix: [UInt8] = []
    /// The previous choice's bytes from the end of its `delta` to its closing `}` (e.g.
    /// `,"logprobs":null,"finish_reason":null}`), when they held only members the decoder skips
    /// or a null finish reason.
    var tail: [UInt8] = []
    /// Off only in tests, to compare with the plain scans.
    var usesPrefix = true

    struct PendingToolCall: Sendable {
        var index: Int?
        var id: StringSlice?
        var name: StringSlice?
        var arguments: StringSlice?
    }

    /// The call index (0, 1, … in order of first appearance) a delta belongs to.
    ///
    /// A provider index seen before maps to its call, unless the delta brings a different id (a
    /// provider that numbers every call 0). Without an index, a delta continues the last call unless
    /// it brings a new id, or a name while the last call already has a name and arguments.
    mutating func resolve(choice: Int, provider: Int?, id: String?, hasName: Bool, hasArguments: Bool) -> Int {
        var position = 0
        while position < choices.count, choices[position].index != choice { position += 1 }
        if position == choices.count { choices.append(Choice(index: choice)) }

        var target: Int?
        let count = choices[position].calls.count
        if let provider {
            var known = count - 1
            while known >= 0, choices[position].calls[known].provider != provider { known -= 1 }
            if known >= 0 {
                if let id, let knownID = choices[position].calls[known].id, knownID != id {
                    target = nil
                } else {
                    target = known
                }
            }
        } else if count > 0 {
            let last = count - 1
            if let id, let knownID = choices[position].calls[last].id, knownID != id {
                target = nil
            } else if id == nil, hasName, choices[position].calls[last].hasName,
                choices[position].calls[last].hasArguments
            {
                target = nil
            } else {
                target = last
            }
        }
        let index: Int
        if let target {
            index = target
        } else {
            choices[position].calls.append(Call(provider: provider, id: nil, hasName: false, hasArguments: false))
            index = count
        }
        if let id { choices[position].calls[index].id = id }
        if hasName { choices[position].calls[index].hasName = true }
        if hasArguments { choices[position].calls[index].hasArguments = true }
        return index
    }
}

extension StreamDecoder {
    mutating func decodeChat(
        _ data: UnsafeRawBufferPointer,
        base: UnsafePointer<UInt8>,
        events: inout [StreamEvent]
    ) throws(EnvelopeError) {
        if base[0] == UInt8(ascii: "["), data.elementsEqual("[DONE]".utf8) {
            events.append(.done)
            return
        }
        var scanner = EnvelopeScanner(data)
        var first = true
        var usage: ValueSlice?
        var error: ValueSlice?
        // Whether a `choices` key seen now is the first thing in the envelope that matters.
        var recordable = chat.usesPrefix
        if recordable, !chat.prefix.isEmpty, chat.prefix.count < data.count,
            chat.prefix.withUnsafeBufferPointer({ bytesEqual($0.baseAddress!, base, $0.count) })
        {
            scanner.position = chat.prefix.count
            first = false
            recordable = false
            try decodeChatChoices(&scanner, events: &events)
        } else {
            guard try scanner.beginObject() else { return }
        }
        while let key = try scanner.nextKey(first: &first) {
            if scanner.matches(key, "choices") {
                guard try scanner.beginArray() else { continue }
                if recordable {
                    recordable = false
                    if usage == nil && error == nil {
                        chat.prefix.removeAll(keepingCapacity: true)
                        chat.prefix.append(contentsOf: UnsafeRawBufferPointer(start: base, count: scanner.position))
                    }
                }
                try decodeChatChoices(&scanner, events: &events)
            } else if scanner.matches(key, "usage") {
                usage = try scanner.capture()
            } else if scanner.matches(key, "error") {
                error = try scanner.capture()
            } else {
                try scanner.skipValue()
            }
        }
        if let usage, !scanner.isNull(usage), let decoded = Usage(json: scanner.bytes(usage)) {
            events.append(.usage(decoded))
        }
        if let error, !scanner.isNull(error), let value = scanner.value(error) {
            events.append(.error(StreamError(raw: value)))
        }
    }

    /// Reads the elements of an open `choices` array.
    private mutating func decodeChatChoices(
        _ scanner: inout EnvelopeScanner,
        events: inout [StreamEvent]
    ) throws(EnvelopeError) {
        var firstChoice = true
        while try scanner.nextElement(first: &firstChoice) {
            try decodeChatChoice(&scanner, events: &events)
        }
    }

    private mutating func decodeChatChoice(
        _ scanner: inout EnvelopeScanner,
        events: inout [StreamEvent]
    ) throws(EnvelopeError) {
        guard try scanner.beginObject() else { return }
        var choice = 0
        var content: StringSlice?
        var reasoning: StringSlice?
        var finish: StringSlice?
        if !chat.pending.isEmpty { chat.pending.removeAll(keepingCapacity: true) }
        var first = true
        // Where the members after the delta began, while they are only skipped ones (see `tail`).
        var quietFrom: Int?
        var tookTail = false
        members: while let key = try scanner.nextKey(first: &first) {
            if scanner.matches(key, "delta") || scanner.matches(key, "message") {
                quietFrom = nil
                guard try scanner.beginObject() else { continue }
                var firstField = true
                while let field = try scanner.nextKey(first: &firstField) {
                    if scanner.matches(field, "content") {
                        content = try scanner.optionalString()
                    } else if scanner.matches(field, "tool_calls") {
                        try decodeChatToolCalls(&scanner)
                    } else if scanner.matches(field, "reasoning_content") || scanner.matches(field, "reasoning") {
                        if let text = try scanner.optionalString(), !text.isEmpty { reasoning = text }
                    } else if scanner.matches(field, "function_call") {
                        // The deprecated single-call form: one call, index 0.
                        var call = try decodeChatFunction(&scanner)
                        call.index = 0
                        chat.pending.append(call)
                    } else {
                        try scanner.skipValue()
                    }
                }
                // With no finish reason yet, members that are skipped or `"finish_reason":null`
                // leave every local as it is: bytes equal to such a tail are stepped over.
                if chat.usesPrefix, finish == nil {
                    let count = chat.tail.count
                    if count > 0, scanner.position + count <= scanner.end,
                        chat.tail.withUnsafeBufferPointer({
                            bytesEqual($0.baseAddress!, scanner.base + scanner.position, count)
                        })
                    {
                        scanner.position += count
                        tookTail = true
                        break members
                    }
                    quietFrom = scanner.position
                }
            } else if scanner.matches(key, "index") {
                quietFrom = nil
                choice = try scanner.optionalInt() ?? 0
            } else if scanner.matches(key, "finish_reason") {
                finish = try scanner.optionalString()
                if finish != nil { quietFrom = nil }
            } else {
                try scanner.skipValue()
            }
        }
        if !tookTail, let quietFrom {
            chat.tail.removeAll(keepingCapacity: true)
            chat.tail.append(
                contentsOf: UnsafeRawBufferPointer(start: scanner.base + quietFrom, count: scanner.position - quietFrom)
            )
        }
        if let content, !content.isEmpty {
            events.append(.textDelta(choice: choice, text: strings.decode(content, base: scanner.base)))
        }
        if let reasoning {
            events.append(.reasoningDelta(choice: choice, text: strings.decode(reasoning, base: scanner.base)))
        }
        for pending in chat.pending {
            let id = pending.id.flatMap { $0.isEmpty ? nil : strings.decode($0, base: scanner.base) }
            let name = pending.name.flatMap { $0.isEmpty ? nil : strings.decode($0, base: scanner.base) }
            let hasArguments = pending.arguments.map { !$0.isEmpty } ?? false
            let index = chat.resolve(
                choice: choice,
                provider: pending.index,
                id: id,
                hasName: name != nil,
                hasArguments: hasArguments
            )
            if id != nil || name != nil {
                events.append(.toolCallStart(choice: choice, index: index, id: id, name: name, kind: .function))
            }
            if let arguments = pending.arguments, hasArguments {
                events.append(
                    .toolCallArguments(
                        choice: choice,
                        index: index,
                        fragment: strings.decode(arguments, base: scanner.base)
                    )
                )
            } else if id == nil && name == nil {
                // A delta that says nothing new still makes sure the call exists.
                events.append(.toolCallArguments(choice: choice, index: index, fragment: ""))
            }
        }
        if let finish, !finish.isEmpty {
            events.append(.finish(choice: choice, reason: FinishReason(raw: strings.decode(finish, base: scanner.base))))
        }
    }

    private mutating func decodeChatToolCalls(_ scanner: inout EnvelopeScanner) throws(EnvelopeError) {
        guard try scanner.beginArray() else { return }
        var first = true
        while try scanner.nextElement(first: &first) {
            guard try scanner.beginObject() else { continue }
            var call = ChatState.PendingToolCall()
            var firstKey = true
            while let key = try scanner.nextKey(first: &firstKey) {
                if scanner.matches(key, "function") {
                    let function = try decodeChatFunction(&scanner)
                    call.name = function.name
                    call.arguments = function.arguments
                } else if scanner.matches(key, "index") {
                    call.index = try scanner.optionalInt()
                } else if scanner.matches(key, "id") {
                    call.id = try scanner.optionalString()
                } else {
                    try scanner.skipValue()
                }
            }
            chat.pending.append(call)
        }
    }

    /// Reads `{"name":…,"arguments":…}`. Arguments sent as a JSON object rather than a string
    /// (some servers do) are taken as their raw text.
    private mutating func decodeChatFunction(
        _ scanner: inout EnvelopeScanner
    ) throws(EnvelopeError) -> ChatState.PendingToolCall {
        var call = ChatState.PendingToolCall()
        guard try scanner.beginObject() else { return call }
        var first = true
        while let key = try scanner.nextKey(first: &first) {
            if scanner.matches(key, "arguments") {
                switch scanner.peek() {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    let raw = try scanner.capture()
                    call.arguments = StringSlice(start: raw.start, end: raw.end, hasEscapes: false)
                default:
                    call.arguments = try scanner.optionalString()
                }
            } else if scanner.matches(key, "name") {
                call.name = try scanner.optionalString()
            } else {
                try scanner.skipValue()
            }
        }
        return call
    }
}
