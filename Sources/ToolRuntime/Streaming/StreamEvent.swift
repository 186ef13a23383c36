/// The wire format of a streamed model response.
public enum WireFormat: String, Sendable, Hashable, CaseIterable {
    /// OpenAI Chat Completions chunks (`data: {"choices":[{"delta":…}]}`), and every compatible server.
    case openAIChat = "openai-chat"
    /// Anthropic Messages events (`message_start`, `content_block_delta`, …).
    case anthropicMessages = "anthropic-messages"
    /// OpenAI Responses events (`response.output_item.added`, `response.function_call_arguments.delta`, …).
    case openAIResponses = "openai-responses"

    /// The `type` a tool call of this format has on the wire (`function`, `tool_use`, `function_call`).
    public func wireType(of kind: ToolCall.Kind) -> String {
        switch (self, kind) {
        case (.openAIChat, _): "function"
        case (.anthropicMessages, .function): "tool_use"
        case (.anthropicMessages, .serverTool): "server_tool_use"
        case (.openAIResponses, _): "function_call"
        }
    }
}

/// Why a choice stopped, as the provider said it, plus what that means for running tool calls.
///
/// ```swift
/// let reason = FinishReason(raw: "max_tokens")
/// reason.category          // .length
/// reason.allowsExecution   // false: the reply was cut off
/// ```
public struct FinishReason: Sendable, Hashable, CustomStringConvertible {
    /// What the stop means, independent of the provider's spelling.
    public enum Category: String, Sendable, Hashable {
        /// The model asked for tool calls (`tool_calls`, `function_call`, `tool_use`).
        case toolCalls = "tool_calls"
        /// A natural end (`stop`, `end_turn`, `stop_sequence`, Responses `completed`).
        case stop
        /// Cut off by a token limit (`length`, `max_tokens`, Responses `incomplete`).
        case length
        /// Cut off by a safety filter (`content_filter`, `refusal`).
        case contentFilter = "content_filter"
        /// The provider failed (Responses `failed`, `error`).
        case error
        /// Anything else (`pause_turn`, unknown values): nothing new is started.
        case other
    }

    /// The provider's own string, unchanged (`tool_calls`, `end_turn`, `completed`, …).
    public var raw: String
    public var category: Category

    /// Creates a reason with an explicit category (for providers whose raw value is ambiguous).
    public init(raw: String, category: Category) {
        self.raw = raw
        self.category = category
    }

    /// Creates a reason and classifies the provider's string.
    public init(raw: String) {
        self.raw = raw
        self.category = Self.classify(raw)
    }

    /// Whether calls of a choice that stopped for this reason may run: only after a natural end or
    /// a tool-call stop. After `length`, `content_filter` or an error nothing new starts.
    public var allowsExecution: Bool { category == .toolCalls || category == .stop }

    /// Whether calls still open at this stop are cut off (their arguments may be incomplete).
    public var truncatesOpenCalls: Bool { category == .length || category == .contentFilter }

    public var description: String { raw }

    static func classify(_ raw: String) -> Category {
        switch raw {
        case "tool_calls", "function_call", "tool_use": .toolCalls
        case "stop", "end_turn", "stop_sequence", "completed", "eos": .stop
        case "length", "max_tokens", "max_output_tokens", "incomplete", "model_context_window_exceeded": .length
        case "content_filter", "refusal", "safety": .contentFilter
        case "failed", "error", "cancelled": .error
        default: .other
        }
    }
}

/// Token counts of a response, and the provider's usage object as sent.
public struct Usage: Sendable, Hashable {
    /// Prompt (input) tokens: `prompt_tokens` or `input_tokens`.
    public var promptTokens: Int?
    /// Completion (output) tokens: `completion_tokens` or `output_tokens`.
    public var completionTokens: Int?
    /// `total_tokens`, or the sum when the provider sends none.
    public var totalTokens: Int?
    /// The usage object exactly as received (for Anthropic: `message_start` merged with `message_delta`).
    ///
    /// A decoded usage object of the usual shape is kept as its text and parsed into a tree each
    /// time this is read (a few hundred bytes): most consumers read only the counts, and a
    /// response's usage is then one copy of its bytes, not a text, a cache and a tree.
    public var raw: JSONValue {
        get {
            switch storage {
            case .built(let value): value
            case .text(let bytes): (try? JSONParser.parse(bytes)) ?? .null
            }
        }
        set { storage = .built(newValue) }
    }

    enum Storage: Sendable {
        case built(JSONValue)
        /// The object's JSON text, which a syntax check accepted.
        case text([UInt8])
    }

    var storage: Storage

    public init(promptTokens: Int? = nil, completionTokens: Int? = nil, totalTokens: Int? = nil, raw: JSONValue) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens
        self.storage = .built(raw)
    }

    /// Reads the counts from a provider usage object.
    public init(raw: JSONValue) {
        func int(_ key: String) -> Int? { raw[key]?.number?.int64Value.map { Int($0) } }
        let prompt = int("prompt_tokens") ?? int("input_tokens")
        let completion = int("completion_tokens") ?? int("output_tokens")
        var total = int("total_tokens")
        if total == nil, let prompt, let completion { total = prompt + completion }
        self.init(promptTokens: prompt, completionTokens: completion, totalTokens: total, raw: raw)
    }

    /// Reads a usage object from its JSON text (a wire envelope's `usage` member), as
    /// `JSONParser.parse(bytes:)` and ``init(raw:)`` would, without building the tree when the
    /// object has the usual shape (see ``UsualUsageReader``); `nil` when the text is not JSON.
    init?(json bytes: UnsafeRawBufferPointer) {
        if let counts = UsualUsageReader.counts(in: bytes) {
            self.init(counts: counts, json: bytes)
            return
        }
        self.init(parsing: bytes)
    }

    /// A usage object of any other shape (rare): the parser decides, and the counts come from the
    /// tree; `nil` when the text is not JSON.
    init?(parsing bytes: UnsafeRawBufferPointer) {
        guard let value = try? JSONParser.parse(bytes: bytes) else { return nil }
        self.init(raw: value)
    }

    /// A usage object whose counts were read from its text, `bytes`, which is surely JSON.
    init(counts: UsageCounts, json bytes: UnsafeRawBufferPointer) {
        var total = counts.total
        if total == nil, let prompt = counts.prompt, let completion = counts.completion { total = prompt + completion }
        self.init(promptTokens: counts.prompt, completionTokens: counts.completion, totalTokens: total, raw: .null)
        storage = .text(Array(bytes))
    }
}

/// Equal usages have equal counts and equal ``Usage/raw`` objects, however each one holds it.
extension Usage {
    public static func == (lhs: Usage, rhs: Usage) -> Bool {
        lhs.promptTokens == rhs.promptTokens && lhs.completionTokens == rhs.completionTokens
            && lhs.totalTokens == rhs.totalTokens && lhs.raw == rhs.raw
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(promptTokens)
        hasher.combine(completionTokens)
        hasher.combine(totalTokens)
        hasher.combine(raw)
    }
}

/// An error the provider delivered inside an HTTP 200 stream (Groq `event: error`, Anthropic
/// `{"type":"error"}`, Responses `error` / `response.failed`).
public struct StreamError: Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// The provider's error type (`invalid_request_error`, `overloaded_error`, …), when sent.
    public var type: String?
    /// The provider's error code (`tool_use_failed`, …), when sent.
    public var code: String?
    /// The error object as received.
    public var raw: JSONValue

    public init(message: String, type: String? = nil, code: String? = nil, raw: JSONValue) {
        self.message = message
        self.type = type
        self.code = code
        self.raw = raw
    }

    /// Reads an error object (`{"message":…,"type":…,"code":…}`).
    public init(raw: JSONValue) {
        let message = raw["message"]?.string ?? raw.jsonText
        let code: String? =
            switch raw["code"] {
            case .string(let text): text
            case .number(let number): number.lexeme
            default: nil
            }
        self.init(message: message, type: raw["type"]?.string, code: code, raw: raw)
    }

    public var description: String {
        var text = "stream error"
        if let type { text += " (\(type))" }
        if let code { text += " [\(code)]" }
        return text + ": " + message
    }
}

/// One normalized event of a streamed response, whatever the wire format.
///
/// ``StreamDecoder`` turns provider events into these; ``ToolCallAssembler`` consumes them.
/// Tool calls are keyed by `(choice, index)`: `index` is the call's position within its choice,
/// counted from 0 in the order calls start (Anthropic content blocks and Responses output items
/// are renumbered so; OpenAI chat indices are kept).
public enum StreamEvent: Sendable, Hashable {
    /// Visible text appended to a choice.
    case textDelta(choice: Int, text: String)
    /// Reasoning text appended to a choice (OpenAI `reasoning_content` / `reasoning`, Anthropic
    /// thinking, Responses reasoning text), kept apart from the visible text.
    case reasoningDelta(choice: Int, text: String)
    /// A call starts, or a delta repeats what is known about it. `nil` or empty values never
    /// overwrite known ones.
    case toolCallStart(choice: Int, index: Int, id: String?, name: String?, kind: ToolCall.Kind)
    /// A fragment of a call's argument text (exact text, already unescaped from the envelope).
    case toolCallArguments(choice: Int, index: Int, fragment: String)
    /// The provider closed the call. `arguments` is the whole argument text when the provider
    /// repeats it (Responses `function_call_arguments.done`; LM Studio sends no deltas, only this).
    case toolCallEnd(choice: Int, index: Int, arguments: String?)
    /// The choice stopped.
    case finish(choice: Int, reason: FinishReason)
    /// Token usage (may arrive more than once; the last wins). Boxed, like ``error(_:)``: rare and
    /// large, they would otherwise make every event as big as themselves.
    indirect case usage(Usage)
    /// The provider reported an error inside the stream.
    indirect case error(StreamError)
    /// The provider said the stream is over (`[DONE]`, `message_stop`, `response.completed`).
    case done
}
