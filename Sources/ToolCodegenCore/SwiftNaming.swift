/// Turns JSON names (`unit_price_cents`, `in-stock`, `2fa`, `default`) into Swift identifiers.
///
/// Deterministic: the same JSON name always gives the same Swift name, so regenerated code does
/// not churn. Words are split at every character that cannot appear in an identifier and at
/// `_`; camel humps already in the name are kept (`customerID` stays `customerID`).
enum SwiftNaming {
    /// `place_order` → `PlaceOrder`, `get-weather.v2` → `GetWeatherV2`, `2fa` → `_2fa`.
    static func upperCamel(_ name: String) -> String {
        let words = splitWords(name)
        var result = words.map { word in word.prefix(1).uppercased() + word.dropFirst() }.joined()
        if result.isEmpty { result = "Value" }
        return prefixIfLeadingDigit(result)
    }

    /// `unit_price_cents` → `unitPriceCents`, `SKU` → `sku`, `URLPath` → `urlPath`.
    static func lowerCamel(_ name: String) -> String {
        let words = splitWords(name)
        guard let first = words.first else { return "value" }
        // A later word in capitals (`IN_STOCK`) reads as a word, not as an acronym run: `inStock`.
        let rest = words.dropFirst().map { word in
            let body = word.count > 1 && word == word.uppercased() ? word.dropFirst().lowercased() : String(word.dropFirst())
            return word.prefix(1).uppercased() + body
        }
        return prefixIfLeadingDigit(lowercasedLeadingCapitals(first) + rest.joined())
    }

    /// A property or case name: lower camel case, with a `_` suffix on names Swift reserves.
    static func memberName(_ jsonName: String) -> String {
        let name = lowerCamel(jsonName)
        return reservedMemberNames.contains(name) ? name + "_" : name
    }

    /// The identifier as it must be written in a declaration or reference: keywords in backticks.
    static func escaped(_ identifier: String) -> String {
        keywords.contains(identifier) ? "`\(identifier)`" : identifier
    }

    /// Makes `candidate` differ from everything in `taken` by appending 2, 3, …, and records it.
    static func unique(_ candidate: String, in taken: inout Set<String>) -> String {
        var name = candidate
        var counter = 2
        while taken.contains(name) {
            name = "\(candidate)\(counter)"
            counter += 1
        }
        taken.insert(name)
        return name
    }

    /// A singular element name for an array property: `items` → `Item`, `addresses` → `Address`,
    /// `categories` → `Category`; names with no plural ending get an `Item` suffix.
    static func singular(_ typeName: String) -> String {
        for (suffix, replacement) in [("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh")]
        where typeName.hasSuffix(suffix) && typeName.count > suffix.count {
            return typeName.dropLast(suffix.count) + replacement
        }
        if typeName.hasSuffix("s"), !typeName.hasSuffix("ss"), typeName.count > 1 {
            return String(typeName.dropLast())
        }
        return typeName + "Item"
    }

    private static func splitWords(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in name.unicodeScalars {
            if isWordCharacter(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// ASCII letters and digits, plus any non-ASCII letter or digit (Swift accepts those); `_` and
    /// everything else separates words.
    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let byte = UInt8(scalar.value)
            return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        }
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType != nil
    }

    /// `SKU` → `sku`, `URLPath` → `urlPath`, `Name` → `name`.
    private static func lowercasedLeadingCapitals(_ word: String) -> String {
        let characters = Array(word)
        var leading = 0
        while leading < characters.count, characters[leading].isUppercase { leading += 1 }
        if leading == 0 { return word }
        if leading == characters.count { return word.lowercased() }
        // Keep the last capital of a run when a lowercase letter follows: it starts the next word.
        let lowered = leading > 1 ? leading - 1 : 1
        return String(characters[..<lowered]).lowercased() + String(characters[lowered...])
    }

    private static func prefixIfLeadingDigit(_ identifier: String) -> String {
        guard let first = identifier.unicodeScalars.first else { return identifier }
        return first.properties.numericType != nil ? "_" + identifier : identifier
    }

    /// Words that must be backticked when used as names. `self`, `Self`, `Type`, `Protocol` and
    /// `init` are in ``reservedMemberNames`` instead, because backticks do not make every use legal.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows",
        "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default",
        "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch",
        "where", "while", "Any", "as", "await", "false", "is", "nil", "super", "throws", "true", "try",
        "consume", "borrowing", "consuming", "copy", "discard", "each", "some", "any",
    ]

    /// Member names that mean something else even in backticks (`x.self`, `x.Type`, `x.init`);
    /// such a property or case gets a `_` suffix.
    static let reservedMemberNames: Set<String> = ["self", "Self", "Type", "Protocol", "init", "_"]

    /// Type names that would shadow a type the generated code refers to; such a nested type gets
    /// a `Value` suffix.
    static let reservedTypeNames: Set<String> = [
        "String", "Int", "Bool", "Double", "Decimal", "Array", "Dictionary", "Optional", "Equatable", "Decodable",
        "Encodable", "Codable", "Sendable", "CodingKey", "CodingKeys", "Decoder", "DecodingError", "Error",
        "Never", "Any", "Type", "Self", "Protocol", "Duration", "Swift", "ToolRuntime", "ToolArguments",
        "ToolSafety", "JSONValue", "JSONNumber", "CaseIterable", "Hashable", "RawRepresentable",
    ]
}
