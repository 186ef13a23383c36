// OpenAI Chat Completions chunks, and the many servers that imitate them with small differences
// (see ../shared/streams/SOURCES.md): no `index` (Mistral), `""` or null ids and names in later
// deltas, whole calls in one delta, usage in `choices: []` chunks or beside `finish_reason`.

/// Which provider call a delta belongs to, per choice, and what the decoder learnt about the
/// provider's chunk shapes.
struct ChatState: Sendable {
    struct Call: Sendable {
        var choice: Int
        /// The call's position within its choice (0, 1, … in order of first appearance).
        var index: Int
        var provider: Int?
        var id: String?
        var hasName: Bool
        var hasArguments: Bool
    }

    /// Every choice's calls in one list (a choice is nearly always alone): one allocation per
    /// response rather than one per choice and one for the choices.
    var calls: [Call] = []
    /// Scratch: the tool-call deltas of the choice being read.
    var pending: [PendingToolCall] = []
    /// The bytes of the header `prefix`, the choice `tail` and every template, in one buffer:
    /// one allocation per decoder rather than one per piece (a response's first chunks made
    /// four). Replaced pieces stay until the buffer is full and half garbage, then it is rebuilt
    /// from the live pieces (see ``keep(_:_:_:)``), so it stays within twice what is live.
    private(set) var store: [UInt8] = []
    /// The previous chunk's bytes up to and including `"choices":[` (in `store`), when reading
    /// them had no effect but finding the array (no `usage` or `error` before it). Chunks of one
    /// response repeat `id`, `object`, `created`, `model`, `system_fingerprint` byte for byte, so
    /// a chunk starting with these bytes is read from the array on: scanning the same bytes again
    /// would end in the same place with the same (empty) result, as the scanner never looks past
    /// them.
    var prefix: Range<Int> = 0..<0
    /// The previous choice's bytes from the end of its `delta` to its closing `}` (in `store`,
    /// e.g. `,"logprobs":null,"finish_reason":null}`), when they held only members the decoder
    /// skips or a null finish reason.
    var tail: Range<Int> = 0..<0
    /// Choices seen before whose bytes, after the header `prefix`, differed from this chunk's only
    /// inside one string (see ``ChoiceTemplate``); most recent last, at most `maxTemplates`.
    var templates: [ChoiceTemplate] = []
    /// The one string of the choice just read, when it is all the choice says: what a template
    /// would be made of, if it is also the chunk's only event.
    var candidate: Candidate?

    struct Candidate: Sendable {
        var kind: ChoiceTemplate.Kind
        var slice: StringSlice
        var choice: Int
        /// The bytes of the call's provider `index` in the chunk (plain digits), for a slot.
        var slot: Range<Int>?
    }
    /// The delta of the choice just read, when the bytes around it said nothing but the choice's
    /// index (see ``Frame``).
    var frame: Frame?

    /// Where a choice's one delta object lies in its chunk: from `{` (excluded) to `}` (included).
    /// When everything around the delta is quiet (a header that only opens `choices`, the
    /// choice's index, skipped members or a null finish reason, no other choice, no usage, error
    /// or second `choices` array), any delta put in its place is read alone: the chunk means
    /// what the delta means for that choice. That gives a response's first chunk (its role,
    /// and no event) the templates of the text, argument and finish chunks that follow it, which
    /// would otherwise each be read in full, once to be learned and the finish chunk always (see
    /// ``StreamDecoder/deriveTemplates(_:base:choicesStart:end:)``).
    struct Frame: Sendable {
        var choice: Int
        /// Just after the delta's `{`.
        var open: Int
        /// Just after the delta's `}`.
        var close: Int
        /// The `null` of the choice's last `finish_reason` after the delta, if its members were
        /// read (not stepped over as a known tail): a finish reason in its place, with an empty
        /// delta, is all the chunk says (any `finish_reason` before it is null too, or the frame
        /// would not be quiet).
        var finishNull: Range<Int>?
    }

    /// Chunks read through a template (for tests: the shortcut must be taken to be compared).
    var templateHits = 0
    /// Off only in tests, to compare with the plain scans.
    var usesPrefix = true

    static let maxTemplates = 8
    /// Head plus tail of a template at most (real ones are 100-300 bytes): a chunk with a large
    /// member beside its string is read in full rather than kept, so templates stay small
    /// whatever a provider sends.
    static let maxTemplateBytes = 4096

    /// The bytes of a chunk around the one string that changes from chunk to chunk: after the
    /// header, `{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"` and
    /// `"}}]},"logprobs":null,"finish_reason":null}],"usage":null}` repeat byte for byte while a
    /// call's arguments (or a choice's text) stream. The decoder read those bytes once and learned
    /// that they say nothing but where the string is; reading them again would take the same
    /// steps to the same end, whatever the string holds, so a chunk made of the header, a known
    /// `head`, one string and the same `tail` means what the string means in that place.
    ///
    /// Parallel calls differ in one more place, their provider `index`: a call's head keeps a
    /// slot there, so one template serves every call of the choice. Any run of up to 18 digits
    /// followed by the rest of the head is read as the plain scan reads an index there.
    struct ChoiceTemplate: Sendable {
        enum Kind: Sendable, Equatable {
            case text
            case reasoning
            /// A call's arguments (no id, no name), with the delta's provider `index` when the
            /// head has no slot for it.
            case arguments(provider: Int?)
            /// A finish reason, with an empty delta (only ever derived from a frame).
            case finish
        }

        var kind: Kind
        var choice: Int
        /// Where in the state's `store` the head is, from the end of the header to the string's
        /// opening quote (included; the index digits left out when there is a slot), followed by
        /// the tail, from the string's closing quote (included) to the end of the chunk.
        var bytes: Range<Int>
        var headCount: Int
        /// Where in the head the provider index's digits go, if it has a slot.
        var slot: Int?

        var tailCount: Int { bytes.count - headCount }
    }

    /// The bytes of a piece kept in `store`, for comparing with a chunk's.
    @inline(__always)
    func withBytes<R>(_ piece: Range<Int>, _ body: (UnsafePointer<UInt8>) -> R) -> R {
        store.withUnsafeBufferPointer { body($0.baseAddress! + piece.lowerBound) }
    }

    /// Whether two templates have the same head.
    func sameHead(_ a: ChoiceTemplate, _ b: ChoiceTemplate) -> Bool {
        guard a.slot == b.slot, a.headCount == b.headCount else { return false }
        return store.withUnsafeBufferPointer {
            bytesEqual($0.baseAddress! + a.bytes.lowerBound, $0.baseAddress! + b.bytes.lowerBound, a.headCount)
        }
    }

    /// Copies the pieces, one after the other, into `store` and returns where they are.
    mutating func keep(
        _ first: UnsafeRawBufferPointer,
        _ second: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
        _ third: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
        _ fourth: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
        _ fifth: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    ) -> Range<Int> {
        let count = first.count + second.count + third.count + fourth.count + fifth.count
        if store.capacity == 0 {
            // A response's header, tail and first templates (~600 bytes at OpenAI) fit.
            store.reserveCapacity(max(1024, count))
        } else if store.count + count > store.capacity {
            var live = prefix.count + tail.count
            for template in templates { live += template.bytes.count }
            if store.count > 2 * live { compact(live: live, room: count) }
        }
        let start = store.count
        store.append(contentsOf: first)
        store.append(contentsOf: second)
        store.append(contentsOf: third)
        store.append(contentsOf: fourth)
        store.append(contentsOf: fifth)
        return start..<store.count
    }

    /// Rebuilds `store` from the live pieces only.
    private mutating func compact(live: Int, room: Int) {
        var fresh: [UInt8] = []
        fresh.reserveCapacity(max(1024, 2 * (live + room)))
        func move(_ piece: Range<Int>) -> Range<Int> {
            let start = fresh.count
            fresh.append(contentsOf: store[piece])
            return start..<fresh.count
        }
        prefix = move(prefix)
        tail = move(tail)
        for t in templates.indices { templates[t].bytes = move(templates[t].bytes) }
        store = fresh
    }

    /// Forgets the response read so far but keeps what was learned about the provider's chunk
    /// shapes (the templates) and the buffers' capacity. The prefix and the choice tail go: they
    /// hold one response's header (its `id`).
    mutating func startNextResponse() {
        calls.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
        prefix = 0..<0
        tail = 0..<0
        candidate = nil
        frame = nil
    }

    /// Remembers a template, replacing one with the same head (its tail changed) or the oldest.
    mutating func remember(_ template: ChoiceTemplate) {
        if let same = templates.firstIndex(where: { sameHead($0, template) }) {
            templates[same] = template
        } else {
            if templates.isEmpty { templates.reserveCapacity(Self.maxTemplates) }
            if templates.count == Self.maxTemplates { templates.removeFirst() }
            templates.append(template)
        }
    }

    struct PendingToolCall: Sendable {
        var index: Int?
        var id: StringSlice?
        var name: StringSlice?
        var arguments: StringSlice?
        /// Whether `arguments` is a JSON string (not an object or array taken as raw text).
        var argumentsIsString = false
        /// Where `index` was read, when it was plain digits.
        var indexDigits: Range<Int>?
    }

    /// The call index (0, 1, … in order of first appearance) a delta belongs to.
    ///
    /// A provider index seen before maps to its call, unless the delta brings a different id (a
    /// provider that numbers every call 0). Without an index, a delta continues the last call unless
    /// it brings a new id, or a name while the last call already has a name and arguments.
    mutating func resolve(choice: Int, provider: Int?, id: String?, hasName: Bool, hasArguments: Bool) -> Int {
        // The choice's last call, and its call with this provider index (the latest one).
        var last: Int?
        var known: Int?
        var position = calls.count - 1
        while position >= 0 {
            if calls[position].choice == choice {
                if last == nil { last = position }
                if provider == nil || calls[position].provider == provider {
                    known = position
                    break
                }
            }
            position -= 1
        }
        var target: Int?
        if provider != nil, let known {
            if let id, let knownID = calls[known].id, knownID != id {
                target = nil
            } else {
                target = known
            }
        } else if provider == nil, let last {
            if let id, let knownID = calls[last].id, knownID != id {
                target = nil
            } else if id == nil, hasName, calls[last].hasName, calls[last].hasArguments {
                target = nil
            } else {
                target = last
            }
        }
        let slot: Int
        if let target {
            slot = target
        } else {
            let index = last.map { calls[$0].index + 1 } ?? 0
            // Room for a few calls at once: parallel calls grew the list one allocation per step.
            if calls.capacity == 0 { calls.reserveCapacity(4) }
            calls.append(Call(choice: choice, index: index, provider: provider, id: nil, hasName: false, hasArguments: false))
            slot = calls.count - 1
        }
        if let id { calls[slot].id = id }
        if hasName { calls[slot].hasName = true }
        if hasArguments { calls[slot].hasArguments = true }
        return calls[slot].index
    }
}

extension StreamDecoder {
    mutating func decodeChat(
        _ data: UnsafeRawBufferPointer,
        base: UnsafePointer<UInt8>,
        events: inout [StreamEvent],
        templates: Bool
    ) throws(EnvelopeError) {
        if base[0] == UInt8(ascii: "["), isDone(data, base: base) {
            events.append(.done)
            return
        }
        var scanner = EnvelopeScanner(data)
        var first = true
        var usage: ValueSlice?
        var usageCounts: UsageCounts?
        var error: ValueSlice?
        let eventsBefore = events.count
        // Whether a `choices` key seen now is the first thing in the envelope that matters.
        var recordable = chat.usesPrefix
        // Where the header ends (the choices array opens), when it is the remembered `prefix`.
        var choicesStart: Int?
        // `choices` arrays read: a second one would have its say after the first one's delta.
        var choicesArrays = 0
        if recordable, startsWithPrefix(data, base: base) {
            if templates, let event = readThroughTemplate(base: base, from: chat.prefix.count, end: data.count) {
                events.append(event)
                return
            }
            scanner.position = chat.prefix.count
            choicesStart = scanner.position
            first = false
            recordable = false
            choicesArrays = 1
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
                        chat.prefix = chat.keep(UnsafeRawBufferPointer(start: base, count: scanner.position))
                        choicesStart = scanner.position
                    }
                }
                choicesArrays += 1
                try decodeChatChoices(&scanner, events: &events)
            } else if scanner.matches(key, "usage") {
                scanner.skipWhitespace()
                // The usual object is found and read in one pass; anything else is captured.
                if let read = UsualUsageReader.object(base: scanner.base, from: scanner.position, to: scanner.end) {
                    usage = ValueSlice(start: scanner.position, end: read.end)
                    usageCounts = read.counts
                    scanner.position = read.end
                } else {
                    usage = try scanner.capture()
                    usageCounts = nil
                }
            } else if scanner.matches(key, "error") {
                error = try scanner.capture()
            } else {
                try scanner.skipValue()
            }
        }
        if let usage, !scanner.isNull(usage),
            // The one-pass reader already refused a captured object: it is parsed, not read again.
            let decoded = usageCounts.map({ Usage(counts: $0, json: scanner.bytes(usage)) }) ?? Usage(parsing: scanner.bytes(usage))
        {
            events.append(.usage(decoded))
        }
        if let error, !scanner.isNull(error), let value = scanner.value(error) {
            events.append(.error(StreamError(raw: value)))
        }
        // Only a chunk whose one event is the candidate's: the rest of its bytes said nothing.
        if let choicesStart, let candidate = chat.candidate, events.count - eventsBefore == 1,
            candidate.slice.start - choicesStart + data.count - candidate.slice.end <= ChatState.maxTemplateBytes
        {
            let slice = candidate.slice
            // The head without the index digits (when they are in it, not after the string), then
            // the tail.
            let slot = candidate.slot.flatMap { $0.upperBound <= slice.start ? $0 : nil }
            let digits = slot ?? slice.start..<slice.start
            let bytes = chat.keep(
                UnsafeRawBufferPointer(start: base + choicesStart, count: digits.lowerBound - choicesStart),
                UnsafeRawBufferPointer(start: base + digits.upperBound, count: slice.start - digits.upperBound),
                UnsafeRawBufferPointer(start: base + slice.end, count: data.count - slice.end)
            )
            let headCount = slice.start - choicesStart - digits.count
            chat.remember(
                ChatState.ChoiceTemplate(
                    kind: candidate.kind,
                    choice: candidate.choice,
                    bytes: bytes,
                    headCount: headCount,
                    slot: slot.map { $0.lowerBound - choicesStart }
                )
            )
        }
        if let choicesStart, choicesArrays == 1, let frame = chat.frame,
            usage.map({ scanner.isNull($0) }) ?? true, error.map({ scanner.isNull($0) }) ?? true
        {
            deriveTemplates(frame, base: base, choicesStart: choicesStart, end: data.count)
        }
    }

    /// Gives the frame's choice the text, argument and finish templates it has none of yet: the
    /// frame's bytes with `"content":"…"`, `"tool_calls":[{"index":#,"function":{"arguments":"…"}}]`
    /// or an empty delta and `"finish_reason":"…"` in place, the very bytes such a chunk of the
    /// choice would teach.
    private mutating func deriveTemplates(
        _ frame: ChatState.Frame,
        base: UnsafePointer<UInt8>,
        choicesStart: Int,
        end: Int
    ) {
        var hasText = false
        var hasArguments = false
        var hasFinish = false
        for template in chat.templates where template.choice == frame.choice {
            switch template.kind {
            case .text: hasText = true
            case .arguments: hasArguments = true
            case .finish: hasFinish = true
            case .reasoning: break
            }
        }
        func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
        }
        func literal(_ text: StaticString) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        }
        /// Keeps the pieces, one after the other, as a template of the choice whose head is their
        /// first `headCount` bytes.
        func derive(
            _ kind: ChatState.ChoiceTemplate.Kind,
            headCount: Int,
            slot: Int? = nil,
            _ first: UnsafeRawBufferPointer,
            _ second: UnsafeRawBufferPointer,
            _ third: UnsafeRawBufferPointer,
            _ fourth: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
            _ fifth: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
        ) {
            guard first.count + second.count + third.count + fourth.count + fifth.count <= ChatState.maxTemplateBytes
            else { return }
            let kept = chat.keep(first, second, third, fourth, fifth)
            chat.remember(
                ChatState.ChoiceTemplate(kind: kind, choice: frame.choice, bytes: kept, headCount: headCount, slot: slot)
            )
        }
        let head = bytes(choicesStart..<frame.open)
        // The frame's bytes after the delta's `}`: the tails below start with their own.
        let rest = bytes(frame.close..<end)
        // Remembered first, as templates are tried newest first: a response's one finish chunk
        // should not cost its many text and argument chunks a compare each. The delta is empty
        // and the reason a string where the frame's `null` was.
        if !hasFinish, let null = frame.finishNull {
            let beforeNull = bytes(frame.close..<null.lowerBound)
            derive(
                .finish,
                headCount: head.count + 1 + beforeNull.count + 1,
                head,
                literal("}"),
                beforeNull,
                literal(#""""#),
                bytes(null.upperBound..<end)
            )
        }
        // Each literal is a template's head end (up to the string's opening quote) followed by
        // its tail start (from the closing quote to the delta's `}`); the index digits go at `slot`.
        if !hasText {
            derive(.text, headCount: head.count + 11, head, literal(#""content":""}"#), rest)
        }
        if !hasArguments {
            derive(
                .arguments(provider: nil),
                headCount: head.count + 49,
                slot: head.count + 23,
                head,
                literal(#""tool_calls":[{"index":,"function":{"arguments":""}}]}"#),
                rest
            )
        }
    }

    /// Whether the data is `[DONE]` (a byte compare: the generic `elementsEqual` over a
    /// `String.UTF8View` cost more than the rest of reading the chunk).
    @inline(__always)
    private func isDone(_ data: UnsafeRawBufferPointer, base: UnsafePointer<UInt8>) -> Bool {
        let done: StaticString = "[DONE]"
        return data.count == done.utf8CodeUnitCount && bytesEqual(base, done.utf8Start, data.count)
    }

    @inline(__always)
    private func startsWithPrefix(_ data: UnsafeRawBufferPointer, base: UnsafePointer<UInt8>) -> Bool {
        !chat.prefix.isEmpty && chat.prefix.count < data.count
            && chat.withBytes(chat.prefix) { bytesEqual($0, base, chat.prefix.count) }
    }

    /// The one event of a chat chunk read through a template, or `nil` when the chunk must be
    /// decoded in full: the pipeline's path for most chunks, with no event array in between.
    mutating func templateEvent(_ data: UnsafeRawBufferPointer) -> StreamEvent? {
        guard format == .openAIChat, chat.usesPrefix, !chat.templates.isEmpty,
            let base = data.baseAddress?.assumingMemoryBound(to: UInt8.self), startsWithPrefix(data, base: base)
        else { return nil }
        return readThroughTemplate(base: base, from: chat.prefix.count, end: data.count)
    }

    /// Reads a chunk made of the header, a template's head, one string and the template's tail,
    /// as the plain scan would (see ``ChatState/ChoiceTemplate``): its one event, or `nil` when no
    /// template fits.
    private mutating func readThroughTemplate(
        base: UnsafePointer<UInt8>,
        from start: Int,
        end: Int
    ) -> StreamEvent? {
        for t in chat.templates.indices.reversed() {
            let headCount = chat.templates[t].headCount
            let tailCount = chat.templates[t].tailCount
            guard start + headCount + tailCount <= end else { continue }
            var stringStart = start + headCount
            var provider: Int?
            if let slot = chat.templates[t].slot {
                // The head up to the index, the index (as `optionalInt` reads plain digits), the rest.
                let bytes = chat.templates[t].bytes
                guard chat.withBytes(bytes, { bytesEqual($0, base + start, slot) }) else { continue }
                var position = start + slot
                var value = 0
                while position < end, base[position] &- 0x30 < 10, position - start - slot < 18 {
                    value = value * 10 + Int(base[position] &- 0x30)
                    position += 1
                }
                let digits = position - start - slot
                guard digits > 0, position + headCount - slot + tailCount <= end,
                    chat.withBytes(bytes, { bytesEqual($0 + slot, base + position, headCount - slot) })
                else { continue }
                provider = value
                stringStart = position + headCount - slot
            } else {
                guard chat.withBytes(chat.templates[t].bytes, { bytesEqual($0, base + start, headCount) }) else { continue }
            }
            // The string: up to its closing quote, stepping over escapes.
            var position = stringStart
            var escapes = false
            while true {
                position = nextQuoteOrBackslash(base, from: position, to: end)
                guard position < end else { return nil }
                if base[position] == UInt8(ascii: "\"") { break }
                escapes = true
                position += 2
            }
            // An empty string may leave an earlier member's value standing: the plain scan decides.
            guard position > stringStart, end - position == tailCount,
                chat.withBytes(chat.templates[t].bytes, { bytesEqual($0 + headCount, base + position, tailCount) })
            else { return nil }
            let slice = StringSlice(start: stringStart, end: position, hasEscapes: escapes)
            let choice = chat.templates[t].choice
            chat.templateHits &+= 1
            switch chat.templates[t].kind {
            case .text:
                return .textDelta(choice: choice, text: strings.decode(slice, base: base))
            case .reasoning:
                return .reasoningDelta(choice: choice, text: strings.decode(slice, base: base))
            case .finish:
                return .finish(choice: choice, reason: FinishReason(raw: strings.decode(slice, base: base)))
            case .arguments(let fixed):
                let index = chat.resolve(
                    choice: choice,
                    provider: chat.templates[t].slot == nil ? fixed : provider,
                    id: nil,
                    hasName: false,
                    hasArguments: true
                )
                return .toolCallArguments(choice: choice, index: index, fragment: strings.decode(slice, base: base))
            }
        }
        return nil
    }

    /// Reads the elements of an open `choices` array.
    private mutating func decodeChatChoices(
        _ scanner: inout EnvelopeScanner,
        events: inout [StreamEvent]
    ) throws(EnvelopeError) {
        var firstChoice = true
        var count = 0
        chat.candidate = nil
        chat.frame = nil
        while try scanner.nextElement(first: &firstChoice) {
            count += 1
            if count > 1 {
                chat.candidate = nil
                chat.frame = nil
            }
            try decodeChatChoice(&scanner, events: &events, isOnly: count == 1)
        }
    }

    private mutating func decodeChatChoice(
        _ scanner: inout EnvelopeScanner,
        events: inout [StreamEvent],
        isOnly: Bool
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
        // The deltas (or messages) of the choice, and where the last one read as an object lies.
        var deltas = 0
        var delta: (open: Int, close: Int)?
        // Where the value of the last finish reason after the delta is, if it is null.
        var finishNull: Range<Int>?
        members: while let key = try scanner.nextKey(first: &first) {
            if scanner.matches(key, "delta") || scanner.matches(key, "message") {
                quietFrom = nil
                deltas += 1
                guard try scanner.beginObject() else { continue }
                let open = scanner.position
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
                delta = (open, scanner.position)
                // With no finish reason yet, members that are skipped or `"finish_reason":null`
                // leave every local as it is: bytes equal to such a tail are stepped over.
                if chat.usesPrefix, finish == nil {
                    let count = chat.tail.count
                    if count > 0, scanner.position + count <= scanner.end,
                        chat.withBytes(chat.tail, { bytesEqual($0, scanner.base + scanner.position, count) })
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
                scanner.skipWhitespace()
                let value = scanner.position
                finish = try scanner.optionalString()
                if finish != nil { quietFrom = nil }
                if delta != nil { finishNull = finish == nil ? value..<scanner.position : nil }
            } else {
                try scanner.skipValue()
            }
        }
        if !tookTail, let quietFrom {
            chat.tail = chat.keep(
                UnsafeRawBufferPointer(start: scanner.base + quietFrom, count: scanner.position - quietFrom)
            )
        }
        if isOnly, chat.usesPrefix, finish == nil {
            noteCandidate(choice: choice, content: content, reasoning: reasoning)
            if deltas == 1, let delta, tookTail || quietFrom != nil {
                chat.frame = ChatState.Frame(
                    choice: choice,
                    open: delta.open,
                    close: delta.close,
                    finishNull: tookTail ? nil : finishNull
                )
            }
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

    /// Notes the choice's one string when it is all the choice says: a text, a reasoning text, or
    /// one call's arguments without id or name (see ``ChatState/ChoiceTemplate``).
    private mutating func noteCandidate(choice: Int, content: StringSlice?, reasoning: StringSlice?) {
        let hasText = content.map { !$0.isEmpty } ?? false
        var found: ChatState.Candidate?
        switch (hasText, reasoning != nil, chat.pending.count) {
        case (true, false, 0): found = ChatState.Candidate(kind: .text, slice: content!, choice: choice)
        case (false, true, 0): found = ChatState.Candidate(kind: .reasoning, slice: reasoning!, choice: choice)
        case (false, false, 1):
            let call = chat.pending[0]
            if call.argumentsIsString, let arguments = call.arguments, !arguments.isEmpty,
                call.id.map(\.isEmpty) ?? true, call.name.map(\.isEmpty) ?? true
            {
                found = ChatState.Candidate(
                    kind: .arguments(provider: call.index),
                    slice: arguments,
                    choice: choice,
                    slot: call.indexDigits
                )
            }
        default: break
        }
        guard let found, !found.slice.isEmpty else { return }
        chat.candidate = found
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
                    call.argumentsIsString = function.argumentsIsString
                } else if scanner.matches(key, "index") {
                    scanner.skipWhitespace()
                    let start = scanner.position
                    call.index = try scanner.optionalInt()
                    // Plain digits only (no sign): what a template's index slot reads.
                    let isPlain = call.index != nil && scanner.base[start] != UInt8(ascii: "-")
                    call.indexDigits = isPlain ? start..<scanner.position : nil
                } else if scanner.matches(key, "id") {
                    call.id = try scanner.optionalString()
                } else {
                    try scanner.skipValue()
                }
            }
            if chat.pending.capacity == 0 { chat.pending.reserveCapacity(4) }
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
                    call.argumentsIsString = false
                default:
                    call.arguments = try scanner.optionalString()
                    call.argumentsIsString = call.arguments != nil
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
