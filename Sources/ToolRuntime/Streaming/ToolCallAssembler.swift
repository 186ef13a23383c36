/// Bounds of one streamed response. Each has a safe default; exceeding one is a clear error for
/// that call or that stream (a ``StreamDiagnostic`` or a malformed call), never a crash or a leak.
public struct StreamLimits: Sendable, Hashable {
    /// Argument bytes accepted per call; beyond, the call is malformed (`size_limit_exceeded`).
    public var maxArgumentBytes: Int
    /// Calls accepted per response (all choices); later calls are dropped and reported.
    public var maxCallsPerResponse: Int
    /// Nesting depth accepted in a call's arguments; deeper is malformed (`depth_limit_exceeded`).
    public var maxJSONDepth: Int
    /// Text bytes (content plus reasoning) kept per choice; beyond, text is dropped and reported.
    public var maxTextBytes: Int
    /// Choices accepted per response.
    public var maxChoices: Int
    /// Line and event bounds of the SSE layer.
    public var sse: SSELimits

    public init(
        maxArgumentBytes: Int = 4 << 20,
        maxCallsPerResponse: Int = 128,
        maxJSONDepth: Int = 128,
        maxTextBytes: Int = 16 << 20,
        maxChoices: Int = 16,
        sse: SSELimits = SSELimits()
    ) {
        self.maxArgumentBytes = maxArgumentBytes
        self.maxCallsPerResponse = maxCallsPerResponse
        self.maxJSONDepth = maxJSONDepth
        self.maxTextBytes = maxTextBytes
        self.maxChoices = maxChoices
        self.sse = sse
    }
}

/// Something about the stream worth reporting that is not a provider error: a bound, a duplicate
/// id, an event that could not be decoded.
public struct StreamDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case duplicateCallID = "duplicate_call_id"
        case tooManyCalls = "too_many_calls"
        case tooManyChoices = "too_many_choices"
        case textLimitExceeded = "text_limit_exceeded"
        case decodingFailed = "decoding_failed"
        case sseLimitExceeded = "sse_limit_exceeded"
    }

    public var code: Code
    public var choice: Int?
    public var index: Int?
    public var message: String

    public init(_ code: Code, choice: Int? = nil, index: Int? = nil, _ message: String) {
        self.code = code
        self.choice = choice
        self.index = index
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

/// Everything a streamed response said, assembled.
public struct AssembledResponse: Sendable, Hashable {
    public struct Choice: Sendable, Hashable {
        public var index: Int
        /// The visible text.
        public var content: String
        /// The reasoning text, kept apart from `content`.
        public var reasoning: String
        /// `nil` when the stream ended before the choice stopped.
        public var finishReason: FinishReason?
        /// The calls in index order, each with its final status.
        public var toolCalls: [ToolCall]

        public init(
            index: Int,
            content: String = "",
            reasoning: String = "",
            finishReason: FinishReason? = nil,
            toolCalls: [ToolCall] = []
        ) {
            self.index = index
            self.content = content
            self.reasoning = reasoning
            self.finishReason = finishReason
            self.toolCalls = toolCalls
        }
    }

    /// The wire format, or `nil` when it could not be told (nothing decodable arrived).
    public var format: WireFormat?
    /// The choices in index order.
    public var choices: [Choice]
    public var usage: Usage?
    /// The provider's in-stream error, if one arrived (the last one).
    public var error: StreamError?
    /// Duplicate ids, bounds hit, undecodable events.
    public var diagnostics: [StreamDiagnostic]
    /// Whether the provider said the stream was over (`[DONE]`, `message_stop`, `response.completed`).
    public var sawDone: Bool

    public init(
        format: WireFormat?,
        choices: [Choice],
        usage: Usage? = nil,
        error: StreamError? = nil,
        diagnostics: [StreamDiagnostic] = [],
        sawDone: Bool = false
    ) {
        self.format = format
        self.choices = choices
        self.usage = usage
        self.error = error
        self.diagnostics = diagnostics
        self.sawDone = sawDone
    }

    /// All calls of all choices, in choice then index order.
    public var toolCalls: [ToolCall] { choices.flatMap(\.toolCalls) }
}

/// Assembles tool calls from normalized stream events: a value-type state machine that returns
/// actions, so it is testable without concurrency and costs no allocation per event on the hot path.
///
/// Calls are keyed by `(choice, index)`. A call closes, with its final ``ToolCall``, the moment
/// its argument JSON closes (an executor may start a read-only call then), or when the provider
/// ends it, or when its choice finishes, or at ``finish()``. Known ids and names are never
/// overwritten by empty ones. `""` or whitespace-only arguments mean `{}`.
///
/// ```swift
/// var assembler = ToolCallAssembler()
/// var actions: [ToolCallAssembler.Action] = []
/// for event in events {
///     assembler.receive(event, into: &actions)
///     for case .callClosed(let call) in actions { print(call.name, call.status) }
///     actions.removeAll(keepingCapacity: true)
/// }
/// let response = assembler.finish()
/// ```
public struct ToolCallAssembler: Sendable {
    /// What the assembler has to say about one event.
    ///
    /// The rare, large payloads (a whole ``ToolCall``, usage, an error) are boxed (`indirect`), so
    /// an action is a few words and the per-fragment actions are cheap to append and move.
    public enum Action: Sendable, Hashable {
        case text(choice: Int, String)
        case reasoning(choice: Int, String)
        /// A call appeared (or a delta told more about it: its id or name).
        case callStarted(choice: Int, index: Int, id: String?, name: String?, kind: ToolCall.Kind)
        /// Argument text appended to an open call.
        case argumentsGrew(choice: Int, index: Int, fragment: String)
        /// The call is final: complete, truncated or malformed.
        indirect case callClosed(ToolCall)
        /// A call already closed changed after all: text after its JSON made it malformed, or the
        /// provider's whole argument text (Responses `done`) differed from the deltas.
        indirect case callChanged(ToolCall)
        /// The choice stopped; every call of it is closed.
        case choiceFinished(choice: Int, reason: FinishReason)
        indirect case usage(Usage)
        indirect case error(StreamError)
        indirect case diagnostic(StreamDiagnostic)
        /// The provider said the stream is over.
        case done
    }

    struct CallState: Sendable {
        var index: Int
        var id: String?
        var name: String?
        var kind: ToolCall.Kind
        var arguments: [UInt8] = []
        var parser: ArgumentParser
        /// The call as made final, once it is.
        private(set) var closed: ToolCall?
        /// Whether `closed` is set, and whether it is complete: asked per fragment, where testing
        /// the optional call itself copies the whole call (several memcpy calls per fragment).
        private(set) var isClosed = false
        private(set) var closedComplete = false

        init(index: Int, kind: ToolCall.Kind, parser: ArgumentParser) {
            self.index = index
            self.kind = kind
            self.parser = parser
        }

        /// Makes the call final as it is now and returns it. Mutating so that it runs on the state
        /// in place: a non-mutating method called through `choices[c].calls[k]` ran on a copy of
        /// the state (its text, parser and call retained and released), once per call.
        mutating func makeFinal(choice: Int, truncation: String?) -> ToolCall {
            let call = snapshot(choice: choice, truncation: truncation)
            closed = call
            isClosed = true
            closedComplete = call.status == .complete
            return call
        }
    }

    struct ChoiceState: Sendable {
        var index: Int
        var content = ""
        var reasoning = ""
        var textBytes = 0
        var textLimitReported = false
        var finishReason: FinishReason?
        var calls: [CallState] = []
    }

    public let limits: StreamLimits
    public var format: WireFormat?
    var choices: [ChoiceState] = []
    var callCount = 0
    var callLimitReported = false
    var choiceLimitReported = false
    /// The call that first brought each id, for reporting duplicates.
    var ids = CallIDIndex()
    var usage: Usage?
    var error: StreamError?
    var diagnostics: [StreamDiagnostic] = []
    var sawDone = false

    struct CallKey: Sendable, Hashable {
        var choice: Int
        var index: Int
    }

    /// Ids and the calls that first brought them. A response has a few calls: for those a scan
    /// of a short list costs less than hashing each id twice into a table made per response;
    /// past `listLimit` ids a dictionary keeps the lookups O(1) whatever a provider sends. The
    /// first id is kept apart from the list: a response of one call allocates nothing here.
    struct CallIDIndex: Sendable {
        private var first: (id: String, key: CallKey)?
        private var list: [(id: String, key: CallKey)] = []
        private var table: [String: CallKey]?
        static let listLimit = 16

        /// The call that brought `id` first, if any did.
        func owner(of id: String) -> CallKey? {
            if let table { return table[id] }
            if let first, first.id == id { return first.key }
            for entry in list where entry.id == id { return entry.key }
            return nil
        }

        /// Records the first call to bring `id` (one with no owner yet).
        mutating func record(_ id: String, _ key: CallKey) {
            if table != nil {
                table![id] = key
            } else if first == nil {
                first = (id, key)
            } else if list.count + 1 < Self.listLimit {
                if list.capacity == 0 { list.reserveCapacity(7) }
                list.append((id, key))
            } else {
                var table = [String: CallKey](minimumCapacity: Self.listLimit * 2)
                if let first { table[first.id] = first.key }
                for entry in list { table[entry.id] = entry.key }
                table[id] = key
                self.table = table
                first = nil
                list = []
            }
        }
    }

    public init(format: WireFormat? = nil, limits: StreamLimits = StreamLimits()) {
        self.format = format
        self.limits = limits
    }

    /// Consumes one event and returns what it changed.
    public mutating func receive(_ event: StreamEvent) -> [Action] {
        var actions: [Action] = []
        receive(event, into: &actions)
        return actions
    }

    /// Consumes one event, appending what it changed to `actions` (reuse the array: no allocation).
    public mutating func receive(_ event: StreamEvent, into actions: inout [Action]) {
        switch event {
        case .toolCallArguments(let choice, let index, let fragment):
            guard let c = choicePosition(choice, &actions),
                let k = callPosition(c, index: index, id: nil, name: nil, kind: .function, &actions)
            else { return }
            appendArguments(c, k, fragment, &actions)
        case .textDelta(let choice, let text):
            guard let c = choicePosition(choice, &actions), admitText(c, text, &actions) else { return }
            choices[c].content += text
            actions.append(.text(choice: choice, text))
        case .reasoningDelta(let choice, let text):
            guard let c = choicePosition(choice, &actions), admitText(c, text, &actions) else { return }
            choices[c].reasoning += text
            actions.append(.reasoning(choice: choice, text))
        case .toolCallStart(let choice, let index, let id, let name, let kind):
            guard let c = choicePosition(choice, &actions) else { return }
            _ = callPosition(c, index: index, id: id, name: name, kind: kind, &actions)
        case .toolCallEnd(let choice, let index, let arguments):
            guard let c = choicePosition(choice, &actions),
                let k = callPosition(c, index: index, id: nil, name: nil, kind: .function, &actions)
            else { return }
            endCall(c, k, wholeText: arguments, &actions)
        case .finish(let choice, let reason):
            guard let c = choicePosition(choice, &actions) else { return }
            guard choices[c].finishReason == nil else { return }
            choices[c].finishReason = reason
            let why = reason.truncatesOpenCalls ? "the choice stopped (\(reason.raw)) while the call was open" : nil
            for k in choices[c].calls.indices where !choices[c].calls[k].isClosed {
                close(c, k, truncation: why, &actions)
            }
            actions.append(.choiceFinished(choice: choice, reason: reason))
        case .usage(let usage):
            self.usage = usage
            actions.append(.usage(usage))
        case .error(let error):
            self.error = error
            actions.append(.error(error))
        case .done:
            sawDone = true
            actions.append(.done)
        }
    }

    /// Records a problem found outside the assembler (decoding, SSE bounds) in the response.
    public mutating func report(_ diagnostic: StreamDiagnostic) {
        diagnostics.append(diagnostic)
    }

    /// Ends the stream: closes every open call (truncated: the stream ended while it was open) and
    /// returns the response.
    public mutating func finish() -> AssembledResponse {
        var actions: [Action] = []
        return finish(into: &actions)
    }

    /// Ends the stream, appending the calls it closes to `actions`.
    public mutating func finish(into actions: inout [Action]) -> AssembledResponse {
        let why = error != nil ? "the stream reported an error while the call was open" : "the stream ended while the call was open"
        for c in choices.indices {
            for k in choices[c].calls.indices where !choices[c].calls[k].isClosed {
                close(c, k, truncation: why, &actions)
            }
        }
        return response
    }

    /// The response as assembled so far (open calls shown with their current status).
    public var response: AssembledResponse {
        var result = AssembledResponse(
            format: format,
            choices: [],
            usage: usage,
            error: error,
            diagnostics: diagnostics,
            sawDone: sawDone
        )
        // By position, field by field: binding a choice or a call state copies it (its parser,
        // its text), and choices are nearly always in index order already.
        let inOrder = choices.indices.dropFirst().allSatisfy { choices[$0 - 1].index < choices[$0].index }
        // Only out-of-order choices need an order array (one allocation fewer per response).
        let order = inOrder ? [] : choices.indices.sorted { choices[$0].index < choices[$1].index }
        result.choices.reserveCapacity(choices.count)
        for position in choices.indices {
            let c = inOrder ? position : order[position]
            var calls: [ToolCall] = []
            calls.reserveCapacity(choices[c].calls.count)
            for k in choices[c].calls.indices {
                if let closed = choices[c].calls[k].closed {
                    if closed.arguments.utf8.count == choices[c].calls[k].arguments.count {
                        calls.append(closed)
                    } else {
                        var changed = closed
                        changed.arguments = String(decoding: choices[c].calls[k].arguments, as: UTF8.self)
                        calls.append(changed)
                    }
                } else {
                    calls.append(
                        choices[c].calls[k].snapshot(choice: choices[c].index, truncation: "the call is still open")
                    )
                }
            }
            result.choices.append(
                AssembledResponse.Choice(
                    index: choices[c].index,
                    content: choices[c].content,
                    reasoning: choices[c].reasoning,
                    finishReason: choices[c].finishReason,
                    toolCalls: calls
                )
            )
        }
        return result
    }

    /// The arguments of an open call as parsed so far (strings cut where the text is), for a
    /// live view. Built from the parser's state once ``partialSnapshot(choice:index:)`` was taken
    /// for the call; before that the call's text is only checked, and this parses the text so far
    /// (O(text) per read: take snapshots to follow a call as it grows).
    public func partialArguments(choice: Int, index: Int) -> JSONValue? {
        guard let c = choices.firstIndex(where: { $0.index == choice }),
            let call = choices[c].calls.first(where: { $0.index == index })
        else { return nil }
        return call.parser.partialValue(text: call.arguments)
    }

    /// A snapshot of a call's arguments so far, taken from the assembler's own parser and sharing
    /// storage with it and earlier snapshots: taking one after every fragment costs only what the
    /// fragment added, so a live view stays linear over a whole call. The first snapshot of a call
    /// switches its parser from checking to building by reading the text so far once (taken after
    /// the first fragment, as ``Conversation`` does, that is one fragment).
    /// `nil` for an unknown call, before any argument value started, or once the text is not JSON.
    public mutating func partialSnapshot(choice: Int, index: Int) -> PartialJSON? {
        guard let c = choices.firstIndex(where: { $0.index == choice }),
            let k = choices[c].calls.firstIndex(where: { $0.index == index })
        else { return nil }
        return choices[c].calls[k].partialSnapshot()
    }

    // MARK: Internals

    private mutating func choicePosition(_ choice: Int, _ actions: inout [Action]) -> Int? {
        // Not `choices.first`: that copies the whole choice state (retaining its text and calls).
        if !choices.isEmpty, choices[0].index == choice { return 0 }
        if let found = choices.firstIndex(where: { $0.index == choice }) { return found }
        guard choices.count < limits.maxChoices else {
            if !choiceLimitReported {
                choiceLimitReported = true
                let diagnostic = StreamDiagnostic(
                    .tooManyChoices,
                    choice: choice,
                    "more than \(limits.maxChoices) choices; choice \(choice) and later ones are dropped"
                )
                diagnostics.append(diagnostic)
                actions.append(.diagnostic(diagnostic))
            }
            return nil
        }
        choices.append(ChoiceState(index: choice))
        return choices.count - 1
    }

    private mutating func admitText(_ c: Int, _ text: String, _ actions: inout [Action]) -> Bool {
        let size = text.utf8.count
        guard choices[c].textBytes + size <= limits.maxTextBytes else {
            if !choices[c].textLimitReported {
                choices[c].textLimitReported = true
                let diagnostic = StreamDiagnostic(
                    .textLimitExceeded,
                    choice: choices[c].index,
                    "text of choice \(choices[c].index) exceeds \(limits.maxTextBytes) bytes; the rest is dropped"
                )
                diagnostics.append(diagnostic)
                actions.append(.diagnostic(diagnostic))
            }
            return false
        }
        choices[c].textBytes += size
        return true
    }

    /// The call `(choice, index)`, created on first sight; known values are kept, new non-empty
    /// ones recorded. `nil` when the call limit drops it.
    private mutating func callPosition(
        _ c: Int,
        index: Int,
        id: String?,
        name: String?,
        kind: ToolCall.Kind,
        _ actions: inout [Action]
    ) -> Int? {
        let choice = choices[c].index
        var k: Int
        var isNew = false
        if index < choices[c].calls.count, choices[c].calls[index].index == index {
            k = index
        } else if let found = choices[c].calls.firstIndex(where: { $0.index == index }) {
            k = found
        } else {
            guard callCount < limits.maxCallsPerResponse else {
                if !callLimitReported {
                    callLimitReported = true
                    let diagnostic = StreamDiagnostic(
                        .tooManyCalls,
                        choice: choice,
                        index: index,
                        "more than \(limits.maxCallsPerResponse) tool calls in one response; the rest are dropped"
                    )
                    diagnostics.append(diagnostic)
                    actions.append(.diagnostic(diagnostic))
                }
                return nil
            }
            callCount += 1
            choices[c].calls.append(
                CallState(index: index, kind: kind, parser: ArgumentParser(limits: limits))
            )
            k = choices[c].calls.count - 1
            isNew = true
        }
        var changed = isNew
        if let id, !id.isEmpty, choices[c].calls[k].id == nil {
            choices[c].calls[k].id = id
            changed = true
            let key = CallKey(choice: choice, index: index)
            if let other = ids.owner(of: id), other != key {
                let diagnostic = StreamDiagnostic(
                    .duplicateCallID,
                    choice: choice,
                    index: index,
                    "tool call id \"\(id)\" is used by call \(other.index) of choice \(other.choice) and call \(index) of choice \(choice)"
                )
                diagnostics.append(diagnostic)
                actions.append(.diagnostic(diagnostic))
            } else {
                ids.record(id, key)
            }
        }
        if let name, !name.isEmpty, choices[c].calls[k].name == nil {
            choices[c].calls[k].name = name
            changed = true
        }
        if isNew || kind == .serverTool {
            choices[c].calls[k].kind = kind
        }
        if changed {
            // Field by field: binding the whole call state would copy it (its parser and text).
            actions.append(
                .callStarted(
                    choice: choice,
                    index: index,
                    id: choices[c].calls[k].id,
                    name: choices[c].calls[k].name,
                    kind: choices[c].calls[k].kind
                )
            )
        }
        return k
    }

    private mutating func appendArguments(_ c: Int, _ k: Int, _ fragment: String, _ actions: inout [Action]) {
        guard !fragment.isEmpty else { return }
        let choice = choices[c].index
        let index = choices[c].calls[k].index
        var fragment = fragment
        let limit = limits.maxArgumentBytes
        // One in-place access to the call: reading its parser's state through the nested arrays
        // apart from the append made Swift copy the whole parser per fragment.
        let outcome = fragment.withUTF8 { bytes in
            choices[c].calls[k].appendFragment(UnsafeRawBufferPointer(bytes), limit: limit)
        }
        switch outcome {
        case .refused:
            return
        case .open:
            actions.append(.argumentsGrew(choice: choice, index: index, fragment: fragment))
        case .completed:
            actions.append(.argumentsGrew(choice: choice, index: index, fragment: fragment))
            close(c, k, truncation: nil, &actions)
        case .brokeClosedCall:
            // Only whitespace may follow a closed JSON text; anything else makes the call malformed.
            actions.append(.argumentsGrew(choice: choice, index: index, fragment: fragment))
            let call = choices[c].calls[k].makeFinal(choice: choice, truncation: nil)
            actions.append(.callChanged(call))
        }
    }

    private mutating func endCall(_ c: Int, _ k: Int, wholeText: String?, _ actions: inout [Action]) {
        if let wholeText, !wholeText.utf8.elementsEqual(choices[c].calls[k].arguments) {
            if choices[c].calls[k].arguments.isEmpty && !choices[c].calls[k].isClosed {
                appendArguments(c, k, wholeText, &actions)
            } else {
                // The provider's whole text wins over the deltas (they disagree: a provider bug).
                choices[c].calls[k].arguments.removeAll(keepingCapacity: true)
                choices[c].calls[k].parser = ArgumentParser(limits: limits)
                var text = wholeText
                _ = text.withUTF8 { bytes in
                    choices[c].calls[k].append(UnsafeRawBufferPointer(bytes), limit: limits.maxArgumentBytes)
                }
                if choices[c].calls[k].isClosed {
                    let call = choices[c].calls[k].makeFinal(choice: choices[c].index, truncation: nil)
                    actions.append(.callChanged(call))
                    return
                }
            }
        }
        if !choices[c].calls[k].isClosed {
            close(c, k, truncation: nil, &actions)
        }
    }

    /// Makes the call final. `truncation` says why an unfinished call is cut off, if it is.
    private mutating func close(_ c: Int, _ k: Int, truncation: String?, _ actions: inout [Action]) {
        let choice = choices[c].index
        let call = choices[c].calls[k].makeFinal(choice: choice, truncation: truncation)
        actions.append(.callClosed(call))
    }

    /// A deterministic id for a call the provider sent none for.
    static func generatedID(choice: Int, index: Int) -> String {
        "call_toolrt_\(choice)_\(index)"
    }
}

extension ToolCallAssembler.CallState {
    /// The call as a ``ToolCall`` with the status its arguments have now. Called through a
    /// mutating method (``makeFinal(choice:truncation:)``) on the hot path, so that it reads the
    /// state in place.
    func snapshot(choice: Int, truncation: String?) -> ToolCall {
        let text = String(decoding: arguments, as: UTF8.self)
        let callID = id ?? ToolCallAssembler.generatedID(choice: choice, index: index)
        var status: ToolCall.Status
        var value: ParsedArguments = .built(nil)
        switch parser.outcome() {
        case .value(let parsed?):
            status = .complete
            value = .built(parsed)
        case .value(nil):
            status = .complete
            value = .deferred(DeferredJSON(text: text, limits: parser.limits))
        case .malformed(let error):
            status = .malformed(error)
        case .unfinished:
            status = .truncated(reason: truncation ?? "the arguments are unfinished JSON")
        }
        if let truncation, arguments.allSatisfy(isJSONWhitespace), parser.failure == nil {
            // Nothing arrived before the cut: the call cannot be trusted to be argument-less.
            status = .truncated(reason: truncation)
            value = .built(nil)
        }
        var call = ToolCall(
            choiceIndex: choice,
            index: index,
            id: callID,
            idWasGenerated: id == nil,
            name: name ?? "",
            kind: kind,
            arguments: text,
            status: status,
            value: nil
        )
        call.parsed = value
        return call
    }

    /// What one argument fragment did to a call.
    enum FragmentOutcome {
        /// Refused (the per-call bound): nothing changed.
        case refused
        /// Appended; the call stays as it was (open, or closed and still the same).
        case open
        /// Appended, and the call's JSON closed with it.
        case completed
        /// Appended after the call closed complete, and it made the text malformed.
        case brokeClosedCall
    }

    /// The parser's snapshot of the arguments so far (see ``ArgumentParser/partialSnapshot(text:)``).
    mutating func partialSnapshot() -> PartialJSON? {
        parser.partialSnapshot(text: arguments)
    }

    /// Appends one fragment and says what it changed, all in one mutating access.
    @inline(__always)
    mutating func appendFragment(_ bytes: UnsafeRawBufferPointer, limit: Int) -> FragmentOutcome {
        guard append(bytes, limit: limit) else { return .refused }
        if isClosed {
            if parser.failure != nil, closedComplete { return .brokeClosedCall }
            return .open
        }
        return parser.isComplete ? .completed : .open
    }

    /// Appends argument bytes within the per-call bound. Returns false when the bytes were refused.
    mutating func append(_ bytes: UnsafeRawBufferPointer, limit: Int) -> Bool {
        guard parser.failure?.kind != .sizeLimitExceeded else { return false }
        guard arguments.count + bytes.count <= limit else {
            parser.failure = JSONParseError(
                .sizeLimitExceeded,
                offset: limit,
                "the arguments exceed the limit of \(limit) bytes per call"
            )
            return false
        }
        // Most calls' arguments are a few hundred bytes: one buffer for them rather than growing
        // one through 16, 32, 64, … bytes.
        if arguments.capacity == 0 { arguments.reserveCapacity(max(256, bytes.count)) }
        arguments.append(contentsOf: bytes)
        parser.feed(bytes)
        return true
    }
}

@inline(__always)
func isJSONWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
}
