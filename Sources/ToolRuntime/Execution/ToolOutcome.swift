/// What became of one call: its result or its error, as the follow-up message will carry it.
public struct ToolOutcome: Sendable, Hashable {
    public enum Result: Sendable, Hashable {
        /// The handler's result, encoded.
        case success(JSONValue)
        case failure(ToolCallError)
    }

    /// The call as assembled (id, name, exact argument text).
    public var call: ToolCall
    public var result: Result
    /// Wall time from the handler's start (or the rejection) to its end; zero for calls never started.
    public var duration: Duration

    public init(call: ToolCall, result: Result, duration: Duration) {
        self.call = call
        self.result = result
        self.duration = duration
    }

    /// `ok`, or the error code (`invalid_arguments`, `timeout`, …).
    public var status: String {
        switch result {
        case .success: "ok"
        case .failure(let error): error.code.rawValue
        }
    }

    public var isError: Bool {
        if case .failure = result { return true }
        return false
    }

    /// The JSON the model receives: the result, or ``ToolCallError/modelJSON``.
    public var contentJSON: JSONValue {
        switch result {
        case .success(let value): value
        case .failure(let error): error.modelJSON
        }
    }

    /// ``contentJSON`` as compact text: the tool message's `content` string (a bare string result is
    /// sent as itself, not as a JSON string literal).
    public var content: String {
        switch result {
        case .success(.string(let text)): text
        // The text `jsonText` writes for these, without its work stack.
        case .success(.number(let number)): number.lexeme
        case .success(.bool(let flag)): flag ? "true" : "false"
        case .success(.null): "null"
        default: contentJSON.jsonText
        }
    }
}

extension ToolOutcome {
    /// How a call ended, without the call: what travels from the task that ran it to the turn, which
    /// pairs it with its call once, when it returns the outcomes.
    struct Ending: Sendable {
        var result: Result
        var duration: Duration
    }

    init(call: ToolCall, _ ending: Ending) {
        self.init(call: call, result: ending.result, duration: ending.duration)
    }
}
