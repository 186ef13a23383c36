/// One tool the runtime can offer a model and run: its name, description, compiled parameters schema,
/// safety class, timeout, and handler.
///
/// The handler is stored type-erased: it takes the validated arguments as a ``JSONValue`` and returns
/// the result already encoded, so the registry holds one array of `Tool` whatever the argument types.
/// Build one from a ``ToolArguments`` type (the usual way, through ``ToolRegistry/Builder``), or from a
/// schema value when the arguments are only known at run time:
/// ```swift
/// let echo = try Tool(
///     name: "echo", description: "Returns its arguments.",
///     parameters: ["type": "object"], safety: .readOnly
/// ) { (arguments: JSONValue, context) in arguments }
/// ```
public struct Tool: Sendable {
    /// The wire name, unique within a registry.
    public var name: String { storage.name }
    public var description: String { storage.description }
    /// The parameters JSON Schema as the model is shown it.
    public var parameters: JSONValue { storage.parameters }
    /// ``parameters``, compiled once at registration.
    public var schema: JSONSchema { storage.schema }
    public var safety: ToolSafety { storage.safety }
    /// How long one call may run; `nil` means the executor's default.
    public var timeout: Duration? { storage.timeout }
    /// Runs the handler on already validated arguments and encodes its result.
    var handler: Handler { storage.handler }

    /// The fields in one immutable reference: a tool is copied several times per call on its way from
    /// the registry to the task running it, and a copy is then one reference, not ten words.
    private let storage: Storage

    private final class Storage: Sendable {
        let name: String
        let description: String
        let parameters: JSONValue
        let schema: JSONSchema
        let safety: ToolSafety
        let timeout: Duration?
        let handler: Handler

        init(
            name: String,
            description: String,
            parameters: JSONValue,
            schema: JSONSchema,
            safety: ToolSafety,
            timeout: Duration?,
            handler: Handler
        ) {
            self.name = name
            self.description = description
            self.parameters = parameters
            self.schema = schema
            self.safety = safety
            self.timeout = timeout
            self.handler = handler
        }
    }

    /// A handler taking the validated arguments and returning its result encoded, with whether it
    /// can suspend.
    enum Handler: Sendable {
        /// May suspend: the executor runs it in a child task, which a timeout or a cancellation can
        /// leave behind while its siblings go on.
        case suspending(@Sendable (JSONValue, ToolContext) async throws -> JSONValue)
        /// Cannot suspend: the executor runs it in place, as an immediately started child task would
        /// run it from start to end, without the task.
        case synchronous(@Sendable (JSONValue, ToolContext) throws -> JSONValue)
    }

    /// A tool whose handler takes the validated arguments as they came.
    ///
    /// - Throws: ``ToolDefinitionError`` when the name is empty or the schema does not compile.
    public init<Output: Encodable & Sendable>(
        name: String,
        description: String,
        parameters: JSONValue,
        safety: ToolSafety,
        timeout: Duration? = nil,
        handler: @escaping @Sendable (JSONValue, ToolContext) async throws -> Output
    ) throws(ToolDefinitionError) {
        try self.init(
            name: name,
            description: description,
            parameters: parameters,
            safety: safety,
            timeout: timeout
        ) { arguments, context in
            try JSONValueEncoder().encode(try await handler(arguments, context))
        }
    }

    /// A tool whose handler takes the validated arguments as they came and never suspends (the
    /// overload a closure without `await` selects).
    ///
    /// The executor runs such a handler in place, without a task of its own, when it starts handlers
    /// immediately (``ToolExecutor/Configuration/immediateStart``): it would run to its end at once in
    /// that task anyway. As with any handler that does not suspend, a timeout cannot cut it short.
    ///
    /// - Throws: ``ToolDefinitionError`` when the name is empty or the schema does not compile.
    public init<Output: Encodable & Sendable>(
        name: String,
        description: String,
        parameters: JSONValue,
        safety: ToolSafety,
        timeout: Duration? = nil,
        handler: @escaping @Sendable (JSONValue, ToolContext) throws -> Output
    ) throws(ToolDefinitionError) {
        try self.init(
            name: name,
            description: description,
            parameters: parameters,
            safety: safety,
            timeout: timeout,
            handler: .synchronous { arguments, context in try JSONValueEncoder().encode(try handler(arguments, context)) }
        )
    }

    /// A tool whose handler takes the arguments decoded into `Arguments` after validation.
    ///
    /// - Throws: ``ToolDefinitionError`` when the name is empty or the schema does not compile.
    public init<Arguments: Decodable & Sendable, Output: Encodable & Sendable>(
        name: String,
        description: String,
        parameters: JSONValue,
        arguments: Arguments.Type,
        safety: ToolSafety,
        timeout: Duration? = nil,
        handler: @escaping @Sendable (Arguments, ToolContext) async throws -> Output
    ) throws(ToolDefinitionError) {
        try self.init(
            name: name,
            description: description,
            parameters: parameters,
            safety: safety,
            timeout: timeout
        ) { arguments, context in
            let decoded = try JSONValueDecoder().decode(Arguments.self, from: arguments)
            return try JSONValueEncoder().encode(try await handler(decoded, context))
        }
    }

    /// A tool whose handler takes the arguments decoded into `Arguments` after validation and never
    /// suspends (run in place, as for the synchronous `JSONValue` handler above).
    ///
    /// - Throws: ``ToolDefinitionError`` when the name is empty or the schema does not compile.
    public init<Arguments: Decodable & Sendable, Output: Encodable & Sendable>(
        name: String,
        description: String,
        parameters: JSONValue,
        arguments: Arguments.Type,
        safety: ToolSafety,
        timeout: Duration? = nil,
        handler: @escaping @Sendable (Arguments, ToolContext) throws -> Output
    ) throws(ToolDefinitionError) {
        try self.init(
            name: name,
            description: description,
            parameters: parameters,
            safety: safety,
            timeout: timeout,
            handler: .synchronous { arguments, context in
                let decoded = try JSONValueDecoder().decode(Arguments.self, from: arguments)
                return try JSONValueEncoder().encode(try handler(decoded, context))
            }
        )
    }

    /// A tool described by a ``ToolArguments`` type (usually generated from a `*.tools.json` file).
    ///
    /// - Throws: ``ToolDefinitionError`` when the schema text is not JSON or does not compile.
    public init<Arguments: ToolArguments, Output: Encodable & Sendable>(
        _ arguments: Arguments.Type,
        handler: @escaping @Sendable (Arguments, ToolContext) async throws -> Output
    ) throws(ToolDefinitionError) {
        try self.init(
            name: Arguments.toolName,
            description: Arguments.toolDescription,
            parameters: try Self.parameters(of: Arguments.self),
            arguments: Arguments.self,
            safety: Arguments.safety,
            timeout: Arguments.timeout,
            handler: handler
        )
    }

    /// A tool described by a ``ToolArguments`` type whose handler never suspends (run in place, as for
    /// the synchronous `JSONValue` handler).
    ///
    /// - Throws: ``ToolDefinitionError`` when the schema text is not JSON or does not compile.
    public init<Arguments: ToolArguments, Output: Encodable & Sendable>(
        _ arguments: Arguments.Type,
        handler: @escaping @Sendable (Arguments, ToolContext) throws -> Output
    ) throws(ToolDefinitionError) {
        try self.init(
            name: Arguments.toolName,
            description: Arguments.toolDescription,
            parameters: try Self.parameters(of: Arguments.self),
            arguments: Arguments.self,
            safety: Arguments.safety,
            timeout: Arguments.timeout,
            handler: handler
        )
    }

    private static func parameters<Arguments: ToolArguments>(
        of arguments: Arguments.Type
    ) throws(ToolDefinitionError) -> JSONValue {
        do {
            return try JSONParser.parse(Arguments.parametersSchemaJSON)
        } catch {
            throw ToolDefinitionError(
                toolName: Arguments.toolName,
                message: "parametersSchemaJSON is not JSON: \(error)"
            )
        }
    }

    init(
        name: String,
        description: String,
        parameters: JSONValue,
        safety: ToolSafety,
        timeout: Duration?,
        invoke: @escaping @Sendable (JSONValue, ToolContext) async throws -> JSONValue
    ) throws(ToolDefinitionError) {
        try self.init(
            name: name,
            description: description,
            parameters: parameters,
            safety: safety,
            timeout: timeout,
            handler: .suspending(invoke)
        )
    }

    init(
        name: String,
        description: String,
        parameters: JSONValue,
        safety: ToolSafety,
        timeout: Duration?,
        handler: Handler
    ) throws(ToolDefinitionError) {
        guard !name.isEmpty else { throw ToolDefinitionError(toolName: name, message: "the name is empty") }
        let schema: JSONSchema
        do {
            schema = try JSONSchema(compiling: parameters)
        } catch {
            throw ToolDefinitionError(toolName: name, message: "the parameters schema does not compile: \(error)")
        }
        storage = Storage(
            name: name,
            description: description,
            parameters: parameters,
            schema: schema,
            safety: safety,
            timeout: timeout,
            handler: handler
        )
    }
}

/// A tool that cannot be registered, and why.
public struct ToolDefinitionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var toolName: String
    public var message: String

    public init(toolName: String, message: String) {
        self.toolName = toolName
        self.message = message
    }

    public var description: String { "tool \(toolName.isEmpty ? "(unnamed)" : toolName): \(message)" }
}
