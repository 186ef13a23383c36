/// `JSONValue` is itself `Codable`, so a handler can return one (or a struct holding one) and an
/// arguments type can keep a free-form member as a ``JSONValue``.
extension JSONValue: Codable {
    /// Decoding through ``JSONValueDecoder`` is an identity; this path is only for foreign decoders,
    /// which hide the value's type, so it probes kinds in turn (and loses number lexemes to `Double`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let number = try? container.decode(Double.self) {
            self = .number(JSONNumber(number))
        } else if let elements = try? container.decode([JSONValue].self) {
            self = .array(elements)
        } else {
            let members = try container.decode([String: JSONValue].self)
            var object = JSONObject()
            for key in members.keys.sorted() { object[key] = members[key] }
            self = .object(object)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .string(let text): try container.encode(text)
        case .number(let number):
            if let integer = number.int64Value {
                try container.encode(integer)
            } else {
                try container.encode(number.doubleValue)
            }
        case .array(let elements): try container.encode(elements)
        case .object(let object):
            try container.encode(Dictionary(uniqueKeysWithValues: object.members.map { ($0.key, $0.value) }))
        }
    }
}
