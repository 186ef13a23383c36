/// What the byte-level validator (``ByteValidator``) needs to know about one compiled node,
/// worked out once when the schema is compiled so the hot path hashes no `String` and allocates
/// nothing: property names as UTF-8 bytes, required names as a bit mask, and whether the node can
/// be decided from the bytes at all.
final class ByteNode: Sendable {
    enum Mode: UInt8, Sendable {
        /// Every instance passes (`true`, `{}`): only the JSON syntax is checked.
        case trivial
        /// `false`: every instance fails.
        case fails
        /// Every keyword of the node is decided on the bytes.
        case local
        /// A keyword needs the value as a tree (`anyOf`, `oneOf`, `not`, `if`, `contains`,
        /// `uniqueItems`, `unevaluated*`, `dependentSchemas`, `propertyNames`, `$dynamicRef`, or
        /// property names that byte comparison cannot match exactly): the sub-value is parsed from
        /// its byte range and the node evaluated by ``SchemaEvaluator``.
        case tree
    }

    let mode: Mode
    let types: TypeMask?
    let enumValues: [JSONValue]?
    /// The string members of `enum`, as UTF-8 (JSON Schema compares strings by code points).
    let enumStrings: [[UInt8]]
    let constValue: JSONValue?
    let constString: [UInt8]?

    let minimum: NumericBound?
    let maximum: NumericBound?
    let exclusiveMinimum: NumericBound?
    let exclusiveMaximum: NumericBound?
    let multipleOf: NumericBound?
    let hasNumberKeywords: Bool

    let minLength: Int?
    let maxLength: Int?
    let pattern: ECMARegex?
    let format: SchemaFormat?
    let hasStringKeywords: Bool

    let minItems: Int?
    let maxItems: Int?
    let prefixItems: [Int]
    let items: Int?
    let hasArrayKeywords: Bool

    /// Every name the object keywords mention (`properties`, `required`, `dependentRequired`),
    /// ASCII only, at most 64, so presence is one bit of a `UInt64`.
    let names: [[UInt8]]
    /// Per name: its `properties` subschema, or -1 when the name is only required.
    let nameNodes: [Int]
    let requiredMask: UInt64
    /// `dependentRequired`: (bit of the trigger name, mask of the names it requires).
    let dependentRequired: [(trigger: UInt64, required: UInt64)]
    let patternProperties: [(regex: ECMARegex, node: Int)]
    let additionalProperties: Int?
    let minProperties: Int?
    let maxProperties: Int?
    let hasObjectKeywords: Bool

    /// `$ref` and `allOf`: more nodes the same value is checked against, in place.
    let inPlace: [Int]

    init(_ node: SchemaNode) {
        types = node.types
        enumValues = node.enumValues
        enumStrings = (node.enumValues ?? []).compactMap { value in
            if case .string(let text) = value { Array(text.utf8) } else { nil }
        }
        constValue = node.constValue
        if case .string(let text)? = node.constValue { constString = Array(text.utf8) } else { constString = nil }
        minimum = node.minimum
        maximum = node.maximum
        exclusiveMinimum = node.exclusiveMinimum
        exclusiveMaximum = node.exclusiveMaximum
        multipleOf = node.multipleOf
        hasNumberKeywords = node.hasNumberKeywords
        minLength = node.minLength
        maxLength = node.maxLength
        pattern = node.pattern
        format = node.format
        hasStringKeywords = node.hasStringKeywords
        minItems = node.minItems
        maxItems = node.maxItems
        prefixItems = node.prefixItems
        items = node.items
        hasArrayKeywords = node.hasArrayKeywords
        patternProperties = node.patternProperties
        additionalProperties = node.additionalProperties
        minProperties = node.minProperties
        maxProperties = node.maxProperties
        hasObjectKeywords = node.hasObjectKeywords
        inPlace = (node.ref.map { [$0] } ?? []) + node.allOf

        var names: [String] = []
        var nameNodes: [Int] = []
        func index(of name: String) -> Int {
            if let index = names.firstIndex(where: { $0.utf8.elementsEqual(name.utf8) }) { return index }
            names.append(name)
            nameNodes.append(-1)
            return names.count - 1
        }
        // Beyond 64 names the node is left to the tree (below), so the bits need not be exact.
        func bit(_ name: String) -> UInt64 {
            let index = index(of: name)
            return index < 64 ? 1 << UInt64(index) : 0
        }
        for (name, child) in node.propertyList {
            // The first `properties` entry of a name wins, as `SchemaNode.property(named:)` finds it.
            let index = index(of: name)
            if nameNodes[index] < 0 { nameNodes[index] = child }
        }
        var requiredMask: UInt64 = 0
        for name in node.required { requiredMask |= bit(name) }
        var dependent: [(trigger: UInt64, required: UInt64)] = []
        for (name, required) in node.dependentRequired {
            let trigger = bit(name)
            var mask: UInt64 = 0
            for other in required { mask |= bit(other) }
            dependent.append((trigger, mask))
        }
        self.names = names.map { Array($0.utf8) }
        self.nameNodes = nameNodes
        self.requiredMask = requiredMask
        self.dependentRequired = dependent

        // A non-ASCII name could equal a differently encoded key (Swift `String` equality is
        // canonical equivalence: U+212A KELVIN SIGN equals "K"); leave those to the tree.
        let namesAreBytes = names.count <= 64 && names.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }
        let needsTree =
            !node.anyOf.isEmpty || !node.oneOf.isEmpty || node.not != nil || node.ifNode != nil
            || node.unevaluatedProperties != nil || node.unevaluatedItems != nil || node.contains != nil
            || node.uniqueItems || !node.dependentSchemas.isEmpty || node.dynamicRef != nil
            || node.propertyNames != nil || !namesAreBytes
        if node.isTrivial {
            mode = .trivial
        } else if node.alwaysFails {
            mode = .fails
        } else {
            mode = needsTree ? .tree : .local
        }
    }
}

/// The facts of a node the walk reads at every value, as plain values (no reference is counted
/// on the hot path); the rest stays in its ``ByteNode``, read only when `coldString`,
/// `coldNumber`, `hasChoices`, `hasPatterns` or `hasDependentRequired` say so.
struct HotNode: Sendable {
    /// A node of one plain type, walked by that type's scanner without the general dispatch.
    enum Leaf: UInt8, Sendable {
        case none
        /// `type: string` (that type alone) with at most `minLength`/`maxLength`.
        case string
        /// `type: integer` (that type alone) with at most machine-integer `minimum`/`maximum`.
        case integer
        /// `type: object` (that type alone), any object keywords.
        case object
        /// `type: array` (that type alone), any array keywords.
        case array
    }

    var mode: ByteNode.Mode
    var leaf: Leaf
    var types: TypeMask?
    /// `enum` or `const` is present.
    var hasChoices: Bool
    /// `pattern` or `format`.
    var coldString: Bool
    var minLength: Int
    var maxLength: Int
    /// `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, or a bound that is not a machine integer.
    var coldNumber: Bool
    var minimum: Int64?
    var maximum: Int64?
    var hasArrayKeywords: Bool
    /// `prefixItems`, as a range of ``ByteSchemaPlan/indices``.
    var prefixItems: Range<Int>
    var items: Int
    var minItems: Int
    var maxItems: Int
    var hasObjectKeywords: Bool
    /// The name table, as a range of ``ByteSchemaPlan/names``.
    var names: Range<Int>
    var requiredMask: UInt64
    var hasPatterns: Bool
    var hasDependentRequired: Bool
    /// -1 when absent.
    var additionalProperties: Int
    var minProperties: Int?
    var maxProperties: Int?
    /// `$ref` and `allOf`, as a range of ``ByteSchemaPlan/indices``.
    var inPlace: Range<Int>
}

/// One name of a node's name table: its first sixteen bytes as two words, so a key is told
/// apart or matched by one or two comparisons.
struct NameEntry: Sendable {
    var length: Int
    var head: UInt64
    /// Bytes 8..<16.
    var tail: UInt64
    /// Written as it is in JSON (no quote, backslash or control character): a key whose raw
    /// bytes are the name and a quote is this name.
    var plain: Bool
    /// Where its bytes are in ``ByteSchemaPlan/nameBytes``.
    var offset: Int
    /// Its `properties` subschema, or -1.
    var node: Int

    /// The first `min(count, 8)` bytes, little-endian, zero-padded.
    static func head(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var word: UInt64 = 0
        for k in 0..<min(bytes.count, 8) { word |= UInt64(bytes[k]) << UInt64(8 * k) }
        return word
    }
}

/// The ``ByteNode``s of a program, index for index, and their ``HotNode``s.
final class ByteSchemaPlan: Sendable {
    let nodes: [ByteNode]
    let hot: [HotNode]
    let names: [NameEntry]
    let nameBytes: [UInt8]
    /// Node lists (`prefixItems`, in-place applicators) laid end to end.
    let indices: [Int]
    /// `$dynamicRef` resolves through the dynamic scope, which only the tree walk tracks.
    let usesDynamicScope: Bool

    init(_ program: SchemaProgram) {
        nodes = program.nodes.map(ByteNode.init)
        usesDynamicScope = program.usesDynamicScope
        var names: [NameEntry] = []
        var nameBytes: [UInt8] = []
        var indices: [Int] = []
        func list(_ nodes: [Int]) -> Range<Int> {
            indices.append(contentsOf: nodes)
            return (indices.count - nodes.count)..<indices.count
        }
        var hot: [HotNode] = []
        for node in nodes {
            let firstName = names.count
            for (name, child) in zip(node.names, node.nameNodes) {
                names.append(
                    NameEntry(
                        length: name.count,
                        head: name.withUnsafeBytes(NameEntry.head),
                        tail: name.count > 8 ? Array(name[8...]).withUnsafeBytes(NameEntry.head) : 0,
                        plain: !name.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") },
                        offset: nameBytes.count,
                        node: child
                    )
                )
                nameBytes.append(contentsOf: name)
            }
            let integerBounds = [node.minimum, node.maximum].allSatisfy { $0 == nil || $0?.int != nil }
            let hasChoices = node.enumValues != nil || node.constValue != nil
            let coldString = node.pattern != nil || node.format != nil
            let coldNumber =
                node.exclusiveMinimum != nil || node.exclusiveMaximum != nil || node.multipleOf != nil
                || !integerBounds
            let plainLeaf = node.mode == .local && !hasChoices && node.inPlace.isEmpty
            let leaf: HotNode.Leaf =
                if plainLeaf && node.types == .string && !coldString {
                    .string
                } else if plainLeaf && node.types == .integer && !coldNumber {
                    .integer
                } else if plainLeaf && node.types == .object {
                    .object
                } else if plainLeaf && node.types == .array {
                    .array
                } else {
                    .none
                }
            hot.append(
                HotNode(
                    mode: node.mode,
                    leaf: leaf,
                    types: node.types,
                    hasChoices: hasChoices,
                    coldString: coldString,
                    minLength: node.minLength ?? 0,
                    maxLength: node.maxLength ?? .max,
                    coldNumber: coldNumber,
                    minimum: node.minimum?.int,
                    maximum: node.maximum?.int,
                    hasArrayKeywords: node.hasArrayKeywords,
                    prefixItems: list(node.prefixItems),
                    items: node.items ?? -1,
                    minItems: node.minItems ?? 0,
                    maxItems: node.maxItems ?? .max,
                    hasObjectKeywords: node.hasObjectKeywords,
                    names: firstName..<names.count,
                    requiredMask: node.requiredMask,
                    hasPatterns: !node.patternProperties.isEmpty,
                    hasDependentRequired: !node.dependentRequired.isEmpty,
                    additionalProperties: node.additionalProperties ?? -1,
                    minProperties: node.minProperties,
                    maxProperties: node.maxProperties,
                    inPlace: list(node.inPlace)
                )
            )
        }
        self.hot = hot
        self.names = names
        self.nameBytes = nameBytes
        self.indices = indices
    }
}
