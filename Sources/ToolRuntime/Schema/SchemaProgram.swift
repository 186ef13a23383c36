/// JSON types as a bit set, so `type: ["string", "null"]` is one mask test.
struct TypeMask: OptionSet, Hashable {
    let rawValue: UInt8
    static let null = TypeMask(rawValue: 1)
    static let boolean = TypeMask(rawValue: 2)
    static let integer = TypeMask(rawValue: 4)
    /// `number` admits integers too.
    static let number = TypeMask(rawValue: 8)
    static let string = TypeMask(rawValue: 16)
    static let array = TypeMask(rawValue: 32)
    static let object = TypeMask(rawValue: 64)

    static func named(_ name: String) -> TypeMask? {
        switch name {
        case "null": .null
        case "boolean": .boolean
        case "integer": .integer
        case "number": .number
        case "string": .string
        case "array": .array
        case "object": .object
        default: nil
        }
    }

    /// Whether a value of this JSON type is admitted. For numbers the caller passes `.integer`
    /// only after checking the number is integral.
    func admits(_ value: JSONValue) -> Bool {
        switch value {
        case .null: contains(.null)
        case .bool: contains(.boolean)
        case .number(let number): contains(.number) || (contains(.integer) && number.isInteger)
        case .string: contains(.string)
        case .array: contains(.array)
        case .object: contains(.object)
        }
    }
}

/// Exact and fast forms of one numeric bound.
struct NumericBound {
    let exact: ExactDecimal
    let lexeme: String
    let int: Int64?
    let double: Double
    init(_ number: JSONNumber) {
        exact = number.decimal
        lexeme = number.lexeme
        int = Int64(number.lexeme)
        double = int.map(Double.init) ?? Double(number.lexeme) ?? .nan
    }
}

/// One compiled subschema. Children are indices into ``SchemaProgram/nodes``, so cycles through
/// `$ref` cost nothing and nothing is reference-counted per child.
///
/// `@unchecked Sendable`: every field is written only by ``SchemaCompiler`` while it builds the
/// program, before the program is published through the immutable ``SchemaProgram``; after that
/// nothing writes to a node, so concurrent reads are race-free.
final class SchemaNode: @unchecked Sendable {
    /// JSON Pointer of this subschema inside its document, for error reports.
    var schemaPath: String
    /// A `false` schema: every instance fails.
    var alwaysFails = false
    /// No keyword at all (`true`, `{}`, or only annotations): every instance passes.
    var isTrivial = true
    /// Index of the schema resource (for the dynamic scope of `$dynamicRef`).
    var resource = 0

    var types: TypeMask?
    var typeNames: [String] = []
    var enumValues: [JSONValue]?
    var constValue: JSONValue?

    var minimum: NumericBound?
    var maximum: NumericBound?
    var exclusiveMinimum: NumericBound?
    var exclusiveMaximum: NumericBound?
    var multipleOf: NumericBound?

    var minLength: Int?
    var maxLength: Int?
    var pattern: ECMARegex?
    var format: SchemaFormat?
    var formatName: String?

    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false
    var prefixItems: [Int] = []
    var items: Int?
    var contains: Int?
    var minContains: Int?
    var maxContains: Int?

    /// `properties` in schema order (messages), plus a dictionary for lookup.
    var propertyList: [(name: String, node: Int)] = []
    var properties: [String: Int] = [:]
    var patternProperties: [(regex: ECMARegex, node: Int)] = []
    var additionalProperties: Int?
    var propertyNames: Int?
    var required: [String] = []
    var minProperties: Int?
    var maxProperties: Int?
    var dependentRequired: [(name: String, required: [String])] = []
    var dependentSchemas: [(name: String, node: Int)] = []

    var allOf: [Int] = []
    var anyOf: [Int] = []
    var oneOf: [Int] = []
    var not: Int?
    var ifNode: Int?
    var thenNode: Int?
    var elseNode: Int?

    var ref: Int?
    var dynamicRef: (node: Int, anchor: String?)?
    var unevaluatedProperties: Int?
    var unevaluatedItems: Int?

    /// Whether this node itself consumes annotations (has `unevaluated*`).
    var usesAnnotations: Bool { unevaluatedProperties != nil || unevaluatedItems != nil }
    /// Whether any object keyword is present (skips the object block otherwise).
    var hasObjectKeywords = false
    var hasArrayKeywords = false
    var hasStringKeywords = false
    var hasNumberKeywords = false
    var hasApplicators = false

    init(schemaPath: String) { self.schemaPath = schemaPath }

    /// The `properties` subschema for `key`: a scan beats hashing for the few properties tool
    /// schemas have (small ASCII strings compare in a word or two).
    @inline(__always)
    func property(named key: String) -> Int? {
        if propertyList.count > 8 { return properties[key] }
        for entry in propertyList where entry.name == key { return entry.node }
        return nil
    }
}

/// A compiled schema: immutable nodes plus what `$dynamicRef` needs at run time.
final class SchemaProgram: Sendable {
    let nodes: [SchemaNode]
    let root: Int
    /// Per resource: `$dynamicAnchor` name → node.
    let dynamicAnchors: [[String: Int]]
    /// Whether any `$dynamicRef` exists (the dynamic scope is tracked only then).
    let usesDynamicScope: Bool

    init(nodes: [SchemaNode], root: Int, dynamicAnchors: [[String: Int]]) {
        self.nodes = nodes
        self.root = root
        self.dynamicAnchors = dynamicAnchors
        self.usesDynamicScope = nodes.contains { $0.dynamicRef != nil }
    }
}
