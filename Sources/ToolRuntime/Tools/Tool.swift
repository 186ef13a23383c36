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
    public let name: String
    public let description: String
    /// The parameters JSON Schema as the model is shown it.
    public let parameters: JSONValue
    /// ``parameters``, compiled once at registration.
    public let schema: JSONSchema
    public let safety: ToolSafety
    /// How long one call may run; `nil` means the executor's default.
    public let timeout: Duration?
    /// Runs the handler on already validated arguments and encodes its result.
    let invoke: @Sendable (JSONValue, ToolContext) async throws -> JSONValue

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

    /// A tool described by a ``ToolArguments`` type (usually generated from a `*.tools.json` file).
    ///
    /// - Throws: ``ToolDefinitionError`` when the schema text is not JSON or does not compile.
    public init<Arguments: ToolArguments, Output: Encodable & Sendable>(
        _ arguments: Arguments.Type,
        handler: @escaping @Sendable (Arguments, ToolContext) async throws -> Output
    ) throws(ToolDefinitionError) {
        let parameters: JSONValue
        do {
            parameters = try JSONParser.parse(Arguments.parametersSchemaJSON)
        } catch {
            throw ToolDefinitionError(
                toolName: Arguments.toolName,
                message: "parametersSchemaJSON is not JSON: \(error)"
            )
        }
        try self.init(
            name: Arguments.toolName,
            description: Arguments.toolDescription,
            parameters: parameters,
            arguments: Arguments.self,
            safety: Arguments.safety,
            timeout: Arguments.timeout,
            handler: handler
        )
    }

    init(
        name: String,
        description: String,
        parameters: JSONValue,
        safety: ToolSafety,
        timeout: Duration?,
        invoke: @escaping @Sendable (JSONValue, ToolContext) async throws -> JSONValue
    ) throws(ToolDefinitionError) {
        guard !name.isEmpty else { throw ToolDefinitionError(toolName: name, message: "the name is empty") }
        do {
            schema = try JSONSchema(compiling: parameters)
        } catch {
            throw ToolDefinitionError(toolName: name, message: "the parameters schema does not compile: \(error)")
        }
        self.name = name
        self.description = description
        self.parameters = parameters
        self.safety = safety
        self.timeout = timeout
        self.invoke = invoke
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
