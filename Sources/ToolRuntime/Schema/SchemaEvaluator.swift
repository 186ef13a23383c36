import OrderedCollections

/// What in-place applicators evaluated at one instance location, for `unevaluated*`.
struct Annotations {
    var properties: Set<String> = []
    var allProperties = false
    /// Items `0..<itemPrefix` were evaluated.
    var itemPrefix = 0
    var allItems = false
    var itemIndices: Set<Int> = []

    mutating func merge(_ other: Annotations) {
        if other.allProperties { allProperties = true } else if !other.properties.isEmpty { properties.formUnion(other.properties) }
        if other.allItems { allItems = true }
        if other.itemPrefix > itemPrefix { itemPrefix = other.itemPrefix }
        if !other.itemIndices.isEmpty { itemIndices.formUnion(other.itemIndices) }
    }

    func isEvaluated(item index: Int) -> Bool { allItems || index < itemPrefix || itemIndices.contains(index) }
    func isEvaluated(property key: String) -> Bool { allProperties || properties.contains(key) }
}

/// One step of an instance path; rendered as a JSON Pointer only when an error is reported.
enum PathToken {
    case key(String)
    case index(Int)
}

/// Walks a ``JSONValue`` through the compiled nodes.
///
/// Two modes in one: when `collecting`, every violation is recorded (up to `cap`) with its path;
/// otherwise the first violation ends the walk (used for the branches of `anyOf`, `oneOf`, `not`,
/// `if`, `contains`, and for a plain yes/no answer).
struct SchemaEvaluator {
    let nodes: [SchemaNode]
    let program: SchemaProgram
    var errors: [ValidationError] = []
    var collecting: Bool
    let cap: Int
    var path: [PathToken] = []
    var scope: [Int] = []
    let tracksScope: Bool

    init(program: SchemaProgram, collecting: Bool, cap: Int = 100) {
        self.program = program
        self.nodes = program.nodes
        self.collecting = collecting
        self.cap = cap
        self.tracksScope = program.usesDynamicScope
    }

    var instancePointer: String {
        var out = ""
        for token in path {
            out.append("/")
            switch token {
            case .key(let key): out.append(SchemaURI.escapeToken(key))
            case .index(let index): out.append(String(index))
            }
        }
        return out
    }

    /// Records a violation; returns whether the walk should go on.
    private mutating func report(_ node: SchemaNode, _ keyword: String, _ message: String, at token: PathToken? = nil) -> Bool {
        guard collecting else { return false }
        if let token { path.append(token) }
        errors.append(
            ValidationError(
                instancePath: instancePointer,
                keyword: keyword,
                schemaPath: node.schemaPath + "/" + keyword,
                message: message
            )
        )
        if token != nil { path.removeLast() }
        if errors.count >= cap { collecting = false }
        return collecting
    }

    /// Evaluates a branch silently: its errors are not the instance's errors.
    private mutating func silently(_ index: Int, _ value: JSONValue, _ annotations: inout Annotations?) -> Bool {
        let saved = collecting
        collecting = false
        defer { collecting = saved }
        return evaluate(index, value, &annotations)
    }

    private mutating func child(_ index: Int, _ value: JSONValue, _ token: PathToken) -> Bool {
        var none: Annotations? = nil
        if !collecting { return evaluate(index, value, &none) }
        path.append(token)
        defer { path.removeLast() }
        return evaluate(index, value, &none)
    }

    /// Evaluates node `index` against `value`; adds to `annotations` (when non-nil) what the node
    /// evaluated, provided it passed.
    mutating func evaluate(_ index: Int, _ value: JSONValue, _ annotations: inout Annotations?) -> Bool {
        let node = nodes[index]
        if node.isTrivial { return true }
        if node.alwaysFails { return report(node, "false", "no value is allowed here") && false }
        if tracksScope {
            let entered = scope.last != node.resource
            if entered { scope.append(node.resource) }
            defer { if entered { scope.removeLast() } }
            return evaluateKeywords(node, value, &annotations)
        }
        return evaluateKeywords(node, value, &annotations)
    }

    private mutating func evaluateKeywords(_ node: SchemaNode, _ value: JSONValue, _ annotations: inout Annotations?) -> Bool {
        var local: Annotations? = (annotations != nil || node.usesAnnotations) ? Annotations() : nil
        var valid = true

        if let types = node.types, !types.admits(value) {
            valid = false
            guard report(node, "type", "must be \(Self.typeList(node.typeNames)), got \(Self.describe(value))") else { return false }
        }
        if let options = node.enumValues, !SchemaEquality.contains(options, value) {
            valid = false
            guard report(node, "enum", "must be one of \(Self.list(options)), got \(Self.describe(value))") else { return false }
        }
        if let constant = node.constValue, !SchemaEquality.equal(constant, value) {
            valid = false
            guard report(node, "const", "must be \(constant.jsonText), got \(Self.describe(value))") else { return false }
        }

        switch value {
        case .number(let number) where node.hasNumberKeywords:
            if !checkNumber(node, number) {
                valid = false
                if !collecting { return false }
            }
        case .string(let string) where node.hasStringKeywords:
            if !checkString(node, string) {
                valid = false
                if !collecting { return false }
            }
        case .array(let array) where node.hasArrayKeywords:
            if !checkArray(node, array, &local) {
                valid = false
                if !collecting { return false }
            }
        case .object(let object) where node.hasObjectKeywords:
            if !checkObject(node, object, &local) {
                valid = false
                if !collecting { return false }
            }
        default: break
        }

        if node.hasApplicators {
            if !applyInPlace(node, value, &local) {
                valid = false
                if !collecting { return false }
            }
        }

        if node.usesAnnotations, var evaluated = local {
            if case .object(let object) = value, let unevaluated = node.unevaluatedProperties {
                for (key, member) in object where !evaluated.isEvaluated(property: key) {
                    if nodes[unevaluated].alwaysFails {
                        valid = false
                        guard report(node, "unevaluatedProperties", "property '\(key)' is not allowed", at: .key(key)) else {
                            return false
                        }
                    } else if !child(unevaluated, member, .key(key)) {
                        valid = false
                        if !collecting { return false }
                    }
                    evaluated.properties.insert(key)
                }
            }
            if case .array(let array) = value, let unevaluated = node.unevaluatedItems {
                for (i, element) in array.enumerated() where !evaluated.isEvaluated(item: i) {
                    if nodes[unevaluated].alwaysFails {
                        valid = false
                        guard report(node, "unevaluatedItems", "item \(i) is not allowed", at: .index(i)) else { return false }
                    } else if !child(unevaluated, element, .index(i)) {
                        valid = false
                        if !collecting { return false }
                    }
                }
                evaluated.allItems = true
            }
            local = evaluated
        }

        if valid, annotations != nil, let local { annotations!.merge(local) }
        return valid
    }

    // MARK: - In-place applicators

    private mutating func applyInPlace(_ node: SchemaNode, _ value: JSONValue, _ local: inout Annotations?) -> Bool {
        var valid = true
        let wantsAnnotations = local != nil
        func fresh() -> Annotations? { wantsAnnotations ? Annotations() : nil }

        if let ref = node.ref {
            var sub = fresh()
            if evaluate(ref, value, &sub) {
                if let sub { local!.merge(sub) }
            } else {
                valid = false
                if !collecting { return false }
            }
        }
        if let (initial, anchor) = node.dynamicRef {
            var target = initial
            if let anchor {
                for resource in scope {
                    if let found = program.dynamicAnchors[resource][anchor] {
                        target = found
                        break
                    }
                }
            }
            var sub = fresh()
            if evaluate(target, value, &sub) {
                if let sub { local!.merge(sub) }
            } else {
                valid = false
                if !collecting { return false }
            }
        }
        for member in node.allOf {
            var sub = fresh()
            if evaluate(member, value, &sub) {
                if let sub { local!.merge(sub) }
            } else {
                valid = false
                if !collecting { return false }
            }
        }
        if !node.anyOf.isEmpty {
            var matched = false
            for member in node.anyOf {
                var sub = fresh()
                if silently(member, value, &sub) {
                    matched = true
                    if let sub { local!.merge(sub) } else { break }
                }
            }
            if !matched {
                valid = false
                guard report(node, "anyOf", anyOfMessage(node.anyOf, value)) else { return false }
            }
        }
        if !node.oneOf.isEmpty {
            var matches: [Int] = []
            var merged = fresh()
            for (i, member) in node.oneOf.enumerated() {
                var sub = fresh()
                if silently(member, value, &sub) {
                    matches.append(i)
                    if let sub { merged!.merge(sub) }
                    if matches.count > 1 && !wantsAnnotations { break }
                }
            }
            if matches.count == 1 {
                if let merged { local!.merge(merged) }
            } else {
                valid = false
                let message =
                    matches.isEmpty
                    ? anyOfMessage(node.oneOf, value).replacingOccurrences("at least one", with: "exactly one")
                    : "must match exactly one schema in oneOf, but matches \(matches.count) (#\(matches[0]) and #\(matches[1]))"
                guard report(node, "oneOf", message) else { return false }
            }
        }
        if let negated = node.not {
            var none: Annotations? = nil
            if silently(negated, value, &none) {
                valid = false
                guard report(node, "not", "must not match the schema in 'not', got \(Self.describe(value))") else { return false }
            }
        }
        if let condition = node.ifNode {
            var sub = fresh()
            if silently(condition, value, &sub) {
                if let sub { local!.merge(sub) }
                if let then = node.thenNode {
                    var thenSub = fresh()
                    if evaluate(then, value, &thenSub) {
                        if let thenSub { local!.merge(thenSub) }
                    } else {
                        valid = false
                        if !collecting { return false }
                    }
                }
            } else if let otherwise = node.elseNode {
                var elseSub = fresh()
                if evaluate(otherwise, value, &elseSub) {
                    if let elseSub { local!.merge(elseSub) }
                } else {
                    valid = false
                    if !collecting { return false }
                }
            }
        }
        return valid
    }

    /// `anyOf` of plain types reads better as "must be string or null".
    private mutating func anyOfMessage(_ members: [Int], _ value: JSONValue) -> String {
        var names: [String] = []
        for member in members {
            let node = nodes[member]
            guard let _ = node.types, !node.typeNames.isEmpty else {
                return "must match at least one of the \(members.count) schemas in anyOf, got \(Self.describe(value))"
            }
            names.append(contentsOf: node.typeNames)
        }
        return "must be \(Self.typeList(names)), got \(Self.describe(value))"
    }

    // MARK: - Numbers

    private mutating func checkNumber(_ node: SchemaNode, _ number: JSONNumber) -> Bool {
        var valid = true
        let value = FastNumber(number)
        if let bound = node.minimum, value.compare(to: bound) < 0 {
            valid = false
            guard report(node, "minimum", "must be >= \(bound.lexeme), got \(number.lexeme)") else { return false }
        }
        if let bound = node.maximum, value.compare(to: bound) > 0 {
            valid = false
            guard report(node, "maximum", "must be <= \(bound.lexeme), got \(number.lexeme)") else { return false }
        }
        if let bound = node.exclusiveMinimum, value.compare(to: bound) <= 0 {
            valid = false
            guard report(node, "exclusiveMinimum", "must be > \(bound.lexeme), got \(number.lexeme)") else { return false }
        }
        if let bound = node.exclusiveMaximum, value.compare(to: bound) >= 0 {
            valid = false
            guard report(node, "exclusiveMaximum", "must be < \(bound.lexeme), got \(number.lexeme)") else { return false }
        }
        if let divisor = node.multipleOf, !ExactArithmetic.isMultiple(number, of: divisor) {
            valid = false
            guard report(node, "multipleOf", "must be a multiple of \(divisor.lexeme), got \(number.lexeme)") else {
                return false
            }
        }
        return valid
    }

    // MARK: - Strings

    private mutating func checkString(_ node: SchemaNode, _ string: String) -> Bool {
        var valid = true
        if node.minLength != nil || node.maxLength != nil, !Self.lengthSurelyFits(string, node) {
            let length = Self.scalarCount(string)
            if let limit = node.minLength, length < limit {
                valid = false
                guard report(node, "minLength", "must be at least \(Self.plural(limit, "character")) long, got \(length)") else {
                    return false
                }
            }
            if let limit = node.maxLength, length > limit {
                valid = false
                guard report(node, "maxLength", "must be at most \(Self.plural(limit, "character")) long, got \(length)") else {
                    return false
                }
            }
        }
        if let pattern = node.pattern, !pattern.search(string) {
            valid = false
            guard report(node, "pattern", "must match the pattern \(pattern.source.jsonQuoted), got \(string.jsonQuoted)") else {
                return false
            }
        }
        if let format = node.format, !format.accepts(string) {
            valid = false
            guard report(node, "format", "must be a valid \(node.formatName ?? "value"), got \(string.jsonQuoted)") else {
                return false
            }
        }
        return valid
    }

    /// A string has between utf8.count / 4 and utf8.count code points: most strings are decided
    /// without counting.
    @inline(__always)
    static func lengthSurelyFits(_ string: String, _ node: SchemaNode) -> Bool {
        let bytes = string.utf8.count
        if let limit = node.maxLength, bytes > limit { return false }
        if let limit = node.minLength, bytes / 4 < limit { return false }
        return true
    }

    static func scalarCount(_ string: String) -> Int {
        var count = 0
        for byte in string.utf8 where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    // MARK: - Arrays

    private mutating func checkArray(_ node: SchemaNode, _ array: [JSONValue], _ local: inout Annotations?) -> Bool {
        var valid = true
        if let limit = node.minItems, array.count < limit {
            valid = false
            guard report(node, "minItems", "must have at least \(Self.plural(limit, "item")), got \(array.count)") else {
                return false
            }
        }
        if let limit = node.maxItems, array.count > limit {
            valid = false
            guard report(node, "maxItems", "must have at most \(Self.plural(limit, "item")), got \(array.count)") else {
                return false
            }
        }
        if node.uniqueItems, let (first, second) = Self.duplicate(in: array) {
            valid = false
            guard report(node, "uniqueItems", "must have unique items, but items \(first) and \(second) are equal") else {
                return false
            }
        }
        let prefixCount = min(node.prefixItems.count, array.count)
        for i in 0..<prefixCount where !child(node.prefixItems[i], array[i], .index(i)) {
            valid = false
            if !collecting { return false }
        }
        if local != nil, prefixCount > 0 { local!.itemPrefix = max(local!.itemPrefix, prefixCount) }
        if let items = node.items {
            if node.prefixItems.count < array.count {
                if nodes[items].alwaysFails {
                    valid = false
                    guard
                        report(
                            node,
                            "items",
                            "must have at most \(Self.plural(node.prefixItems.count, "item")), got \(array.count)"
                        )
                    else { return false }
                } else {
                    for i in node.prefixItems.count..<array.count where !child(items, array[i], .index(i)) {
                        valid = false
                        if !collecting { return false }
                    }
                }
            }
            if local != nil { local!.allItems = true }
        }
        if let contains = node.contains {
            var matches = 0
            for (i, element) in array.enumerated() {
                var none: Annotations? = nil
                if silently(contains, element, &none) {
                    matches += 1
                    if local != nil { local!.itemIndices.insert(i) }
                }
            }
            let minimum = node.minContains ?? 1
            if matches < minimum {
                valid = false
                let message =
                    minimum == 1
                    ? "must contain at least one item matching 'contains'"
                    : "must contain at least \(minimum) items matching 'contains', got \(matches)"
                guard report(node, minimum == 1 && node.minContains == nil ? "contains" : "minContains", message) else {
                    return false
                }
            }
            if let maximum = node.maxContains, matches > maximum {
                valid = false
                guard report(node, "maxContains", "must contain at most \(maximum) items matching 'contains', got \(matches)")
                else { return false }
            }
        }
        return valid
    }

    static func duplicate(in array: [JSONValue]) -> (Int, Int)? {
        if array.count < 2 { return nil }
        if array.count <= 16 {
            for i in 0..<array.count {
                for j in (i + 1)..<array.count where SchemaEquality.equal(array[i], array[j]) { return (i, j) }
            }
            return nil
        }
        // Values equal by code points are equal for Swift too, so Swift's hash buckets them.
        var seen: [JSONValue: [Int]] = [:]
        for (i, element) in array.enumerated() {
            for first in seen[element, default: []] where SchemaEquality.equal(array[first], element) { return (first, i) }
            seen[element, default: []].append(i)
        }
        return nil
    }

    // MARK: - Objects

    private mutating func checkObject(_ node: SchemaNode, _ object: JSONObject, _ local: inout Annotations?) -> Bool {
        var valid = true
        for name in node.required where object[name] == nil {
            valid = false
            guard report(node, "required", "missing required property '\(name)'") else { return false }
        }
        if let limit = node.minProperties, object.count < limit {
            valid = false
            guard report(node, "minProperties", "must have at least \(Self.plural(limit, "property")), got \(object.count)")
            else { return false }
        }
        if let limit = node.maxProperties, object.count > limit {
            valid = false
            guard report(node, "maxProperties", "must have at most \(Self.plural(limit, "property")), got \(object.count)")
            else { return false }
        }
        for (name, required) in node.dependentRequired where object[name] != nil {
            for other in required where object[other] == nil {
                valid = false
                guard report(node, "dependentRequired", "missing property '\(other)', required when '\(name)' is present")
                else { return false }
            }
        }
        let tracks = local != nil
        let hasMemberKeywords =
            !node.properties.isEmpty || !node.patternProperties.isEmpty || node.additionalProperties != nil
            || node.propertyNames != nil
        if hasMemberKeywords {
            for (key, member) in object {
                if let names = node.propertyNames {
                    var none: Annotations? = nil
                    if !silently(names, .string(key), &none) {
                        valid = false
                        guard report(node, "propertyNames", "property name '\(key)' is not allowed by propertyNames") else {
                            return false
                        }
                    }
                }
                var matched = false
                if let property = node.property(named: key) {
                    matched = true
                    if nodes[property].alwaysFails {
                        valid = false
                        guard report(node, "properties", "property '\(key)' is not allowed", at: .key(key)) else { return false }
                    } else if !child(property, member, .key(key)) {
                        valid = false
                        if !collecting { return false }
                    }
                }
                for (regex, property) in node.patternProperties where regex.search(key) {
                    matched = true
                    if !child(property, member, .key(key)) {
                        valid = false
                        if !collecting { return false }
                    }
                }
                if !matched, let additional = node.additionalProperties {
                    matched = true
                    if nodes[additional].alwaysFails {
                        valid = false
                        guard report(node, "additionalProperties", "property '\(key)' is not allowed", at: .key(key)) else {
                            return false
                        }
                    } else if !child(additional, member, .key(key)) {
                        valid = false
                        if !collecting { return false }
                    }
                }
                if tracks, matched { local!.properties.insert(key) }
            }
        }
        for (name, dependent) in node.dependentSchemas where object[name] != nil {
            var sub: Annotations? = tracks ? Annotations() : nil
            if evaluate(dependent, .object(object), &sub) {
                if let sub { local!.merge(sub) }
            } else {
                valid = false
                if !collecting { return false }
            }
        }
        return valid
    }

    // MARK: - Words

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return number.lexeme
        case .string(let string):
            return string.unicodeScalars.count > 60
                ? String(String.UnicodeScalarView(string.unicodeScalars.prefix(57))).jsonQuoted + "… (a string)"
                : string.jsonQuoted
        case .array(let array): return "an array of \(plural(array.count, "item"))"
        case .object(let object): return "an object with \(plural(object.count, "property"))"
        }
    }

    static func typeList(_ names: [String]) -> String {
        let words = names.map { $0 == "array" || $0 == "object" || $0 == "integer" ? "an \($0)" : "a \($0)" }
            .map { $0 == "a null" ? "null" : $0 }
        if words.count <= 1 { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " or " + words.last!
    }

    static func list(_ values: [JSONValue]) -> String {
        let shown = values.prefix(10).map(\.jsonText).joined(separator: ", ")
        return values.count > 10 ? shown + ", … (\(values.count) values)" : shown
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        if count == 1 { return "1 \(noun)" }
        return noun.hasSuffix("y") ? "\(count) \(noun.dropLast())ies" : "\(count) \(noun)s"
    }
}

extension String {
    var jsonQuoted: String {
        var out = ""
        JSONValue.writeString(self, to: &out)
        return out
    }
}
