import OrderedCollections

extension JSONObject {
    /// An object of members whose keys are distinct by construction (literal keys in the code that builds a
    /// message): allocated once at its final size, without the lookup per member and the regrowth of a
    /// dictionary literal, which cost more than the rest of a trivial call's follow-up message.
    /// Debug builds check the keys are distinct.
    init(distinct members: KeyValuePairs<String, JSONValue>) {
        self.init(OrderedDictionary(uncheckedUniqueKeysWithValues: members))
    }
}

extension JSONValue {
    /// ``JSONObject/init(distinct:)`` as a value.
    static func object(distinct members: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(JSONObject(distinct: members))
    }
}
