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

    /// An object of the template's members, the `.fill` ones set to `values` in order.
    ///
    /// - Precondition: As many values as `.fill` members.
    func make(_ values: JSONValue...) -> JSONValue {
        precondition(values.count == filled.count, "a template object needs one value per .fill member")
        var object = prototype
        for (position, value) in zip(filled, values) { object.values[position] = value }
        return .object(JSONObject(object))
    }
}
