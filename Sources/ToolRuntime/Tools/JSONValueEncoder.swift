import OrderedCollections

/// Encodes an `Encodable` value straight into a ``JSONValue`` (members in encoding order), so a
/// handler's result becomes a tool message without Foundation's encoder.
///
/// ```swift
/// let result = try JSONValueEncoder().encode(order)   // .object(["id": 42, "total_cents": 1999])
/// ```
public struct JSONValueEncoder: Sendable {
    public init() {}

    /// - Throws: `EncodingError` for a non-finite floating-point number or a value that encodes nothing.
    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        // A handler's result is most often a scalar, a string or a JSONValue: those need no tree.
        if let leaf = try leafValue(value, codingPath: []) { return leaf }
        let node = Node()
        try value.encode(to: ValueEncoder(node: node, codingPath: []))
        return try node.value(codingPath: [])
    }
}

/// The value of `value` when it is a JSON leaf the encoder writes directly (a ``JSONValue``, `String`,
/// `Bool`, `Int`, `Int64`, finite `Double`), `nil` for anything that must encode itself.
private func leafValue<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> JSONValue? {
    // The exact leaf types by metatype first: a compare each, where every failed `as?` below runs the
    // runtime's cast machinery (handlers are stored type-erased, so this is unspecialized code).
    if T.self == JSONValue.self { return value as? JSONValue }
    if T.self == String.self { return (value as? String).map(JSONValue.string) }
    if T.self == Int64.self { return (value as? Int64).map { .number(JSONNumber($0)) } }
    if T.self == Int.self { return (value as? Int).map { .number(JSONNumber($0)) } }
    if T.self == Bool.self { return (value as? Bool).map(JSONValue.bool) }
    // Anything else (an optional leaf, a Double that must be checked) as before.
    switch value {
    case let value as JSONValue: return value
    case let value as String: return .string(value)
    case let value as Bool: return .bool(value)
    case let value as Int: return .number(JSONNumber(value))
    case let value as Int64: return .number(JSONNumber(value))
    case let value as Double:
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                .init(codingPath: codingPath, debugDescription: "JSON has no \(value)")
            )
        }
        return .number(JSONNumber(value))
    default: return nil
    }
}

/// A value under construction. A class because nested containers write into their parent after the
/// parent's container has been handed out; it never leaves one `encode` call.
private final class Node {
    enum Storage {
        case empty
        case value(JSONValue)
        case object(OrderedDictionary<String, Node>)
        case array([Node])
    }
    var storage: Storage = .empty

    func value(codingPath: [any CodingKey]) throws -> JSONValue {
        switch storage {
        case .empty:
            throw EncodingError.invalidValue(
                (),
                .init(codingPath: codingPath, debugDescription: "the value encoded nothing")
            )
        case .value(let value): return value
        case .object(let members):
            var object = JSONObject()
            object.members.reserveCapacity(members.count)
            for (key, node) in members {
                object.members[key] = try node.value(codingPath: codingPath)
            }
            return .object(object)
        case .array(let nodes):
            return .array(try nodes.map { try $0.value(codingPath: codingPath) })
        }
    }

    func objectChild(_ key: String) -> Node {
        if case .object(var members) = storage {
            if let existing = members[key] { return existing }
            let child = Node()
            storage = .empty
            members[key] = child
            storage = .object(members)
            return child
        }
        let child = Node()
        storage = .object([key: child])
        return child
    }

    func arrayChild() -> Node {
        let child = Node()
        if case .array(var nodes) = storage {
            storage = .empty
            nodes.append(child)
            storage = .array(nodes)
        } else {
            storage = .array([child])
        }
        return child
    }

    func makeObject() { if case .object = storage {} else { storage = .object([:]) } }
    func makeArray() { if case .array = storage {} else { storage = .array([]) } }
}

private struct ValueEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedValueEncoder<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedValueEncoder(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }
}

private func encodeLeaf<T: Encodable>(_ value: T, into node: Node, codingPath: [any CodingKey]) throws {
    if let leaf = try leafValue(value, codingPath: codingPath) {
        node.storage = .value(leaf)
    } else {
        try value.encode(to: ValueEncoder(node: node, codingPath: codingPath))
    }
}

extension ValueEncoder: SingleValueEncodingContainer {
    func encodeNil() { node.storage = .value(.null) }
    func encode(_ value: Bool) { node.storage = .value(.bool(value)) }
    func encode(_ value: String) { node.storage = .value(.string(value)) }
    func encode(_ value: Double) throws { try encodeLeaf(value, into: node, codingPath: codingPath) }
    func encode(_ value: Float) throws { try encodeLeaf(Double(value), into: node, codingPath: codingPath) }
    func encode(_ value: Int) { node.storage = .value(.number(JSONNumber(value))) }
    func encode(_ value: Int8) { encodeInteger(value) }
    func encode(_ value: Int16) { encodeInteger(value) }
    func encode(_ value: Int32) { encodeInteger(value) }
    func encode(_ value: Int64) { node.storage = .value(.number(JSONNumber(value))) }
    func encode(_ value: UInt) { encodeInteger(value) }
    func encode(_ value: UInt8) { encodeInteger(value) }
    func encode(_ value: UInt16) { encodeInteger(value) }
    func encode(_ value: UInt32) { encodeInteger(value) }
    func encode(_ value: UInt64) { encodeInteger(value) }

    private func encodeInteger<I: FixedWidthInteger>(_ value: I) {
        // Every fixed-width integer's decimal text is a valid JSON number lexeme.
        node.storage = .value(.number(JSONNumber(lexeme: String(value)) ?? JSONNumber(0)))
    }

    func encode<T: Encodable>(_ value: T) throws { try encodeLeaf(value, into: node, codingPath: codingPath) }
}

private struct KeyedValueEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    func encodeNil(forKey key: Key) { node.objectChild(key.stringValue).storage = .value(.null) }

    func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encodeLeaf(value, into: node.objectChild(key.stringValue), codingPath: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        ValueEncoder(node: node.objectChild(key.stringValue), codingPath: codingPath + [key])
            .container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        ValueEncoder(node: node.objectChild(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superEncoder() -> any Encoder { ValueEncoder(node: node.objectChild("super"), codingPath: codingPath) }

    func superEncoder(forKey key: Key) -> any Encoder {
        ValueEncoder(node: node.objectChild(key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedValueEncoder: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    var count: Int {
        if case .array(let nodes) = node.storage { return nodes.count }
        return 0
    }

    func encodeNil() { node.arrayChild().storage = .value(.null) }

    func encode<T: Encodable>(_ value: T) throws {
        try encodeLeaf(value, into: node.arrayChild(), codingPath: codingPath)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        ValueEncoder(node: node.arrayChild(), codingPath: codingPath).container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        ValueEncoder(node: node.arrayChild(), codingPath: codingPath).unkeyedContainer()
    }

    func superEncoder() -> any Encoder { ValueEncoder(node: node.arrayChild(), codingPath: codingPath) }
}
