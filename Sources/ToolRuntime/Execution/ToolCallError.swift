/// Why one call produced no result: a stable code, the call it concerns, and details the model can act on.
///
/// Every failure kind becomes the call's tool message as JSON (``modelJSON``), for example
/// `{"error":{"type":"invalid_arguments","message":"…","details":[{"path":"/items/0/quantity",
/// "keyword":"minimum","message":"must be >= 1, got 0"}]}}`, so the model can correct itself.
/// ``description`` is safe to log: it never prints argument values.
public struct ToolCallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable failure kind; its ``rawValue`` is the `type` the model sees.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// No tool of that name is registered.
        public static let unknownTool = Code(rawValue: "unknown_tool")
        /// The arguments parsed but break the schema (or do not decode into the arguments type).
        public static let invalidArguments = Code(rawValue: "invalid_arguments")
        /// The arguments are not JSON.
        public static let malformedArguments = Code(rawValue: "malformed_arguments")
        /// The arguments stopped before their JSON closed (the stream ended or was cut off).
        public static let truncatedArguments = Code(rawValue: "truncated_arguments")
        /// The handler threw.
        public static let handlerFailed = Code(rawValue: "handler_error")
        /// The handler did not finish within its timeout.
        public static let timedOut = Code(rawValue: "timeout")
        /// The turn was cancelled before the call finished.
        public static let cancelled = Code(rawValue: "cancelled")
        /// The response stopped for a reason that forbids running calls (`length`, `content_filter`,
        /// an error), or the call is a provider-side tool the client does not run.
        public static let notExecuted = Code(rawValue: "not_executed")

        public var description: String { rawValue }
    }

    /// One problem at one place in the arguments.
    public struct Detail: Sendable, Hashable {
        /// JSON Pointer into the arguments (`/items/0/quantity`, `""` for the whole value).
        public var path: String
        /// The schema keyword that failed (`minimum`), or a parse/decode category.
        public var keyword: String
        public var message: String

        public init(path: String, keyword: String, message: String) {
            self.path = path
            self.keyword = keyword
            self.message = message
        }
    }

    public var code: Code
    public var toolName: String
    public var callID: String
    /// What to tell the model, as an instruction (`Invalid arguments for place_order: /items/0/quantity
    /// must be >= 1, got 0.`).
    public var message: String
    public var details: [Detail]

    public init(code: Code, toolName: String, callID: String, message: String, details: [Detail] = []) {
        self.code = code
        self.toolName = toolName
        self.callID = callID
        self.message = message
        self.details = details
    }

    /// The tool message content: `{"error":{"type","message","details":[{"path","keyword","message"}]}}`
    /// (`details` only when there are some).
    public var modelJSON: JSONValue {
        var error: JSONObject = ["type": .string(code.rawValue), "message": .string(message)]
        if !details.isEmpty {
            error["details"] = .array(
                details.map {
                    ["path": .string($0.path), "keyword": .string($0.keyword), "message": .string($0.message)]
                }
            )
        }
        return ["error": .object(error)]
    }

    public var description: String {
        "\(code) for \(toolName.isEmpty ? "(unnamed tool)" : toolName) call \(callID): \(message)"
    }
}

/// An error a handler throws whose message is meant for the model (`out of stock: 3 left`).
///
/// Other errors reach the model only as "the tool failed" with the call id, because their text may
/// hold internals (SQL, paths); the full error is logged server-side either way.
public protocol ModelFacingError: Error {
    /// The `type` the model sees (`out_of_stock`); defaults to `handler_error`.
    var modelErrorType: String { get }
    /// What the model should know or do (`Only 3 left of SKU-1; ask for at most 3.`).
    var modelMessage: String { get }
}

extension ModelFacingError {
    public var modelErrorType: String { ToolCallError.Code.handlerFailed.rawValue }
}
