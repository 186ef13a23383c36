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
    ///
    /// An assembled call parses its ``arguments`` text the first time this is read (the assembler
    /// only checks the text while it streams), then keeps the value: a consumer that validates the
    /// text's bytes and never reads the value pays for no tree.
    public var value: JSONValue? {
        get {
            switch parsed {
            case .built(let value): value
            case .deferred(let deferred): deferred.value
            }
        }
        set { parsed = .built(newValue) }
    }

    var parsed: ParsedArguments

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
        self.parsed = .built(value)
    }
}

/// Equal calls have equal fields, ``ToolCall/value`` included, however each one holds its value.
extension ToolCall {
    public static func == (lhs: ToolCall, rhs: ToolCall) -> Bool {
        lhs.choiceIndex == rhs.choiceIndex && lhs.index == rhs.index && lhs.id == rhs.id
            && lhs.idWasGenerated == rhs.idWasGenerated && lhs.name == rhs.name && lhs.kind == rhs.kind
            && lhs.arguments == rhs.arguments && lhs.status == rhs.status && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(choiceIndex)
        hasher.combine(index)
        hasher.combine(id)
        hasher.combine(idWasGenerated)
        hasher.combine(name)
        hasher.combine(kind)
        hasher.combine(arguments)
        hasher.combine(status)
        hasher.combine(value)
    }
}

/// How a ``ToolCall`` holds its value: made (or given), or to be parsed from the text on first read.
enum ParsedArguments: Sendable {
    case built(JSONValue?)
    case deferred(DeferredJSON)
}
