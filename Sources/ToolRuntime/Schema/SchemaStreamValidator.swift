/// Validates arguments while they stream: fed the events of an ``IncrementalJSONParser``, it
/// reports the first violation as soon as it is certain, before the value is complete.
///
/// Decided early, at the event that settles them: a value of the wrong type (at its first byte),
/// a key that `additionalProperties: false` (or a `false` property schema) forbids, too many
/// properties or items, a string already longer than `maxLength`, a string whose prefix no `enum`
/// or `const` string starts with, a finished scalar that fails its schema, a closing object
/// missing a `required` key, too few items or properties at the close. Only subschemas that apply
/// unconditionally are checked early (reached through `properties`, `items`, `allOf`, `$ref`);
/// `anyOf`, `oneOf`, `not`, `if`, `unevaluated*`, `uniqueItems`, `contains` wait for the end.
/// The final verdict is ``JSONSchema/validate(_:)`` of the finished value, so it is the same as
/// validating the whole value, and an early violation is always among its reasons to fail.
///
/// ```swift
/// var parser = IncrementalJSONParser()
/// var stream = SchemaStreamValidator(schema: schema)
/// try parser.feed(#"{"tier":"platinum""#, events: &stream)
/// stream.violation  // /tier: must be one of "standard", "silver", "gold", got "platinum"
/// ```
public struct SchemaStreamValidator: JSONEventSink, Sendable {
    public let schema: JSONSchema
    /// The first violation seen so far, if any. Once set it does not change.
    public private(set) var violation: ValidationError?

    private let program: SchemaProgram
    private let enabled: Bool
    private var path: [PathToken] = []
    private var frames: [Frame] = []
    /// Nodes of the value whose first event comes next (set by a key or computed for an item).
    private var scalarNodes: [Int] = []
    private var stringLength = 0
    private var stringText = ""
    private var stringTracksText = false
    private var started = false

    private struct Frame {
        var nodes: [Int]
        var isObject: Bool
        var count = 0
        var keys: Set<String> = []
        var tracksKeys = false
        var childNodes: [Int] = []
    }

    public init(schema: JSONSchema) {
        self.schema = schema
        program = schema.program
        // $dynamicRef depends on the path taken to a node; early checks skip such schemas.
        enabled = !program.usesDynamicScope
    }

    /// The verdict on the finished value (the value ``IncrementalJSONParser/finish()`` returned).
    public func finish(_ value: JSONValue) -> [ValidationError] { schema.validate(value) }

    public mutating func receive(_ event: JSONEvent) {
        guard enabled, violation == nil else { return }
        switch event {
        case .objectStart: startValue(kind: .object)
        case .arrayStart: startValue(kind: .array)
        case .stringStart: startValue(kind: .string)
        case .numberStart: startValue(kind: .number)
        case .literalStart(let literal): startValue(kind: literal.isNull ? .null : .boolean)
        case .key(let key): receiveKey(key)
        case .stringFragment(let text): receiveFragment(text)
        case .stringEnd(let text): endScalar(.string(text))
        case .number(let number): endScalar(.number(number))
        case .literal(let literal): endScalar(literal)
        case .objectEnd: endContainer()
        case .arrayEnd: endContainer()
        }
    }

    // MARK: - Values

    private mutating func startValue(kind: TypeMask) {
        var nodes: [Int]
        if !started {
            started = true
            nodes = expand([program.root])
        } else if let parent = frames.last {
            if parent.isObject {
                nodes = parent.childNodes
            } else {
                nodes = itemNodes(parent.nodes, index: parent.count)
                frames[frames.count - 1].count += 1
                path.append(.index(parent.count))
                for index in parent.nodes {
                    let node = program.nodes[index]
                    if let limit = node.maxItems, parent.count + 1 > limit {
                        return fail(node, "maxItems", "must have at most \(SchemaEvaluator.plural(limit, "item"))")
                    }
                }
            }
        } else {
            return
        }
        for index in nodes {
            let node = program.nodes[index]
            if node.alwaysFails { return fail(node, "false", "no value is allowed here") }
            if let types = node.types, !Self.admits(types, kind) {
                return fail(node, "type", "must be \(SchemaEvaluator.typeList(node.typeNames)), got \(Self.article(kind))")
            }
            if let options = node.enumValues, !options.contains(where: { Self.kind(of: $0).isSubset(of: kind) }) {
                return fail(node, "enum", "must be one of \(SchemaEvaluator.list(options)), got \(Self.article(kind))")
            }
            if let constant = node.constValue, !Self.kind(of: constant).isSubset(of: kind) {
                return fail(node, "const", "must be \(constant.jsonText), got \(Self.article(kind))")
            }
        }
        switch kind {
        case .object:
            let tracks = nodes.contains { !program.nodes[$0].required.isEmpty || !program.nodes[$0].dependentRequired.isEmpty }
            frames.append(Frame(nodes: nodes, isObject: true, tracksKeys: tracks))
        case .array:
            frames.append(Frame(nodes: nodes, isObject: false))
        case .string:
            scalarNodes = nodes
            stringLength = 0
            stringText = ""
            stringTracksText = nodes.contains {
                program.nodes[$0].enumValues != nil || program.nodes[$0].constValue != nil
            }
        default:
            scalarNodes = nodes
        }
    }

    private mutating func receiveFragment(_ text: String) {
        stringLength += SchemaEvaluator.scalarCount(text)
        if stringTracksText { stringText += text }
        for index in scalarNodes {
            let node = program.nodes[index]
            if let limit = node.maxLength, stringLength > limit {
                return fail(node, "maxLength", "must be at most \(SchemaEvaluator.plural(limit, "character")) long, got more")
            }
            if stringTracksText {
                var candidates: [JSONValue] = node.enumValues ?? []
                if let constant = node.constValue { candidates.append(constant) }
                if node.enumValues != nil || node.constValue != nil,
                    !candidates.contains(where: { $0.string?.utf8.starts(with: stringText.utf8) ?? false })
                {
                    let keyword = node.enumValues != nil ? "enum" : "const"
                    let expected =
                        node.enumValues.map { "one of \(SchemaEvaluator.list($0))" } ?? (node.constValue?.jsonText ?? "")
                    return fail(node, keyword, "must be \(expected), got a string starting \(stringText.jsonQuoted)")
                }
            }
        }
    }

    /// A finished scalar is fully decided by its nodes.
    private mutating func endScalar(_ value: JSONValue) {
        defer { finishValue() }
        for index in scalarNodes where !program.nodes[index].isTrivial {
            var evaluator = SchemaEvaluator(program: program, collecting: true, cap: 1)
            evaluator.path = path
            var none: Annotations? = nil
            if !evaluator.evaluate(index, value, &none), let first = evaluator.errors.first {
                violation = first
                return
            }
        }
        scalarNodes = []
    }

    private mutating func endContainer() {
        guard let frame = frames.popLast() else { return }
        defer { finishValue() }
        for index in frame.nodes {
            let node = program.nodes[index]
            if frame.isObject {
                for name in node.required where !frame.keys.contains(name) {
                    return fail(node, "required", "missing required property '\(name)'")
                }
                for (name, required) in node.dependentRequired where frame.keys.contains(name) {
                    for other in required where !frame.keys.contains(other) {
                        return fail(node, "dependentRequired", "missing property '\(other)', required when '\(name)' is present")
                    }
                }
                if let limit = node.minProperties, frame.count < limit {
                    return fail(
                        node,
                        "minProperties",
                        "must have at least \(SchemaEvaluator.plural(limit, "property")), got \(frame.count)"
                    )
                }
            } else if let limit = node.minItems, frame.count < limit {
                return fail(node, "minItems", "must have at least \(SchemaEvaluator.plural(limit, "item")), got \(frame.count)")
            }
        }
    }

    /// The value at the top of `path` is complete: step out of it.
    private mutating func finishValue() {
        if !frames.isEmpty, !path.isEmpty { path.removeLast() }
    }

    // MARK: - Objects and arrays

    private mutating func receiveKey(_ key: String) {
        guard var frame = frames.popLast() else { return }
        defer { frames.append(frame) }
        frame.count += 1
        if frame.tracksKeys { frame.keys.insert(key) }
        path.append(.key(key))
        var children: [Int] = []
        for index in frame.nodes {
            let node = program.nodes[index]
            if let limit = node.maxProperties, frame.count > limit {
                return fail(node, "maxProperties", "must have at most \(SchemaEvaluator.plural(limit, "property"))")
            }
            if let names = node.propertyNames {
                var evaluator = SchemaEvaluator(program: program, collecting: false)
                var none: Annotations? = nil
                if !evaluator.evaluate(names, .string(key), &none) {
                    return fail(node, "propertyNames", "property name '\(key)' is not allowed by propertyNames")
                }
            }
            var matched = false
            if let property = node.properties[key] {
                matched = true
                if program.nodes[property].alwaysFails {
                    return fail(node, "properties", "property '\(key)' is not allowed")
                }
                children.append(property)
            }
            for (regex, property) in node.patternProperties where regex.search(key) {
                matched = true
                children.append(property)
            }
            if !matched, let additional = node.additionalProperties {
                if program.nodes[additional].alwaysFails {
                    return fail(node, "additionalProperties", "property '\(key)' is not allowed")
                }
                children.append(additional)
            }
        }
        frame.childNodes = expand(children)
    }

    private func itemNodes(_ nodes: [Int], index: Int) -> [Int] {
        var children: [Int] = []
        for parent in nodes {
            let node = program.nodes[parent]
            if index < node.prefixItems.count {
                children.append(node.prefixItems[index])
            } else if let items = node.items {
                children.append(items)
            }
        }
        return expand(children)
    }

    /// The nodes that apply unconditionally wherever `roots` apply: through `$ref` and `allOf`.
    private func expand(_ roots: [Int]) -> [Int] {
        var result: [Int] = []
        var work = roots
        while let index = work.popLast() {
            if result.contains(index) { continue }
            let node = program.nodes[index]
            if node.isTrivial { continue }
            result.append(index)
            if let ref = node.ref { work.append(ref) }
            work.append(contentsOf: node.allOf.reversed())
        }
        return result
    }

    private mutating func fail(_ node: SchemaNode, _ keyword: String, _ message: String) {
        var evaluator = SchemaEvaluator(program: program, collecting: false)
        evaluator.path = path
        violation = ValidationError(
            instancePath: evaluator.instancePointer,
            keyword: keyword,
            schemaPath: node.schemaPath + "/" + keyword,
            message: message
        )
    }

    // MARK: - Kinds

    private static func admits(_ types: TypeMask, _ kind: TypeMask) -> Bool {
        if kind == .number { return types.contains(.number) || types.contains(.integer) }
        return types.contains(kind)
    }

    private static func kind(of value: JSONValue) -> TypeMask {
        switch value {
        case .null: .null
        case .bool: .boolean
        case .number: .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }

    private static func article(_ kind: TypeMask) -> String {
        switch kind {
        case .null: "null"
        case .boolean: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        default: "an object"
        }
    }
}
