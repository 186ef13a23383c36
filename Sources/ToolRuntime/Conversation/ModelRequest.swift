import OrderedCollections

/// One request to a model: everything needed to build the provider's streaming request body.
///
/// `messages` are already in the wire format's shape (what ``FollowUpMessages`` produces), so a client
/// only wraps them:
/// ```swift
/// let request = ModelRequest(model: "gpt-4o-mini", format: .openAIChat,
///                            messages: [["role": "user", "content": "Find red shoes"]],
///                            tools: registry.toolsJSON(for: .openAIChat))
/// let bytes = request.body.jsonText   // POST /v1/chat/completions
/// ```
public struct ModelRequest: Sendable, Hashable {
    public var model: String
    public var format: WireFormat
    /// System instructions: a leading `system` message (OpenAI chat), `system` (Anthropic) or
    /// `instructions` (Responses).
    public var system: String?
    /// The conversation so far, in `format`'s message shape.
    public var messages: [JSONValue]
    /// The `tools` array in `format`'s shape (``ToolRegistry/toolsJSON(for:)``); `nil` or empty offers none.
    public var tools: JSONValue?
    /// Further top-level body members (`temperature`, `max_tokens`, `tool_choice`, `parallel_tool_calls`);
    /// they override the defaults ``body`` sets.
    public var options: JSONObject

    public init(
        model: String,
        format: WireFormat = .openAIChat,
        system: String? = nil,
        messages: [JSONValue],
        tools: JSONValue? = nil,
        options: JSONObject = [:]
    ) {
        self.model = model
        self.format = format
        self.system = system
        self.messages = messages
        self.tools = tools
        self.options = options
    }

    /// The streaming request body for `format`.
    ///
    /// - OpenAI chat: `{"model","messages","tools","stream":true,"stream_options":{"include_usage":true}}`
    /// - Anthropic: `{"model","max_tokens":4096,"system","messages","tools","stream":true}`
    /// - Responses: `{"model","instructions","input","tools","stream":true}`
    public var body: JSONValue {
        var body: JSONObject = ["model": .string(model)]
        let offersTools: Bool = if case .array(let list) = tools { !list.isEmpty } else { false }
        switch format {
        case .openAIChat:
            var all = messages
            if let system { all.insert(["role": "system", "content": .string(system)], at: 0) }
            body["messages"] = .array(all)
            if offersTools, let tools { body["tools"] = tools }
            body["stream"] = true
            body["stream_options"] = ["include_usage": true]
        case .anthropicMessages:
            body["max_tokens"] = 4096
            if let system { body["system"] = .string(system) }
            body["messages"] = .array(messages)
            if offersTools, let tools { body["tools"] = tools }
            body["stream"] = true
        case .openAIResponses:
            if let system { body["instructions"] = .string(system) }
            body["input"] = .array(messages)
            if offersTools, let tools { body["tools"] = tools }
            body["stream"] = true
        }
        for (key, value) in options { body[key] = value }
        return .object(body)
    }
}
