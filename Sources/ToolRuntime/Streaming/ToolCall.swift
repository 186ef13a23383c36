/// One tool call as assembled from a streamed response.
///
/// `arguments` is the exact text the model sent, fragment by fragment, for the follow-up
/// assistant message; `value` is that text parsed (when `status` is `.complete`).
public struct ToolCall: Sendable, Hashable {
    /// Who is meant to run the call.
    public enum Kind: String, Sendable, Hashable {
        /// A function the client registered: the runtime executes it.
        case function
        /// A provider-side tool (Anthropic `server_tool_use`): reported, never executed by the client.
        case serverTool = "server_tool"
    }

    /// Whether the call may be executed.
    public enum Status: Sendable, Hashable {
        /// The arguments closed as one JSON value.
        case complete
        /// The stream ended, or stopped for `length`/`max_tokens`/`content_filter`, while the call was
        /// open, or its JSON is unfinished. The reason says which.
        case truncated(reason: String)
        /// The arguments are not JSON; the error says where and why.
        case malformed(JSONParseError)
    }

    public var choiceIndex: Int
    /// Position of the call within its choice.
    public var index: Int
    public var id: String
    /// True when the provider sent no id and the runtime made one up (deterministically).
    public var idWasGenerated: Bool
    public var name: String
    public var kind: Kind
    /// The exact argument text received.
    public var arguments: String
    public var status: Status
    /// The parsed arguments when `status == .complete` (`""` or whitespace counts as `{}`).
    public var value: JSONValue?

    public init(
        choiceIndex: Int = 0,
        index: Int,
        id: String,
        idWasGenerated: Bool = false,
        name: String,
        kind: Kind = .function,
        arguments: String,
        status: Status,
        value: JSONValue?
    ) {
        self.choiceIndex = choiceIndex
        self.index = index
        self.id = id
        self.idWasGenerated = idWasGenerated
        self.name = name
        self.kind = kind
        self.arguments = arguments
        self.status = status
        self.value = value
    }
}
