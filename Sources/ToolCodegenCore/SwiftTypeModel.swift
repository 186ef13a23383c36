/// The Swift declarations the generator will print, before printing.
///
/// The schema translator builds these; ``SwiftRenderer`` turns them into text. Keeping the two
/// apart keeps each simple and makes the naming decisions (uniqueness, escaping) happen once.
indirect enum SwiftType: Hashable, Sendable {
    case string
    case int
    case bool
    /// An exact decimal number (never `Double`: prices and quantities must survive decoding).
    case number
    /// Any JSON: the fallback for schema constructs with no Swift type.
    case jsonValue
    case array(SwiftType)
    case dictionary(SwiftType)
    case optional(SwiftType)
    /// A generated nested type, by its (unqualified) name.
    case named(String)

    var isOptional: Bool {
        if case .optional = self { return true }
        return false
    }

    /// Whether a `number` is in here (directly or as an element).
    var containsNumber: Bool {
        switch self {
        case .number: true
        case .array(let inner), .dictionary(let inner), .optional(let inner): inner.containsNumber
        default: false
        }
    }

    /// This type with every `number` replaced by `JSONValue`: how such members are decoded.
    var numbersAsJSONValue: SwiftType {
        switch self {
        case .number: .jsonValue
        case .array(let inner): .array(inner.numbersAsJSONValue)
        case .dictionary(let inner): .dictionary(inner.numbersAsJSONValue)
        case .optional(let inner): .optional(inner.numbersAsJSONValue)
        default: self
        }
    }

    /// Wraps in `Optional` unless already optional.
    var optional: SwiftType { isOptional ? self : .optional(self) }
}

/// A doc comment's content: the summary lines from the schema and where it came from.
struct Documentation: Hashable, Sendable {
    var lines: [String]
    /// `file#/pointer` of the schema this was generated from.
    var source: String
    /// A note for fallbacks and other things a reader of the code must know.
    var notes: [String] = []
}

struct PropertyDeclaration: Hashable, Sendable {
    var swiftName: String
    var jsonName: String
    var type: SwiftType
    var documentation: Documentation
}

struct EnumDeclaration: Hashable, Sendable {
    struct Case: Hashable, Sendable {
        var swiftName: String
        var rawValue: String
    }

    var name: String
    var documentation: Documentation
    var cases: [Case]
}

struct StructDeclaration: Hashable, Sendable {
    var name: String
    var documentation: Documentation
    var properties: [PropertyDeclaration] = []
    var nestedTypes: [NestedDeclaration] = []
    /// Set on the top-level arguments type only.
    var tool: ToolInfo?
}

indirect enum NestedDeclaration: Hashable, Sendable {
    case structure(StructDeclaration)
    case enumeration(EnumDeclaration)
    /// A caseless `enum` grouping declarations (the schema's `$defs`).
    case namespace(name: String, documentation: Documentation, members: [NestedDeclaration])
}

/// What the top-level arguments type states about its tool.
struct ToolInfo: Hashable, Sendable {
    var name: String
    var description: String
    var parametersSchemaJSON: String
    /// The `ToolSafety` case name (`readOnly`).
    var safetyCase: String
    var timeoutMilliseconds: Int64?
}
