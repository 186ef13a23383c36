import OrderedCollections

/// JSON Schema equality for `enum`, `const` and `uniqueItems`: numbers by exact value (`1 == 1.0`),
/// strings by code points (Swift's `==` would also equate canonically equivalent strings such as
/// precomposed `é` and `e` + combining acute), objects regardless of member order, `true != 1`.
enum SchemaEquality {
    static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        // Equal code points imply Swift-equal, and Swift's == has fast paths for small ASCII strings.
        case (.string(let a), .string(let b)): return a == b && a.utf8.elementsEqual(b.utf8)
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            for i in a.indices where !equal(a[i], b[i]) { return false }
            return true
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a.members {
                guard let other = b[key], equal(value, other) else { return false }
            }
            return true
        default: return false
        }
    }

    static func contains(_ values: [JSONValue], _ value: JSONValue) -> Bool {
        for candidate in values where equal(candidate, value) { return true }
        return false
    }
}
