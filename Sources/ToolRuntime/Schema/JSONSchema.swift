/// A JSON Schema (draft 2020-12, and the draft-07 forms tool schemas in the wild use), compiled
/// once into a validator.
///
/// Compiling resolves every `$ref`, `$dynamicRef`, `$anchor` and `$id` (relative URIs included),
/// compiles every `pattern` to an ECMA-262 matcher and reports a bad schema with the JSON Pointer
/// of the offending keyword. Validation then walks only the compiled nodes.
///
/// ```swift
/// let schema = try JSONSchema(compiling: JSONParser.parse(#"{"type":"integer","minimum":1}"#))
/// schema.validate(0)  // [ValidationError(instancePath: "", keyword: "minimum", …, message: "must be >= 1, got 0")]
/// ```
public struct JSONSchema: Sendable {
    public struct Options: Sendable, Hashable {
        /// Treat `format` as an assertion rather than an annotation.
        public var formatAssertion: Bool
        /// Documents that `$ref` may name by absolute URI besides the schema itself (the draft
        /// 2020-12 metaschemas are always known). Nothing is ever fetched over the network.
        public var documents: [String: JSONValue]
        /// At most this many errors are reported per instance.
        public var maxErrors: Int

        public init(formatAssertion: Bool = false, documents: [String: JSONValue] = [:], maxErrors: Int = 100) {
            self.formatAssertion = formatAssertion
            self.documents = documents
            self.maxErrors = max(1, maxErrors)
        }
    }

    /// The schema as given.
    public var source: JSONValue { storage.source }
    public var options: Options { storage.options }
    var program: SchemaProgram { storage.program }
    /// The per-node facts of ``validate(json:limits:)-(UnsafeRawBufferPointer,_)``'s byte walk.
    var bytePlan: ByteSchemaPlan { storage.bytePlan }
    /// One reference for the whole schema: a schema is copied on every call into it (from an
    /// array of tools, say), and one retain is cheaper than one per field.
    private let storage: Storage

    private final class Storage: Sendable {
        let source: JSONValue
        let options: Options
        let program: SchemaProgram
        let bytePlan: ByteSchemaPlan

        init(source: JSONValue, options: Options, program: SchemaProgram) {
            self.source = source
            self.options = options
            self.program = program
            bytePlan = ByteSchemaPlan(program)
        }
    }

    public init(compiling schema: JSONValue, options: Options = .init()) throws(SchemaCompileError) {
        var compiler = SchemaCompiler(options: options)
        storage = Storage(source: schema, options: options, program: try compiler.compile(schema))
    }

    /// Compiles a schema from its JSON text; a text that does not parse is a compile error at `/`.
    public init(compilingText text: String, options: Options = .init()) throws(SchemaCompileError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw SchemaCompileError(schemaPath: "", message: "the schema is not valid JSON: \(error.message)")
        }
        try self.init(compiling: value, options: options)
    }

    /// Every violation (up to ``Options/maxErrors``), in a deterministic order; empty when valid.
    ///
    /// The order follows the schema: a node's own keywords (type, enum, const, then the keywords of
    /// the instance's type, then in-place applicators), members and items in instance order.
    public func validate(_ instance: JSONValue) -> [ValidationError] {
        if isValid(instance) { return [] }
        var evaluator = SchemaEvaluator(program: program, collecting: true, cap: options.maxErrors)
        var none: Annotations? = nil
        _ = evaluator.evaluate(program.root, instance, &none)
        return evaluator.errors
    }

    /// Whether `instance` is valid; stops at the first violation.
    public func isValid(_ instance: JSONValue) -> Bool {
        var evaluator = SchemaEvaluator(program: program, collecting: false)
        var none: Annotations? = nil
        return evaluator.evaluate(program.root, instance, &none)
    }
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

    /// `{"path":…,"keyword":…,"message":…}`, the shape tool messages and `toolrt validate` use.
    public var jsonValue: JSONValue {
        ["path": .string(instancePath), "keyword": .string(keyword), "message": .string(message)]
    }
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
