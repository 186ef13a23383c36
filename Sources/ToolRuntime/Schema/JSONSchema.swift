// PLACEHOLDER API (being implemented by the schema work; do not rely on its behaviour yet).

/// A JSON Schema (draft 2020-12), compiled once into a validator.
public struct JSONSchema: Sendable {
    public struct Options: Sendable, Hashable {
        /// Treat `format` as an assertion rather than an annotation.
        public var formatAssertion: Bool
        public init(formatAssertion: Bool = false) { self.formatAssertion = formatAssertion }
    }

    /// The schema as given.
    public let source: JSONValue

    public init(compiling schema: JSONValue, options: Options = .init()) throws(SchemaCompileError) {
        source = schema
    }

    /// Every violation (up to a cap), in a deterministic order; empty when valid.
    public func validate(_ instance: JSONValue) -> [ValidationError] { [] }
}

/// One way an instance breaks its schema, in words a model can act on.
public struct ValidationError: Sendable, Hashable, CustomStringConvertible {
    /// JSON Pointer into the instance, `""` for the root (e.g. `/items/0/quantity`).
    public var instancePath: String
    /// The schema keyword that failed (e.g. `minimum`).
    public var keyword: String
    /// JSON Pointer to that keyword in the schema (e.g. `/properties/items/items/properties/quantity/minimum`).
    public var schemaPath: String
    /// Expected vs received, in plain words (e.g. `must be >= 1, got 0`).
    public var message: String

    public init(instancePath: String, keyword: String, schemaPath: String, message: String) {
        self.instancePath = instancePath
        self.keyword = keyword
        self.schemaPath = schemaPath
        self.message = message
    }

    public var description: String { "\(instancePath.isEmpty ? "/" : instancePath): \(message)" }
}

/// A schema that cannot be compiled, with the JSON Pointer of the offending part.
public struct SchemaCompileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var schemaPath: String
    public var message: String

    public init(schemaPath: String, message: String) {
        self.schemaPath = schemaPath
        self.message = message
    }

    public var description: String { "invalid schema at \(schemaPath.isEmpty ? "/" : schemaPath): \(message)" }
}
