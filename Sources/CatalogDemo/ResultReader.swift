import ToolRuntime

/// Reads facts out of a tool result without depending on its exact shape: the first member with
/// one of the given names, searched breadth-first, so `{"product":{"price_cents":…}}` and
/// `{"price_cents":…}` both answer.
struct ResultReader {
    let value: JSONValue

    init(_ value: JSONValue) { self.value = value }

    /// The error object of an error result (`{"error":{…}}`), if this is one.
    var error: JSONValue? {
        guard let error = value["error"], !error.isNull else { return nil }
        return error
    }

    var errorMessage: String? {
        guard let error else { return nil }
        return error["message"]?.string ?? error.string ?? error["type"]?.string ?? error.jsonText
    }

    var priceCents: Int64? { cents("unit_price_cents", "price_cents", "priceCents", "unit_price", "price") }

    func member(_ names: [String]) -> JSONValue? {
        var queue: [JSONValue] = [value]
        var next = 0
        while next < queue.count {
            let current = queue[next]
            next += 1
            if let object = current.object {
                for name in names { if let found = object[name], !found.isNull { return found } }
                for key in object.keys { if let member = object[key] { queue.append(member) } }
            } else if let array = current.array {
                queue.append(contentsOf: array)
            }
        }
        return nil
    }

    func string(_ names: String...) -> String? {
        guard let found = member(names) else { return nil }
        return found.string ?? found.number?.lexeme
    }

    func int(_ names: String...) -> Int64? {
        guard let found = member(names) else { return nil }
        return found.number?.int64Value ?? found.string.flatMap { Int64($0) }
    }

    func bool(_ names: String...) -> Bool? { member(names)?.bool }

    /// An amount in cents: members named `…cents`/`…Cents` hold cents; others hold a decimal
    /// amount (`89.99`, or a text like `"89.99 €"`).
    func cents(_ names: String...) -> Int64? {
        for name in names {
            guard let found = member([name]) else { continue }
            if name.lowercased().hasSuffix("cents") {
                if let cents = found.number?.int64Value { return cents }
                continue
            }
            if let number = found.number, let cents = Money.cents(fromDecimalText: number.lexeme) { return cents }
            if let text = found.string {
                let digits = String(text.filter { $0.isNumber || $0 == "." || $0 == "," }.map { $0 == "," ? "." : $0 })
                if let cents = Money.cents(fromDecimalText: digits) { return cents }
            }
        }
        return nil
    }

    var items: [JSONValue] {
        member(["products", "results", "items"])?.array ?? value.array ?? []
    }
}
