public import OrderedCollections

/// The members of a JSON object, in the order they arrived.
///
/// Lookup is O(1). A repeated key keeps its first position and its last value, as most parsers
/// do. Equality and hashing ignore member order, because `{"a":1,"b":2}` and `{"b":2,"a":1}`
/// are the same JSON object.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public var members: OrderedDictionary<String, JSONValue>

    public init() { members = [:] }

    public init(_ members: OrderedDictionary<String, JSONValue>) { self.members = members }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = [:]
        for (key, value) in elements { members[key] = value }
    }

    public subscript(key: String) -> JSONValue? {
        get { members[key] }
        set { members[key] = newValue }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    /// The keys in arrival order.
    public var keys: [String] { members.keys.elements }

    public func makeIterator() -> OrderedDictionary<String, JSONValue>.Iterator { members.makeIterator() }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (key, value) in lhs.members {
            guard let other = rhs.members[key], other == value else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-insensitive: combine the members' hashes commutatively.
        var combined = 0
        for (key, value) in members {
            var member = Hasher()
            member.combine(key)
            member.combine(value)
            combined = combined &+ member.finalize()
        }
        hasher.combine(members.count)
        hasher.combine(combined)
    }
}
