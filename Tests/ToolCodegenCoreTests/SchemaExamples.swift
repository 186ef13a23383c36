import ToolRuntime

/// Builds instances of a schema for round-trip tests: one with only the required members and one
/// with every member, using `const`, `enum`, `examples` and the numeric and length bounds it finds.
///
/// It does not solve every schema (a `pattern` without `examples`, say); the round trip keeps only
/// the instances the validator accepts and checks that each one decodes.
enum SchemaExamples {
    static func instances(of schema: JSONValue) -> [JSONValue] {
        [example(of: schema, full: false, root: schema), example(of: schema, full: true, root: schema)]
    }

    static func example(of schema: JSONValue, full: Bool, root: JSONValue, depth: Int = 0) -> JSONValue {
        guard case .object(let object) = schema, depth < 8 else { return .null }
        if let reference = object["$ref"]?.string, reference.hasPrefix("#/") {
            var target: JSONValue? = root
            for token in reference.dropFirst(2).split(separator: "/") { target = target?[String(token)] }
            return example(of: target ?? true, full: full, root: root, depth: depth + 1)
        }
        if let value = object["const"] { return value }
        if let values = object["enum"]?.array, let value = full ? values.last : values.first { return value }
        if let value = object["examples"]?.array?.first { return value }
        for keyword in ["oneOf", "anyOf"] {
            if let branches = object[keyword]?.array, let branch = full ? branches.last : branches.first {
                return example(of: branch, full: full, root: root, depth: depth + 1)
            }
        }
        var type = object["type"]?.string ?? object["type"]?.array?.first(where: { $0.string != "null" })?.string
        if type == nil, object["properties"] != nil { type = "object" }
        switch type {
        case "object":
            var result = JSONObject()
            let required = Set(object["required"]?.array?.compactMap(\.string) ?? [])
            for key in object["properties"]?.object?.keys ?? [] where full || required.contains(key) {
                result[key] = example(of: object["properties"]?[key] ?? true, full: full, root: root, depth: depth + 1)
            }
            return .object(result)
        case "array":
            let minimum = Int(object["minItems"]?.number?.int64Value ?? 0)
            let count = max(minimum, full ? 1 : 0)
            let element = example(of: object["items"] ?? true, full: full, root: root, depth: depth + 1)
            return .array(Array(repeating: element, count: count))
        case "string":
            if let pattern = object["pattern"]?.string, let text = shortestMatch(of: pattern) { return .string(text) }
            let length = Int(object["minLength"]?.number?.int64Value ?? 1)
            return .string(String(repeating: "x", count: max(length, 1)))
        case "integer", "number":
            var value: Int64 = full ? 7 : 1
            if let minimum = object["minimum"]?.number?.int64Value { value = max(value, minimum) }
            if let maximum = object["maximum"]?.number?.int64Value { value = min(value, maximum) }
            if type == "number", full { return .number(JSONNumber(lexeme: "\(value).25") ?? JSONNumber(value)) }
            return .number(JSONNumber(value))
        case "boolean": return .bool(full)
        default: return .null
        }
    }

    /// The shortest text matching an anchored pattern made of literals, `\\d` and `[classes]` with
    /// `{n}`, `{n,m}`, `?`, `*` or `+` (`^ORD-[0-9]{6}$` → `ORD-000000`); `nil` for anything else.
    static func shortestMatch(of pattern: String) -> String? {
        var characters = Array(pattern)
        guard characters.first == "^", characters.last == "$" else { return nil }
        characters = Array(characters.dropFirst().dropLast())
        var result = ""
        var index = 0
        while index < characters.count {
            var atom: Character
            switch characters[index] {
            case "[":
                guard let close = characters[index...].firstIndex(of: "]"), close > index + 1 else { return nil }
                atom = characters[index + 1]
                index = close + 1
            case "\\":
                guard index + 1 < characters.count else { return nil }
                atom = characters[index + 1] == "d" ? "0" : characters[index + 1]
                index += 2
            case "(", ")", "|", ".", "^", "$": return nil
            default:
                atom = characters[index]
                index += 1
            }
            var count = 1
            if index < characters.count {
                switch characters[index] {
                case "?", "*":
                    count = 0
                    index += 1
                case "+": index += 1
                case "{":
                    guard let close = characters[index...].firstIndex(of: "}") else { return nil }
                    let bounds = String(characters[(index + 1)..<close]).split(separator: ",")
                    guard let minimum = bounds.first.flatMap({ Int($0) }) else { return nil }
                    count = minimum
                    index = close + 1
                default: break
                }
            }
            result += String(repeating: String(atom), count: count)
        }
        return result
    }
}
