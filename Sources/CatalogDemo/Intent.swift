import ToolRuntime

/// Keyword rules over one user message, German and English.
struct Intent {
    var skus: [String]
    var orderIDs: [String]
    var wantsOrder: Bool
    var wantsCancel: Bool
    var wantsDiscount: Bool
    var wantsStock: Bool
    var quantity: Int
    var maxPriceCents: Int64?
    var searchQuery: String?

    init(text: String) {
        let lower = text.lowercased()
        skus = Self.skus(in: text)
        orderIDs = Self.unique(text.uppercased().matches(of: /ORD-[0-9]{6}/).map { String($0.output) })
        wantsCancel = lower.contains(/\b(cancel\w*|storn\w*)\b/)
        // "order" is a verb only with an object ("order it", "order 2"); "my last order" is a noun.
        wantsOrder =
            !wantsCancel
            && (lower.contains(/\b(order|buy|purchase|get)\s+(it|one|that|this|them|the|two|three|[0-9]+)\b/)
                || lower.contains(/\bplace\s+(an|the|my|that)\s+order\b/) || lower.contains(/\bi'?ll take\b/)
                || lower.contains(/\b(bestelle|bestellen|bestell|kaufe|kaufen|nehme)\b/))
        wantsDiscount = lower.contains(
            /(discount|rabatt|with my|for me|mit meinem|mit meinen|für mich|mein preis|my price|tier|stufe)/
        )
        wantsStock = lower.contains(/(in stock|available|auf lager|verfügbar|lieferbar|stock|vorrätig)/)
        quantity = 1
        if let match = lower.firstMatch(of: /([0-9]+)\s*(x|×|stück|stk|pieces|pcs|units|mal)\b/), let count = Int(match.1) {
            quantity = min(max(count, 1), 20)
        } else if lower.contains(/\b(two|zwei)\b/) {
            quantity = 2
        } else if lower.contains(/\b(three|drei)\b/) {
            quantity = 3
        }
        if let match = lower.firstMatch(of: /(under|below|less than|up to|unter|bis|höchstens|max\.?)\s*€?\s*([0-9]+(?:[.,][0-9]{1,2})?)/) {
            maxPriceCents = Money.cents(fromDecimalText: String(String(match.2).map { $0 == "," ? "." : $0 }))
        }
        searchQuery = Self.searchQuery(in: lower)
    }

    static func skus(in text: String) -> [String] {
        unique(text.matches(of: /SKU-[A-Z0-9]+(?:-[A-Z0-9]+)*/).map { String($0.output) })
    }

    /// The words after a search phrase, up to a price phrase or the end of the sentence.
    static func searchQuery(in lower: String) -> String? {
        let trigger =
            /(search for|search|find me|find|looking for|look for|do you have|have you got|do you sell|suche nach|suche|ich suche|finde|habt ihr|haben sie|gibt es|verkauft ihr)\s+(.+)/
        guard let match = lower.firstMatch(of: trigger) else { return nil }
        let stop: Set<String> = [
            "a", "an", "the", "any", "some", "me", "please", "ein", "eine", "einen", "welche", "bitte", "noch", "mir",
            "für", "for", "nach",
        ]
        var kept: [String] = []
        for word in Self.words(String(match.2)) {
            if ["under", "below", "unter", "bis", "max", "less", "up", "höchstens", "in", "im", "auf", "on"].contains(word) {
                break
            }
            if !stop.contains(word), !word.allSatisfy({ $0.isNumber }) { kept.append(word) }
        }
        return kept.isEmpty ? nil : kept.joined(separator: " ")
    }

    /// Lowercased words (letters, digits and hyphens).
    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") }).map(String.init)
    }

    private static func unique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }
}

/// Integer cents in and out of wire amounts.
enum Money {
    /// `"89.99"` → 8999; `nil` for anything that is not a plain decimal with at most 2 places.
    static func cents(fromDecimalText text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0 else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = String((parts[1] + "00").prefix(2))
            guard parts[1].count <= 2 || parts[1].dropFirst(2).allSatisfy({ $0 == "0" }), let value = Int64(digits)
            else { return nil }
            fraction = value
        }
        let (total, overflow) = whole.multipliedReportingOverflow(by: 100)
        return overflow ? nil : total + fraction
    }

    /// An amount for a tool argument: integer cents when the schema says `integer`, otherwise a
    /// decimal number with two places (`89.99`), written from the cents exactly.
    static func amount(cents: Int64, schema: JSONValue?) -> JSONValue {
        if schema?["type"]?.string == "integer" { return .number(JSONNumber(cents)) }
        let text = "\(cents / 100).\(String(cents % 100).leftPadded(to: 2))"
        return .number(JSONNumber(lexeme: text) ?? JSONNumber(cents / 100))
    }

    /// `8999` → `89.99 €` (German) or `€89.99` (English).
    static func format(cents: Int64, language: Language) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let whole = String(magnitude / 100)
        let fraction = String(magnitude % 100).leftPadded(to: 2)
        switch language {
        case .german: return "\(sign)\(whole),\(fraction) €"
        case .english: return "\(sign)€\(whole).\(fraction)"
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
