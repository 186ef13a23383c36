import OrderedCollections

/// Turns a schema document into a ``SchemaProgram``: resolves every `$ref` once, compiles every
/// regex once, and reports what is wrong with the schema with its JSON Pointer.
struct SchemaCompiler {
    /// Which keywords a subschema's dialect gives meaning to.
    struct Dialect: Hashable {
        /// draft-07 and earlier: `definitions`, array-form `items` + `additionalItems`,
        /// `dependencies`, `$ref` overriding its siblings, `$id: "#name"` as an anchor.
        var legacy = false
        /// The validation vocabulary (type, enum, bounds, …); off only for a custom metaschema
        /// whose `$vocabulary` leaves it out.
        var validation = true
        var formatAssertion = false
    }

    /// Where a subschema lives: its JSON, the base URI in effect around it, and its canonical name.
    struct Location {
        var value: JSONValue
        /// Base URI in effect for this subschema before its own `$id` (if any) applies.
        var base: String
        var resource: String
        /// JSON Pointer from `resource`.
        var pointer: String
        /// JSON Pointer from the document root, for messages.
        var schemaPath: String
        var dialect: Dialect
        var depth = 0
    }

    static let defaultBase = "https://toolrt.invalid/schema.json"
    static let maxDepth = 256

    private var nodes: [SchemaNode] = []
    private var memo: [String: Int] = [:]
    private var documents: [String: JSONValue]
    private var indexedResources: Set<String> = []
    private var locations: [String: Location] = [:]
    private var dynamicAnchorLocations: [String: [String: Location]] = [:]
    private var resourceIndex: [String: Int] = [:]
    private let options: JSONSchema.Options

    init(options: JSONSchema.Options) {
        self.options = options
        documents = MetaSchemas.documents
        for (uri, document) in options.documents { documents[SchemaURI.split(uri).base] = document }
    }

    mutating func compile(_ schema: JSONValue) throws(SchemaCompileError) -> SchemaProgram {
        var dialect = Dialect(formatAssertion: options.formatAssertion)
        dialect = try self.dialect(of: schema, inherited: dialect, path: "")
        var base = Self.defaultBase
        if case .object(let object) = schema, case .string(let id)? = object["$id"], !dialect.legacy || !id.hasPrefix("#") {
            base = SchemaURI.split(SchemaURI.resolve(id, against: base)).base
        }
        try index(document: schema, base: Self.defaultBase, dialect: dialect, schemaPath: "")
        let root = try compile(
            Location(value: schema, base: Self.defaultBase, resource: Self.defaultBase, pointer: "", schemaPath: "", dialect: dialect)
        )
        _ = base
        // Every resource that can be in a dynamic scope needs its dynamic anchors compiled.
        var done = 0
        var anchors: [[String: Int]] = []
        while done < resourceIndex.count {
            done = resourceIndex.count
            anchors = Array(repeating: [:], count: resourceIndex.count)
            for (uri, index) in resourceIndex {
                for (name, location) in dynamicAnchorLocations[uri] ?? [:] {
                    anchors[index][name] = try compile(location)
                }
            }
        }
        return SchemaProgram(nodes: nodes, root: root, dynamicAnchors: anchors)
    }

    // MARK: - Indexing identifiers

    /// Registers every `$id`, `$anchor`, `$dynamicAnchor` and subschema pointer of a document.
    private mutating func index(document: JSONValue, base: String, dialect: Dialect, schemaPath: String) throws(SchemaCompileError) {
        var work: [Location] = [
            Location(value: document, base: base, resource: base, pointer: "", schemaPath: schemaPath, dialect: dialect)
        ]
        if indexedResources.contains(base) { return }
        indexedResources.insert(base)
        while var location = work.popLast() {
            guard case .object(let object) = location.value else {
                locations[location.resource + "#" + location.pointer] = location
                continue
            }
            location.dialect = try self.dialect(of: location.value, inherited: location.dialect, path: location.schemaPath)
            let outer = location
            var base = location.base
            var resource = location.resource
            var pointer = location.pointer
            if case .string(let id)? = object["$id"] {
                if location.dialect.legacy, id.hasPrefix("#") {
                    locations[SchemaURI.split(base).base + id] = location
                } else {
                    base = SchemaURI.split(SchemaURI.resolve(id, against: base)).base
                    resource = base
                    pointer = ""
                    indexedResources.insert(base)
                    locations[resource + "#"] = location
                }
            }
            locations[outer.resource + "#" + outer.pointer] = location
            locations[resource + "#" + pointer] = location
            if case .string(let anchor)? = object["$anchor"] { locations[resource + "#" + anchor] = location }
            if case .string(let anchor)? = object["$dynamicAnchor"] {
                locations[resource + "#" + anchor] = location
                dynamicAnchorLocations[resource, default: [:]][anchor] = location
            }
            func child(_ value: JSONValue, _ tokens: [String]) -> Location {
                let suffix = tokens.map { "/" + SchemaURI.escapeToken($0) }.joined()
                return Location(
                    value: value,
                    base: base,
                    resource: resource,
                    pointer: pointer + suffix,
                    schemaPath: location.schemaPath + suffix,
                    dialect: location.dialect
                )
            }
            for (keyword, value) in object {
                switch keyword {
                case "additionalProperties", "propertyNames", "contains", "not", "if", "then", "else",
                    "unevaluatedItems", "unevaluatedProperties", "additionalItems", "contentSchema":
                    work.append(child(value, [keyword]))
                case "items":
                    if case .array(let elements) = value {
                        for (i, element) in elements.enumerated() { work.append(child(element, [keyword, String(i)])) }
                    } else {
                        work.append(child(value, [keyword]))
                    }
                case "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies":
                    if case .object(let members) = value {
                        for (name, member) in members where member.object != nil || member.bool != nil {
                            work.append(child(member, [keyword, name]))
                        }
                    }
                case "allOf", "anyOf", "oneOf", "prefixItems":
                    if case .array(let elements) = value {
                        for (i, element) in elements.enumerated() { work.append(child(element, [keyword, String(i)])) }
                    }
                default: break
                }
            }
        }
    }

    private func dialect(of schema: JSONValue, inherited: Dialect, path: String) throws(SchemaCompileError) -> Dialect {
        guard case .string(let uri)? = schema["$schema"] else { return inherited }
        var dialect = inherited
        let plain = SchemaURI.split(uri).base
        if plain.contains("draft-07") || plain.contains("draft-06") || plain.contains("draft-04") {
            dialect.legacy = true
            return dialect
        }
        dialect.legacy = false
        if plain.hasPrefix("https://json-schema.org/draft/") { return dialect }
        // A custom metaschema: honour its $vocabulary for validation and format-assertion.
        if case .object(let vocabularies)? = documents[plain]?["$vocabulary"] {
            dialect.validation = vocabularies.keys.contains { $0.hasSuffix("/vocab/validation") }
            if vocabularies.keys.contains(where: { $0.hasSuffix("/vocab/format-assertion") }) {
                dialect.formatAssertion = true
            }
        }
        return dialect
    }

    // MARK: - Resolution

    private mutating func locate(_ uri: String, from path: String, keyword: String) throws(SchemaCompileError) -> Location {
        let (resource, fragment) = SchemaURI.split(uri)
        if !indexedResources.contains(resource) {
            guard let document = documents[resource] else {
                throw SchemaCompileError(
                    schemaPath: path + "/" + keyword,
                    message: "\(keyword) '\(uri)' does not resolve: no schema with that URI is known"
                )
            }
            let dialect = try self.dialect(of: document, inherited: Dialect(formatAssertion: options.formatAssertion), path: "")
            try index(document: document, base: resource, dialect: dialect, schemaPath: "")
        }
        if let location = locations[resource + "#" + fragment] { return location }
        // A pointer to a place that is not a known subschema position (e.g. under an unknown keyword).
        if let tokens = SchemaURI.pointerTokens(fragment), var location = locations[resource + "#"] {
            var value = location.value
            for token in tokens {
                switch value {
                case .object(let object) where object[token] != nil: value = object[token]!
                case .array(let array) where Int(token).map(array.indices.contains) == true: value = array[Int(token)!]
                default:
                    throw SchemaCompileError(
                        schemaPath: path + "/" + keyword,
                        message: "\(keyword) '\(uri)' does not resolve: JSON Pointer '\(fragment)' leads nowhere"
                    )
                }
            }
            location.value = value
            location.pointer = fragment
            location.schemaPath += fragment
            return location
        }
        throw SchemaCompileError(
            schemaPath: path + "/" + keyword,
            message: "\(keyword) '\(uri)' does not resolve: no anchor or subschema '\(fragment)' in '\(resource)'"
        )
    }

    // MARK: - Compiling nodes

    private mutating func compile(_ location: Location) throws(SchemaCompileError) -> Int {
        var base = location.base
        var resource = location.resource
        var pointer = location.pointer
        var dialect = location.dialect
        let path = location.schemaPath
        if case .object(let object) = location.value {
            dialect = try self.dialect(of: location.value, inherited: dialect, path: path)
            if case .string(let id)? = object["$id"], !(dialect.legacy && id.hasPrefix("#")) {
                base = SchemaURI.split(SchemaURI.resolve(id, against: base)).base
                resource = base
                pointer = ""
            }
        }
        let key = resource + "#" + pointer
        if let existing = memo[key] { return existing }
        guard location.depth < Self.maxDepth else {
            throw SchemaCompileError(schemaPath: path, message: "schema nesting exceeds \(Self.maxDepth) levels")
        }
        let node = SchemaNode(schemaPath: path)
        let index = nodes.count
        nodes.append(node)
        memo[key] = index
        if let existing = resourceIndex[resource] {
            node.resource = existing
        } else {
            node.resource = resourceIndex.count
            resourceIndex[resource] = node.resource
        }

        switch location.value {
        case .bool(let flag):
            node.alwaysFails = !flag
            node.isTrivial = flag
            return index
        case .object(let object):
            var context = NodeContext(
                object: object,
                base: base,
                resource: resource,
                pointer: pointer,
                path: path,
                dialect: dialect,
                depth: location.depth
            )
            try fill(node, &context)
            return index
        default:
            throw SchemaCompileError(
                schemaPath: path,
                message: "a schema must be an object or a boolean, got \(location.value.typeName)"
            )
        }
    }

    private struct NodeContext {
        let object: JSONObject
        let base: String
        let resource: String
        let pointer: String
        let path: String
        let dialect: Dialect
        let depth: Int
    }

    private mutating func sub(_ value: JSONValue, _ context: NodeContext, _ tokens: String...) throws(SchemaCompileError) -> Int {
        let suffix = tokens.map { "/" + SchemaURI.escapeToken($0) }.joined()
        return try compile(
            Location(
                value: value,
                base: context.base,
                resource: context.resource,
                pointer: context.pointer + suffix,
                schemaPath: context.path + suffix,
                dialect: context.dialect,
                depth: context.depth + 1
            )
        )
    }

    private mutating func fill(_ node: SchemaNode, _ c: inout NodeContext) throws(SchemaCompileError) {
        let object = c.object
        let path = c.path
        let dialect = c.dialect
        func fail(_ keyword: String, _ message: String) -> SchemaCompileError {
            SchemaCompileError(schemaPath: path + "/" + keyword, message: message)
        }
        func count(_ keyword: String) throws(SchemaCompileError) -> Int? {
            guard let value = object[keyword] else { return nil }
            guard case .number(let number) = value, number.isInteger, let int = number.int64Value, int >= 0 else {
                throw fail(keyword, "\(keyword) must be a non-negative integer, got \(value.jsonText)")
            }
            return Int(clamping: int)
        }
        func bound(_ keyword: String) throws(SchemaCompileError) -> NumericBound? {
            guard let value = object[keyword] else { return nil }
            guard case .number(let number) = value else {
                throw fail(keyword, "\(keyword) must be a number, got \(value.jsonText)")
            }
            return NumericBound(number)
        }
        func schemaArray(_ keyword: String) throws(SchemaCompileError) -> [JSONValue]? {
            guard let value = object[keyword] else { return nil }
            guard case .array(let elements) = value, !elements.isEmpty else {
                throw fail(keyword, "\(keyword) must be a non-empty array of schemas")
            }
            return elements
        }
        func regex(_ source: String, _ keyword: String) throws(SchemaCompileError) -> ECMARegex {
            do {
                return try ECMARegex(source)
            } catch {
                throw fail(keyword, "invalid regular expression '\(source)': \(error.message)")
            }
        }

        // $ref in draft-07 replaces its siblings.
        if dialect.legacy, case .string(let ref)? = object["$ref"] {
            let target = try locate(SchemaURI.resolve(ref, against: c.base), from: path, keyword: "$ref")
            node.ref = try compile(target)
            node.isTrivial = false
            node.hasApplicators = true
            return
        }

        // Core
        if let value = object["$ref"] {
            guard case .string(let ref) = value else { throw fail("$ref", "$ref must be a string") }
            let target = try locate(SchemaURI.resolve(ref, against: c.base), from: path, keyword: "$ref")
            node.ref = try compile(target)
        }
        if let value = object["$dynamicRef"] {
            guard case .string(let ref) = value else { throw fail("$dynamicRef", "$dynamicRef must be a string") }
            let uri = SchemaURI.resolve(ref, against: c.base)
            let target = try locate(uri, from: path, keyword: "$dynamicRef")
            let fragment = SchemaURI.split(uri).fragment
            var anchor: String?
            if SchemaURI.pointerTokens(fragment) == nil, target.value["$dynamicAnchor"]?.string == fragment {
                anchor = fragment
            }
            node.dynamicRef = (try compile(target), anchor)
        }

        // Validation vocabulary
        if dialect.validation {
            if let value = object["type"] {
                var mask = TypeMask()
                let names: [JSONValue]
                switch value {
                case .string: names = [value]
                case .array(let elements): names = elements
                default: throw fail("type", "type must be a type name or an array of type names, got \(value.jsonText)")
                }
                for name in names {
                    guard case .string(let text) = name, let type = TypeMask.named(text) else {
                        throw fail(
                            "type",
                            "unknown type \(name.jsonText) (expected null, boolean, integer, number, string, array or object)"
                        )
                    }
                    mask.insert(type)
                    node.typeNames.append(text)
                }
                node.types = mask
            }
            if let value = object["enum"] {
                guard case .array(let elements) = value else { throw fail("enum", "enum must be an array") }
                node.enumValues = elements
            }
            node.constValue = object["const"]
            node.minimum = try bound("minimum")
            node.maximum = try bound("maximum")
            node.exclusiveMinimum = try bound("exclusiveMinimum")
            node.exclusiveMaximum = try bound("exclusiveMaximum")
            node.multipleOf = try bound("multipleOf")
            if let multiple = node.multipleOf, multiple.exact.isZero || multiple.exact.negative {
                throw fail("multipleOf", "multipleOf must be greater than 0")
            }
            node.minLength = try count("minLength")
            node.maxLength = try count("maxLength")
            if let value = object["pattern"] {
                guard case .string(let source) = value else { throw fail("pattern", "pattern must be a string") }
                node.pattern = try regex(source, "pattern")
            }
            node.minItems = try count("minItems")
            node.maxItems = try count("maxItems")
            if let value = object["uniqueItems"] {
                guard case .bool(let flag) = value else { throw fail("uniqueItems", "uniqueItems must be a boolean") }
                node.uniqueItems = flag
            }
            node.minContains = try count("minContains")
            node.maxContains = try count("maxContains")
            node.minProperties = try count("minProperties")
            node.maxProperties = try count("maxProperties")
            if let value = object["required"] {
                guard case .array(let names) = value, let strings = Self.strings(names) else {
                    throw fail("required", "required must be an array of strings")
                }
                node.required = strings
            }
            if let value = object["dependentRequired"] {
                guard case .object(let members) = value else {
                    throw fail("dependentRequired", "dependentRequired must be an object")
                }
                for (name, list) in members {
                    guard case .array(let names) = list, let strings = Self.strings(names) else {
                        throw fail("dependentRequired", "dependentRequired/\(name) must be an array of strings")
                    }
                    node.dependentRequired.append((name, strings))
                }
            }
        }
        if let value = object["format"], case .string(let name) = value {
            node.formatName = name
            if dialect.formatAssertion { node.format = SchemaFormat(name: name) }
        }

        // Applicator vocabulary
        if let elements = try schemaArray("allOf") {
            for (i, element) in elements.enumerated() { node.allOf.append(try sub(element, c, "allOf", String(i))) }
        }
        if let elements = try schemaArray("anyOf") {
            for (i, element) in elements.enumerated() { node.anyOf.append(try sub(element, c, "anyOf", String(i))) }
        }
        if let elements = try schemaArray("oneOf") {
            for (i, element) in elements.enumerated() { node.oneOf.append(try sub(element, c, "oneOf", String(i))) }
        }
        if let value = object["not"] { node.not = try sub(value, c, "not") }
        if let value = object["if"] {
            node.ifNode = try sub(value, c, "if")
            if let then = object["then"] { node.thenNode = try sub(then, c, "then") }
            if let otherwise = object["else"] { node.elseNode = try sub(otherwise, c, "else") }
        }
        if let value = object["properties"] {
            guard case .object(let members) = value else { throw fail("properties", "properties must be an object") }
            for (name, schema) in members {
                let child = try sub(schema, c, "properties", name)
                node.propertyList.append((name, child))
                node.properties[name] = child
            }
        }
        if let value = object["patternProperties"] {
            guard case .object(let members) = value else {
                throw fail("patternProperties", "patternProperties must be an object")
            }
            for (source, schema) in members {
                let compiled = try regex(source, "patternProperties/" + SchemaURI.escapeToken(source))
                node.patternProperties.append((compiled, try sub(schema, c, "patternProperties", source)))
            }
        }
        if let value = object["additionalProperties"] { node.additionalProperties = try sub(value, c, "additionalProperties") }
        if let value = object["propertyNames"] { node.propertyNames = try sub(value, c, "propertyNames") }
        if let value = object["dependentSchemas"] {
            guard case .object(let members) = value else {
                throw fail("dependentSchemas", "dependentSchemas must be an object")
            }
            for (name, schema) in members { node.dependentSchemas.append((name, try sub(schema, c, "dependentSchemas", name))) }
        }
        if let value = object["dependencies"], dialect.legacy || object["dependentSchemas"] == nil {
            // draft-07's combined form; harmless in 2020-12 documents written the old way.
            if case .object(let members) = value {
                for (name, member) in members {
                    if case .array(let names) = member, let strings = Self.strings(names) {
                        node.dependentRequired.append((name, strings))
                    } else {
                        node.dependentSchemas.append((name, try sub(member, c, "dependencies", name)))
                    }
                }
            }
        }
        if let value = object["prefixItems"] {
            guard case .array(let elements) = value else { throw fail("prefixItems", "prefixItems must be an array") }
            for (i, element) in elements.enumerated() { node.prefixItems.append(try sub(element, c, "prefixItems", String(i))) }
        }
        if let value = object["items"] {
            if case .array(let elements) = value {
                // Array-form items (draft-07 and wild tool schemas) is what prefixItems became.
                node.prefixItems = []
                for (i, element) in elements.enumerated() { node.prefixItems.append(try sub(element, c, "items", String(i))) }
                if let additional = object["additionalItems"] { node.items = try sub(additional, c, "additionalItems") }
            } else if dialect.legacy, object["prefixItems"] == nil {
                node.items = try sub(value, c, "items")
            } else {
                node.items = try sub(value, c, "items")
            }
        }
        if let value = object["contains"] { node.contains = try sub(value, c, "contains") }
        if let value = object["unevaluatedProperties"], !dialect.legacy {
            node.unevaluatedProperties = try sub(value, c, "unevaluatedProperties")
        }
        if let value = object["unevaluatedItems"], !dialect.legacy {
            node.unevaluatedItems = try sub(value, c, "unevaluatedItems")
        }
        // Subschemas that are only reachable by $ref still need compiling errors reported up front.
        for keyword in ["$defs", "definitions"] {
            if case .object(let members)? = object[keyword] {
                for (name, schema) in members { _ = try sub(schema, c, keyword, name) }
            }
        }

        node.hasNumberKeywords =
            node.minimum != nil || node.maximum != nil || node.exclusiveMinimum != nil
            || node.exclusiveMaximum != nil || node.multipleOf != nil
        node.hasStringKeywords = node.minLength != nil || node.maxLength != nil || node.pattern != nil || node.format != nil
        node.hasArrayKeywords =
            node.minItems != nil || node.maxItems != nil || node.uniqueItems || !node.prefixItems.isEmpty
            || node.items != nil || node.contains != nil || node.unevaluatedItems != nil
        node.hasObjectKeywords =
            !node.propertyList.isEmpty || !node.patternProperties.isEmpty || node.additionalProperties != nil
            || node.propertyNames != nil || !node.required.isEmpty || node.minProperties != nil
            || node.maxProperties != nil || !node.dependentRequired.isEmpty || !node.dependentSchemas.isEmpty
            || node.unevaluatedProperties != nil
        node.hasApplicators =
            !node.allOf.isEmpty || !node.anyOf.isEmpty || !node.oneOf.isEmpty || node.not != nil
            || node.ifNode != nil || node.ref != nil || node.dynamicRef != nil
        node.isTrivial =
            !(node.types != nil || node.enumValues != nil || node.constValue != nil || node.hasNumberKeywords
            || node.hasStringKeywords || node.hasArrayKeywords || node.hasObjectKeywords || node.hasApplicators)
    }

    private static func strings(_ values: [JSONValue]) -> [String]? {
        var result: [String] = []
        for value in values {
            guard case .string(let text) = value else { return nil }
            result.append(text)
        }
        return result
    }
}
