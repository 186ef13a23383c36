public import ToolRuntime

extension CatalogError: ModelFacingError {
    public var modelErrorType: String { code.rawValue }
    public var modelMessage: String { message }
}

/// The edge where money becomes text: results keep every `…_cents` integer and gain a formatted
/// sibling without the suffix (`"price_cents": 8999` → `"price": "89,99 €"` or `"€89.99"`), so the
/// model can quote prices without doing arithmetic on them.
enum ToolResult {
    static func render(_ value: some Encodable, language: CatalogLanguage) throws -> JSONValue {
        addFormattedMoney(try JSONValueEncoder().encode(value), language: language)
    }

    static func addFormattedMoney(_ value: JSONValue, language: CatalogLanguage) -> JSONValue {
        switch value {
        case .array(let elements):
            return .array(elements.map { addFormattedMoney($0, language: language) })
        case .object(let object):
            var result = JSONObject()
            for key in object.keys {
                guard let member = object[key] else { continue }
                result[key] = addFormattedMoney(member, language: language)
                if key.hasSuffix("_cents"), case .number(let number) = member, let cents = number.int64Value,
                    number.isInteger
                {
                    result[String(key.dropLast("_cents".count))] = .string(language.formatPrice(cents: cents))
                }
            }
            return .object(result)
        default:
            return value
        }
    }
}

extension CatalogLanguage {
    /// An amount of euro cents as text: `89,99 €` in German, `€89.99` in English. Exact (integer
    /// arithmetic only); for display at the edge, never for computing.
    public func formatPrice(cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        let units = String(magnitude / 100)
        var grouped = ""
        for (index, digit) in units.enumerated() {
            if index > 0, (units.count - index) % 3 == 0 { grouped.append(self == .de ? "." : ",") }
            grouped.append(digit)
        }
        let twoDigits = fraction < 10 ? "0\(fraction)" : "\(fraction)"
        return self == .de ? "\(sign)\(grouped),\(twoDigits) €" : "\(sign)€\(grouped).\(twoDigits)"
    }
}
