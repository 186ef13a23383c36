/// The tools a server offers, immutable once built, looked up by name in O(1).
///
/// ```swift
/// let registry = try ToolRegistry(modules: [EchoModule(), ProductTools(database: db)])
/// let request = ModelRequest(model: "gpt-4o", format: .openAIChat, messages: messages,
///                            tools: registry.toolsJSON(for: .openAIChat))
/// ```
public struct ToolRegistry: Sendable {
    /// Every tool, in registration order (the order they are offered to the model).
    public let tools: [Tool]
    private let indexByName: [String: Int]

    /// A registry of the tools the modules register, in order.
    ///
    /// - Throws: ``ToolRegistryError`` listing every duplicate name and every tool that failed to compile.
    public init(modules: [any ToolModule]) throws(ToolRegistryError) {
        var builder = Builder()
        for module in modules { builder.add(module) }
        self = try builder.build()
    }

    /// A registry built by `body`.
    ///
    /// - Throws: ``ToolRegistryError`` listing every problem the builder collected.
    public init(_ body: (inout Builder) -> Void) throws(ToolRegistryError) {
        var builder = Builder()
        body(&builder)
        self = try builder.build()
    }

    fileprivate init(validated tools: [Tool], index: [String: Int]) {
        self.tools = tools
        self.indexByName = index
    }

    /// The tool called `name`, or `nil`.
    public subscript(name: String) -> Tool? {
        indexByName[name].map { tools[$0] }
    }

    public var names: [String] { tools.map(\.name) }

    /// Collects tools and modules, then builds a ``ToolRegistry`` or reports every problem at once.
    public struct Builder {
        private var tools: [Tool] = []
        private var indexByName: [String: Int] = [:]
        private var problems: [ToolRegistryError.Problem] = []

        public init() {}

        /// Adds a tool; a second tool with the same name is a problem reported by ``build()``.
        public mutating func add(_ tool: Tool) {
            if indexByName[tool.name] != nil {
                problems.append(.init(toolName: tool.name, message: "a tool with this name is already registered"))
                return
            }
            indexByName[tool.name] = tools.count
            tools.append(tool)
        }

        /// Adds every tool of `module`.
        public mutating func add(_ module: some ToolModule) {
            module.register(into: &self)
        }

        /// Adds a tool described by a ``ToolArguments`` type with a handler on its typed arguments.
        ///
        /// ```swift
        /// builder.add(SearchProductsArguments.self) { args, context in
        ///     try await catalog.search(args.query, limit: args.limit ?? 10)
        /// }
        /// ```
        public mutating func add<Arguments: ToolArguments, Output: Encodable & Sendable>(
            _ arguments: Arguments.Type,
            handler: @escaping @Sendable (Arguments, ToolContext) async throws -> Output
        ) {
            record { () throws(ToolDefinitionError) in try Tool(arguments, handler: handler) }
        }

        /// Adds a tool described by a ``ToolArguments`` type with a handler that never suspends (the
        /// overload a closure without `await` selects); the executor runs it in place, without a task.
        public mutating func add<Arguments: ToolArguments, Output: Encodable & Sendable>(
            _ arguments: Arguments.Type,
            handler: @escaping @Sendable (Arguments, ToolContext) throws -> Output
        ) {
            record { () throws(ToolDefinitionError) in try Tool(arguments, handler: handler) }
        }

        /// Adds a tool whose arguments are only known at run time, handled as a ``JSONValue``.
        public mutating func add<Output: Encodable & Sendable>(
            name: String,
            description: String,
            parameters: JSONValue,
            safety: ToolSafety,
            timeout: Duration? = nil,
            handler: @escaping @Sendable (JSONValue, ToolContext) async throws -> Output
        ) {
            record { () throws(ToolDefinitionError) in
                try Tool(
                    name: name,
                    description: description,
                    parameters: parameters,
                    safety: safety,
                    timeout: timeout,
                    handler: handler
                )
            }
        }

        /// Adds a tool whose arguments are only known at run time, with a handler that never suspends
        /// (the overload a closure without `await` selects); the executor runs it in place, without a
        /// task.
        public mutating func add<Output: Encodable & Sendable>(
            name: String,
            description: String,
            parameters: JSONValue,
            safety: ToolSafety,
            timeout: Duration? = nil,
            handler: @escaping @Sendable (JSONValue, ToolContext) throws -> Output
        ) {
            record { () throws(ToolDefinitionError) in
                try Tool(
                    name: name,
                    description: description,
                    parameters: parameters,
                    safety: safety,
                    timeout: timeout,
                    handler: handler
                )
            }
        }

        private mutating func record(_ make: () throws(ToolDefinitionError) -> Tool) {
            do {
                add(try make())
            } catch {
                problems.append(.init(toolName: error.toolName, message: error.message))
            }
        }

        /// The registry, or every problem found while adding.
        ///
        /// - Throws: ``ToolRegistryError`` when any tool was a duplicate or failed to compile.
        public func build() throws(ToolRegistryError) -> ToolRegistry {
            guard problems.isEmpty else { throw ToolRegistryError(problems: problems) }
            return ToolRegistry(validated: tools, index: indexByName)
        }
    }
}

/// Why a registry could not be built: every duplicate name and every tool that failed to compile.
public struct ToolRegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var toolName: String
        public var message: String

        public init(toolName: String, message: String) {
            self.toolName = toolName
            self.message = message
        }

        public var description: String { "\(toolName): \(message)" }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) { self.problems = problems }

    public var description: String {
        "cannot build the tool registry: " + problems.map(\.description).joined(separator: "; ")
    }
}
