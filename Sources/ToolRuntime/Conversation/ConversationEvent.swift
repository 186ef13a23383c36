/// One thing a UI can render while a ``Conversation`` runs, in the order it happened.
public enum ConversationEvent: Sendable, Hashable {
    /// A request is about to be sent (steps count from 1).
    case stepStarted(step: Int)
    /// Visible text appended to the answer.
    case textDelta(String)
    /// Reasoning text, kept apart from the answer.
    case reasoningDelta(String)
    /// A tool call appeared (or its id or name became known).
    case callStarted(index: Int, id: String?, name: String?)
    /// Argument text appended to an open call. `partial` is a snapshot of the arguments so far when
    /// ``Conversation/partialArguments`` is on (`nil` once the text stopped being JSON). The snapshot
    /// shares storage with the parser, so producing one per fragment costs only what the fragment
    /// added; read ``PartialJSON/value`` when rendering, not per event (it costs O(size)).
    case argumentsGrew(index: Int, fragment: String, partial: PartialJSON?)
    /// The call's arguments closed and passed validation.
    case callValidated(ToolCall)
    /// The call was refused before running; the outcome says why.
    case callRejected(ToolOutcome)
    /// The call's handler started.
    case callRunning(ToolCall)
    /// The call's handler ended: its result or error, and how long it ran.
    case callFinished(ToolOutcome)
    /// A response and its calls are done.
    case stepFinished(StepSummary)
    /// The conversation is over.
    case done(ConversationResult)
}

/// One request/response round of a ``Conversation``.
public struct StepSummary: Sendable, Hashable {
    public var step: Int
    /// The response's text.
    public var text: String
    public var finishReason: FinishReason?
    public var usage: Usage?
    /// One per function call, in call order.
    public var outcomes: [ToolOutcome]

    public init(step: Int, text: String, finishReason: FinishReason?, usage: Usage?, outcomes: [ToolOutcome]) {
        self.step = step
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
        self.outcomes = outcomes
    }
}

/// How a ``Conversation`` ended, the transcript to continue from, and what it cost.
public struct ConversationResult: Sendable, Hashable {
    /// Why the loop stopped.
    public enum Stop: Sendable, Hashable {
        /// The model answered without tool calls.
        case answered
        /// The step limit was reached while the model still called tools.
        case stepLimit
        /// The response stopped for a reason that forbids running its calls (`length`, `content_filter`).
        case cutOff(FinishReason)
        /// The provider reported an error inside the stream.
        case streamError(StreamError)
        /// The surrounding task was cancelled; every call has a (`cancelled`) result.
        case cancelled
    }

    public var stop: Stop
    /// The input messages followed by every message the loop added: always a valid transcript (every
    /// tool call has its result).
    public var messages: [JSONValue]
    /// The last response's text.
    public var text: String
    public var steps: [StepSummary]
    /// Token counts summed over all steps (counts a provider did not send stay `nil`).
    public var usage: Usage
    /// ``usage`` priced with the model's ``ModelPrice``, when the conversation has one.
    public var cost: Cost?

    public init(
        stop: Stop,
        messages: [JSONValue],
        text: String,
        steps: [StepSummary],
        usage: Usage,
        cost: Cost?
    ) {
        self.stop = stop
        self.messages = messages
        self.text = text
        self.steps = steps
        self.usage = usage
        self.cost = cost
    }
}

extension Usage {
    /// The sum of two usages; a count stays `nil` only when neither side has it.
    public static func + (lhs: Usage, rhs: Usage) -> Usage {
        func add(_ a: Int?, _ b: Int?) -> Int? { a == nil && b == nil ? nil : (a ?? 0) + (b ?? 0) }
        let prompt = add(lhs.promptTokens, rhs.promptTokens)
        let completion = add(lhs.completionTokens, rhs.completionTokens)
        let total = add(lhs.totalTokens, rhs.totalTokens)
        var raw = JSONObject()
        if let prompt { raw["prompt_tokens"] = .number(JSONNumber(prompt)) }
        if let completion { raw["completion_tokens"] = .number(JSONNumber(completion)) }
        if let total { raw["total_tokens"] = .number(JSONNumber(total)) }
        return Usage(promptTokens: prompt, completionTokens: completion, totalTokens: total, raw: .object(raw))
    }

    /// No tokens counted yet.
    public static let none = Usage(raw: .object([:]))
}
