import OrderedCollections

/// The fixed shape of an object built once per call (a tool message, a call item): its keys in order,
/// its constant members, and the members each object fills.
///
/// An object made from a template shares the template's key storage and allocates only its values,
/// where a literal allocates both and places each key in turn; for a trivial call, building its
/// follow-up messages that way cost more than validating, routing and running it.
///
/// ```swift
/// static let toolMessage = JSONObjectTemplate(["role": .constant("tool"), "tool_call_id": .fill, "content": .fill])
/// toolMessage.make(.string(call.id), .string(content))   // {"role":"tool","tool_call_id":…,"content":…}
/// ```
struct JSONObjectTemplate: Sendable {
    enum Member: Sendable {
        /// The same value in every object.
        case constant(JSONValue)
        /// Given to ``make(_:)``, in member order.
        case fill
    }

    private let prototype: OrderedDictionary<String, JSONValue>
    private let filled: [Int]

    /// - Precondition: The keys are distinct.
    init(_ members: KeyValuePairs<String, Member>) {
        prototype = OrderedDictionary(
            uniqueKeysWithValues: members.map { member in
                if case .constant(let value) = member.value { (member.key, value) } else { (member.key, JSONValue.null) }
            }
        )
        filled = members.indices.filter { if case .fill = members[$0].value { true } else { false } }
    }

    /// An object of the template's members, its `.fill` ones set to the values in order.
    ///
    /// One overload per count rather than a variadic parameter: the variadic array cost an allocation
    /// per object.
    ///
    /// - Precondition: As many values as `.fill` members.
    func make(_ first: JSONValue, _ second: JSONValue) -> JSONValue {
        precondition(filled.count == 2, "a template object needs one value per .fill member")
        var object = prototype
        object.values[filled[0]] = first
        object.values[filled[1]] = second
        return .object(JSONObject(object))
    }

    /// ``make(_:_:)`` for a template of three `.fill` members.
    func make(_ first: JSONValue, _ second: JSONValue, _ third: JSONValue) -> JSONValue {
        precondition(filled.count == 3, "a template object needs one value per .fill member")
        var object = prototype
        object.values[filled[0]] = first
        object.values[filled[1]] = second
        object.values[filled[2]] = third
        return .object(JSONObject(object))
    }
}
