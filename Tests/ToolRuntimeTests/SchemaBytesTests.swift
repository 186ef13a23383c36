import OrderedCollections
import Testing

@testable import ToolRuntime

/// The byte walk (``JSONSchema/validate(json:limits:)-(UnsafeRawBufferPointer,_)``) against the
/// tree path it shortcuts: same verdict, same errors, same parse error, on the official suite,
/// the workload traps, and randomized and mutated tool-call arguments.
struct SchemaBytesTests {
    /// Two tool schemas of the benchmark workloads (`gen_workload.py`), copied here.
    static let placeOrder = #"""
        {"type": "object", "properties": {"customer_id": {"type": "string", "minLength": 1}, "items": {"type": "array",
        "minItems": 1, "items": {"type": "object", "properties": {"product_id": {"type": "string", "minLength": 1},
        "quantity": {"type": "integer", "minimum": 1}}, "required": ["product_id", "quantity"],
        "additionalProperties": false}}, "shipping_address": {"type": "object", "properties": {"name": {"type":
        "string", "minLength": 1}, "street": {"type": "string", "minLength": 1}, "city": {"type": "string",
        "minLength": 1}, "postal_code": {"type": "string", "minLength": 3, "maxLength": 10}, "country": {"type":
        "string", "pattern": "^[A-Z]{2}$"}}, "required": ["name", "street", "city", "postal_code", "country"],
        "additionalProperties": false}, "gift_message": {"type": "string", "maxLength": 40}, "delivery_notes":
        {"type": "string"}}, "required": ["customer_id", "items", "shipping_address"], "additionalProperties": false}
        """#
    static let syncCart = #"""
        {"type": "object", "properties": {"cart_id": {"type": "string", "pattern": "^CART-[0-9A-F]{8}$"}, "items":
        {"type": "array", "minItems": 1, "items": {"type": "object", "properties": {"product_id": {"type": "string",
        "minLength": 1}, "title": {"type": "string"}, "quantity": {"type": "integer", "minimum": 1}, "unit_price":
        {"type": "number", "minimum": 0}, "currency": {"type": "string", "enum": ["EUR", "USD", "CHF", "SEK"]},
        "attributes": {"type": "object", "additionalProperties": {"type": "string"}}}, "required": ["product_id",
        "quantity", "unit_price", "currency"], "additionalProperties": false}}}, "required": ["cart_id", "items"],
        "additionalProperties": false}
        """#
    static let searchProducts = #"""
        {"type": "object", "properties": {"query": {"type": "string", "minLength": 1}, "category": {"type": "string",
        "enum": ["electronics", "clothing", "home", "garden", "toys", "books", "sports", "beauty"]}, "max_price":
        {"type": "number", "exclusiveMinimum": 0}, "limit": {"type": "integer", "minimum": 1, "maximum": 50},
        "order_id": {"type": "string", "pattern": "^ORD-[0-9]{6}$"}, "tier": {"enum": ["standard", "gold", 1, null]},
        "price": {"type": "number", "multipleOf": 0.01}, "count": {"const": 2}, "short": {"type": "string",
        "maxLength": 2}}, "required": ["query"], "additionalProperties": false}
        """#
    /// Keywords the walk leaves to the tree, mixed with ones it decides, and a `$ref`.
    static let mixed = #"""
        {"$defs": {"sku": {"type": "string", "pattern": "^SKU-"}}, "type": "object",
         "properties": {"sku": {"$ref": "#/$defs/sku"}, "tags": {"type": "array", "uniqueItems": true},
           "pick": {"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 3}]},
           "both": {"allOf": [{"minimum": 2}, {"multipleOf": 2}]}, "flag": {"not": {"const": false}},
           "meta": {"type": "object", "minProperties": 1, "maxProperties": 2, "dependentRequired": {"a": ["b"]},
             "patternProperties": {"^x-": {"type": "integer"}}}},
         "required": ["sku"]}
        """#

    static let schemas = [placeOrder, syncCart, searchProducts, mixed]

    // MARK: - Helpers

    /// The byte path must agree with parse + tree validation in every respect, and the walk alone
    /// may only ever accept what the tree accepts.
    static func expectSame(
        _ schema: JSONSchema,
        _ bytes: [UInt8],
        limits: JSONLimits = .default,
        _ comment: @autoclosure () -> String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let tree = Result { () throws(JSONParseError) in try JSONParser.parse(bytes, limits: limits) }.map {
            schema.validate($0)
        }
        let fromBytes = Result { () throws(JSONParseError) in try schema.validate(json: bytes, limits: limits) }
        let text = String(decoding: bytes.prefix(300), as: UTF8.self)
        #expect(fromBytes == tree, "\(comment()) \(text)", sourceLocation: sourceLocation)
        #expect(schema.isValid(json: bytes, limits: limits) == (tree == .success([])), "\(comment()) \(text)", sourceLocation: sourceLocation)
        let surely = bytes.withUnsafeBytes { schema.isSurelyValidFromBytes($0, limits: limits) }
        if surely {
            #expect(tree == .success([]), "byte walk accepted an instance the tree rejects: \(comment()) \(text)", sourceLocation: sourceLocation)
        }
    }

    static func surely(_ schema: JSONSchema, _ text: String) -> Bool {
        Array(text.utf8).withUnsafeBytes { schema.isSurelyValidFromBytes($0) }
    }

    /// JSON text with the writer's choices made at random: whitespace, escaped characters
    /// (`\uXXXX`, surrogate pairs for astral ones, `\/`), and a repeated key now and then.
    struct Writer {
        var random: SeededGenerator
        var whitespace = false
        var escapes = false
        var duplicates = false

        mutating func text(_ value: JSONValue) -> [UInt8] {
            var out: [UInt8] = []
            write(value, &out)
            return out
        }

        private mutating func space(_ out: inout [UInt8]) {
            guard whitespace, Bool.random(using: &random) else { return }
            out.append([0x20, 0x0A, 0x09, 0x0D].randomElement(using: &random)!)
        }

        private mutating func write(_ value: JSONValue, _ out: inout [UInt8]) {
            space(&out)
            switch value {
            case .null, .bool, .number: out.append(contentsOf: value.jsonText.utf8)
            case .string(let string): writeString(string, &out)
            case .array(let elements):
                out.append(UInt8(ascii: "["))
                for (i, element) in elements.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    write(element, &out)
                }
                space(&out)
                out.append(UInt8(ascii: "]"))
            case .object(let object):
                out.append(UInt8(ascii: "{"))
                var first = true
                for (key, member) in object {
                    let copies = duplicates && Int.random(in: 0..<6, using: &random) == 0 ? 2 : 1
                    for _ in 0..<copies {
                        if !first { out.append(UInt8(ascii: ",")) }
                        first = false
                        space(&out)
                        writeString(key, &out)
                        space(&out)
                        out.append(UInt8(ascii: ":"))
                        write(member, &out)
                    }
                }
                space(&out)
                out.append(UInt8(ascii: "}"))
            }
            space(&out)
        }

        private mutating func writeString(_ string: String, _ out: inout [UInt8]) {
            guard escapes else {
                out.append(contentsOf: JSONValue.string(string).jsonText.utf8)
                return
            }
            out.append(UInt8(ascii: "\""))
            for scalar in string.unicodeScalars {
                let plain = scalar.value >= 0x20 && scalar != "\"" && scalar != "\\"
                if plain && (scalar.value < 0x80 && Int.random(in: 0..<4, using: &random) != 0) {
                    out.append(UInt8(scalar.value))
                } else if scalar == "/" || scalar == "\"" || scalar == "\\" {
                    out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(scalar.value)])
                } else if scalar.value >= 0x10000 {
                    let v = scalar.value - 0x10000
                    out.append(contentsOf: Self.unit(0xD800 + (v >> 10)) + Self.unit(0xDC00 + (v & 0x3FF)))
                } else if plain && Bool.random(using: &random) {
                    out.append(contentsOf: String(scalar).utf8)
                } else {
                    out.append(contentsOf: Self.unit(scalar.value))
                }
            }
            out.append(UInt8(ascii: "\""))
        }

        static func unit(_ value: UInt32) -> [UInt8] {
            let hex = String(value, radix: 16)
            return Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
        }
    }

    /// Instances shaped by a schema (its properties, required names and items), with values drawn
    /// from pools full of the traps: so some are valid and many are invalid in one keyword.
    struct InstanceMaker {
        var random: SeededGenerator

        static let strings = [
            "x", "", "SKU-1", "ORD-123456", "ORD-123456\n", "ORD-12345", "CART-0123ABCD", "CART-0123abcd", "DE", "de",
            "EUR", "USD", "gold", "standard", "home", "Müller", "e\u{301}", "\u{1F600}", "👍🏽", "ab", "abc", "a\"b\\c/",
            "tab\there", "Straße 12", "12345", "123456789012", "ÅÅ", "K",
        ]
        static let numbers = [
            "0", "1", "2", "-1", "2.0", "1.5", "50", "51", "0.5", "1e2", "1E400", "-0", "89.99", "0.01", "1e-2",
            "12345678901234567890", "-12345678901234567890", "3.0000000000000000001", "100", "0.0",
        ]

        mutating func scalar() -> JSONValue {
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<5: .string(Self.strings.randomElement(using: &random)!)
            case 5..<8: .number(JSONNumber(lexeme: Self.numbers.randomElement(using: &random)!)!)
            case 8: .bool(Bool.random(using: &random))
            default: .null
            }
        }

        /// A value meant to pass `schema`'s scalar keywords (most of the time), or a trap.
        mutating func fitting(_ schema: JSONValue) -> JSONValue {
            if Int.random(in: 0..<6, using: &random) == 0 { return scalar() }
            if let options = schema["enum"]?.array { return options.randomElement(using: &random)! }
            if let constant = schema["const"] { return constant }
            func digits(_ count: Int, _ alphabet: String) -> String {
                String((0..<count).map { _ in alphabet.randomElement(using: &random)! })
            }
            switch schema["type"]?.string {
            case "string"?:
                switch schema["pattern"]?.string {
                case "^ORD-[0-9]{6}$"?: return .string("ORD-" + digits(6, "0123456789"))
                case "^CART-[0-9A-F]{8}$"?: return .string("CART-" + digits(8, "0123456789ABCDEF"))
                case "^[A-Z]{2}$"?: return .string(digits(2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
                case "^SKU-"?: return .string("SKU-" + digits(4, "0123456789"))
                default: break
                }
                let minimum = schema["minLength"]?.number?.int64Value ?? 0
                let maximum = schema["maxLength"]?.number?.int64Value ?? 1000
                let fits = Self.strings.filter { (minimum...maximum).contains(Int64($0.unicodeScalars.count)) }
                return .string(fits.randomElement(using: &random) ?? "abc")
            case "integer"?:
                let minimum = schema["minimum"]?.number?.int64Value ?? -5
                let maximum = schema["maximum"]?.number?.int64Value ?? minimum + 100
                let value = Int64.random(in: minimum...maximum, using: &random)
                return .number(JSONNumber(lexeme: Bool.random(using: &random) ? "\(value)" : "\(value).0")!)
            case "number"?:
                let cents = Int.random(in: 1...100_000, using: &random)
                return .number(JSONNumber(lexeme: "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)")!)
            case "boolean"?: return .bool(Bool.random(using: &random))
            default: return scalar()
            }
        }

        mutating func instance(_ schema: JSONValue, depth: Int = 0) -> JSONValue {
            if let target = schema["$ref"]?.string, target.hasPrefix("#/$defs/") {
                return .string("SKU-" + String(Int.random(in: 0..<100, using: &random)))
            }
            let type = schema["type"]?.string
            if Int.random(in: 0..<40, using: &random) == 0 || depth > 6 { return depth > 6 ? scalar() : randomAny(depth) }
            switch type {
            case "object"?:
                var members: [(String, JSONValue)] = []
                let required = Set((schema["required"]?.array ?? []).compactMap(\.string))
                for (name, sub) in schema["properties"]?.object ?? [:] {
                    let keep = required.contains(name) ? Int.random(in: 0..<40, using: &random) != 0 : Bool.random(using: &random)
                    if keep { members.append((name, instance(sub, depth: depth + 1))) }
                }
                if schema["properties"] == nil || Int.random(in: 0..<30, using: &random) == 0 {
                    let key = ["extra", "x-1", "a", "b", "Größe", "colour"].randomElement(using: &random)!
                    members.append((key, Bool.random(using: &random) ? .string("v") : scalar()))
                }
                members.shuffle(using: &random)
                var object = JSONObject()
                for (key, value) in members { object[key] = value }
                return .object(object)
            case "array"?:
                let count = Int.random(in: 0..<5, using: &random)
                return .array((0..<count).map { _ in instance(schema["items"] ?? [:], depth: depth + 1) })
            default:
                return fitting(schema)
            }
        }

        mutating func randomAny(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<4, using: &random) {
            case 0: .array([scalar(), scalar()])
            case 1: .object(["a": scalar()])
            default: scalar()
            }
        }
    }

    // MARK: - The official suite

    @Test(
        "bytes verdict equals tree verdict on the official suite",
        .enabled(if: SchemaSuiteLocation.isPresent, "../shared/json-schema-test-suite is absent (set TOOLRUNTIME_SHARED)"),
        arguments: SchemaSuiteLocation.files
    )
    func suiteFile(_ file: String) async throws {
        let suite = try #require(SchemaSuiteLocation.suite)
        var writer = Writer(random: SeededGenerator(seed: UInt64(file.utf8.count)))
        for test in try suite.cases(in: file) {
            await Task.yield()
            let options = JSONSchema.Options(formatAssertion: test.formatAssertion, documents: suite.remotes)
            guard let schema = try? JSONSchema(compiling: test.schema, options: options) else { continue }
            let name = "\(file): \(test.group) / \(test.description)"
            Self.expectSame(schema, Array(test.data.jsonText.utf8), name)
            writer.whitespace = true
            writer.escapes = true
            writer.duplicates = false
            Self.expectSame(schema, writer.text(test.data), name + " (escaped, spaced)")
            writer.duplicates = true
            Self.expectSame(schema, writer.text(test.data), name + " (repeated keys)")
        }
    }

    // MARK: - Traps of the workloads

    @Test func workloadTraps() throws {
        let schema = try JSONSchema(compilingText: Self.searchProducts)
        let cases: [(String, Bool)] = [
            (#"{"query":"q","limit":true}"#, false),  // a boolean is never an integer
            (#"{"query":"q","limit":2.0}"#, true),  // 2.0 is an integer
            (#"{"query":"q","limit":1e1}"#, true),
            (#"{"query":"q","limit":1.5}"#, false),
            (#"{"query":"q","limit":51}"#, false),
            (#"{"query":"q","order_id":"ORD-123456"}"#, true),
            (#"{"query":"q","order_id":"ORD-123456\n"}"#, false),  // `$` is the end of input only
            (#"{"query":"q","short":"e\u0301"}"#, true),  // 2 code points, 1 grapheme
            ("{\"query\":\"q\",\"short\":\"e\u{301}x\"}", false),  // 3 code points, 2 graphemes
            ("{\"query\":\"q\",\"short\":\"\u{1F600}\u{1F600}\"}", true),  // astral: 1 code point each
            (#"{"query":"q","short":"\uD83D\uDE00\uD83D\uDE00"}"#, true),
            (#"{"query":"q","short":"\uD83D\uDE00ab"}"#, false),
            (#"{"query":"q","short":"\uDBFF\uDFFF\uD7FF"}"#, true),  // U+10FFFF, U+D7FF: 2 code points
            (#"{"query":"q","short":"\uD7FF\uD7FF\uD7FF"}"#, false),
            (#"{"query":"q","short":"\n\t"}"#, true),
            (#"{"query":"q","short":"\\\"x"}"#, false),
            (#"{"query":"\u0000"}"#, true),
            (#"{"query":""}"#, false),
            ("{\"query\":\"q\",\"short\":\"👍🏽\"}", true),  // 1 grapheme, 2 code points
            ("{\"query\":\"q\",\"short\":\"🇩🇪x\"}", false),
            (#"{"query":"q","price":89.99}"#, true),  // exact multipleOf
            (#"{"query":"q","price":89.999}"#, false),
            (#"{"query":"q","price":1e400}"#, true),
            (#"{"query":"q","max_price":0}"#, false),
            (#"{"query":"q","max_price":0.0000000000000000000001}"#, true),
            (#"{"query":"q","tier":1.0}"#, true),  // enum compares numbers by value
            (#"{"query":"q","tier":true}"#, false),
            (#"{"query":"q","tier":null}"#, true),
            (#"{"query":"q","count":2.00}"#, true),
            (#"{"query":"q","query":"r"}"#, true),  // a repeated key: the tree keeps the last
            (#"{"query":"q","query":""}"#, false),
            (#"{"qu\u0065ry":"q"}"#, true),  // an escaped key equals its plain form
            (#"{"category":"home"}"#, false),
            (#"{"query":"q","category":"hom\u0065"}"#, true),
            (#"{"query":"q","category":"Home"}"#, false),
        ]
        for (text, valid) in cases {
            let bytes = Array(text.utf8)
            Self.expectSame(schema, bytes)
            #expect((try schema.validate(json: bytes)).isEmpty == valid, "\(text)")
        }
        // The walk decides the plain valid ones itself; repeated and escaped keys go to the tree.
        #expect(Self.surely(schema, #"{"query":"q","limit":2.0,"order_id":"ORD-123456","price":89.99}"#))
        #expect(Self.surely(schema, #"{"query":"q","short":"\uD83D\uDE00\uD83D\uDE00","tier":1.0}"#))
        #expect(!Self.surely(schema, #"{"query":"q","query":"r"}"#))
        #expect(!Self.surely(schema, #"{"qu\u0065ry":"q"}"#))
    }

    /// A key with the same `String` as a name but other code points (U+212A KELVIN SIGN is
    /// canonically equivalent to "K") is left to the tree, whose lookup uses `String` equality.
    @Test func nonASCIIKeysFollowTheTree() throws {
        let schema = try JSONSchema(compilingText: #"{"properties":{"K":{"type":"integer"}},"required":["K"]}"#)
        for text in ["{\"\u{212A}\":1}", "{\"\u{212A}\":\"x\"}", #"{"\u212A":1}"#, #"{"K":1,"\u212A":"x"}"#] {
            Self.expectSame(schema, Array(text.utf8))
        }
        let open = try JSONSchema(compilingText: #"{"additionalProperties":{"type":"string"}}"#)
        #expect(Self.surely(open, #"{"Größe":"XL","colour":"red"}"#))
        Self.expectSame(open, Array(#"{"Größe":1}"#.utf8))
    }

    /// Keys matched on their raw bytes: long names, prefixes of names, names that JSON writes
    /// with escapes, the empty name, keys at the very end of the text.
    @Test func keysAreMatchedExactly() throws {
        let schema = try JSONSchema(
            compilingText: #"""
                {"properties": {"a_rather_long_property_name": {"type": "integer"}, "a_rather_long_property_nam": {"type": "string"},
                 "we\"ird": {"type": "string"}, "": {"type": "null"}, "x": {"type": "boolean"}, "sixteen_bytes_ab": {"type": "integer"}},
                 "additionalProperties": {"type": "array"}}
                """#
        )
        let cases: [(String, Bool)] = [
            (#"{"a_rather_long_property_name":1}"#, true), (#"{"a_rather_long_property_name":"s"}"#, false),
            (#"{"a_rather_long_property_nam":"s"}"#, true), (#"{"a_rather_long_property_nam":1}"#, false),
            (#"{"a_rather_long_property_namX":[]}"#, true), (#"{"a_rather_long_property_namX":1}"#, false),
            (#"{"a_rather_long_property_nbme":1}"#, false), (#"{"we\"ird":"s"}"#, true), (#"{"we\"ird":1}"#, false),
            (#"{"we":[]}"#, true), (#"{"":null}"#, true), (#"{"":1}"#, false), (#"{"x":true}"#, true), (#"{"x":1}"#, false),
            (#"{"sixteen_bytes_ab":1}"#, true), (#"{"sixteen_bytes_ab":"s"}"#, false), (#"{"sixteen_bytes_a":1}"#, false),
            (#"{"sixteen_bytes_abc":1}"#, false), (#"{"y":1,"x":true}"#, false), (#"{"x":true,"x":true}"#, true),
        ]
        for (text, valid) in cases {
            Self.expectSame(schema, Array(text.utf8))
            #expect((try schema.validate(json: text)).isEmpty == valid, "\(text)")
        }
        #expect(Self.surely(schema, #"{"a_rather_long_property_name":1,"a_rather_long_property_nam":"s","x":true,"":null}"#))
        #expect(Self.surely(schema, #"{"sixteen_bytes_ab":1,"other":[]}"#))
    }

    /// Keys in every order against names tried in `properties` order first: in order, reversed,
    /// shuffled, one repeated or missing, a name followed by a longer key sharing its bytes.
    @Test func keysInAnyOrderAreMatched() throws {
        let schema = try JSONSchema(compilingText: Self.syncCart)
        let members = [
            #""product_id":"p1""#, #""title":"T""#, #""quantity":2"#, #""unit_price":1.5"#, #""currency":"EUR""#,
            #""attributes":{"size":"M"}"#,
        ]
        let head = #"{"cart_id":"CART-0123ABCD","items":[{"#
        var random = SeededGenerator(seed: 7)
        var orders = [members, members.reversed()]
        for _ in 0..<200 { orders.append(members.shuffled(using: &random)) }
        for order in orders {
            let text = head + order.joined(separator: ",") + "}]}"
            Self.expectSame(schema, Array(text.utf8))
            #expect(Self.surely(schema, text), "\(text)")
            let repeated = order + [order[Int.random(in: 0..<order.count, using: &random)]]
            Self.expectSame(schema, Array((head + repeated.joined(separator: ",") + "}]}").utf8))
            Self.expectSame(schema, Array((head + order.dropLast().joined(separator: ",") + "}]}").utf8))
        }
        for text in [
            head + #""product_id":"p","quantity":2,"quantity_":1,"unit_price":1,"currency":"EUR"}]}"#,
            head + #""product_id":"p","quantit":2,"unit_price":1,"currency":"EUR"}]}"#,
            head + #""product_id":"p","title":"t","titl":"t","quantity":2,"unit_price":1,"currency":"EUR"}]}"#,
            // Where a name is expected next: a longer key that starts with it, a shorter one.
            head + #""product_id":"p","titles":"t","quantity":2,"unit_price":1,"currency":"EUR"}]}"#,
            head + #""product_id":"p","title":"t","quantity_":2,"quantity":2,"unit_price":1,"currency":"EUR"}]}"#,
            head + #""product_id":"p","title":"t","quantit":2,"quantity":2,"unit_price":1,"currency":"EUR"}]}"#,
            head + #""product_id":"p","title":"t","quantity":2,"unit_pricex":1,"unit_price":1,"currency":"EUR"}]}"#,
            #"{"items":[{"product_id":"p","quantity":2,"unit_price":1,"currency":"EUR"}],"cart_id":"CART-0123ABCD"}"#,
        ] {
            Self.expectSame(schema, Array(text.utf8))
        }
    }

    /// What stands between a known key and its value, where names are matched in the member loop:
    /// only whitespace and one colon pass, as in the parser.
    @Test func separatorsAfterKnownKeysAreThoseOfTheParser() throws {
        let schema = try JSONSchema(compilingText: Self.placeOrder)
        let separators = [":", " :", ": ", "\t:\n", "", " ", "::", ",", "x", "1", "\"", ";", " : :", "\u{0B}:"]
        for separator in separators {
            let item = #"{"product_id""# + separator + #""p1","quantity""# + separator + "2}"
            let address = #"{"name":"n","street":"s","city":"c","postal_code":"123","country":"DE"}"#
            let text = #"{"customer_id":"c","items":["# + item + #"],"shipping_address":"# + address + "}"
            Self.expectSame(schema, Array(text.utf8), separator)
        }
    }

    /// Strings and integers checked by their scanners alone (leaves), against the tree: every JSON
    /// type in their place, bounds at their edges.
    @Test func leavesMatchTheTree() throws {
        let schema = try JSONSchema(
            compilingText: #"""
                {"properties": {"s": {"type": "string", "minLength": 2, "maxLength": 3}, "i": {"type": "integer", "minimum": -2,
                 "maximum": 3}, "u": {"type": "integer"}}, "additionalProperties": false}
                """#
        )
        let values = [
            #""ab""#, #""abc""#, #""a""#, #""abcd""#, #""äöü""#, #""\u00e4b""#, #""👍🏽""#, #""\uD83D\uDE00\uD83D\uDE00x""#,
            "-3", "-2", "3", "4", "3.0", "-2.0", "2.5", "1e0", "-0", "0", "99999999999999999999", "true", "false", "null",
            "[]", "{}", "[1]", #"{"a":1}"#, "-", "01", "1.", #""a"#,
        ]
        for key in ["s", "i", "u"] {
            for value in values {
                Self.expectSame(schema, Array(#"{"\#(key)":\#(value)}"#.utf8), key)
                Self.expectSame(schema, Array(#"{"\#(key)":\#(value),"s":"xy"}"#.utf8), key)
            }
        }
        #expect(Self.surely(schema, #"{"s":"ab","i":3,"u":-99}"#))
    }

    /// String leaves scanned eight bytes at a time in the walk itself: every length around the
    /// bounds and the word size, with an escape, a non-ASCII or a control character at every
    /// position, and the string at every distance from the end of the text.
    @Test func plainStringLeavesMatchTheTree() throws {
        let schema = try JSONSchema(
            compilingText: #"""
                {"properties": {"s": {"type": "string", "minLength": 9, "maxLength": 17}, "t": {"type": "string"}},
                 "additionalProperties": false}
                """#
        )
        var decided = 0
        for length in 0...26 {
            let plain = String((0..<length).map { Character(UnicodeScalar(UInt8(0x41 + $0 % 26))) })
            var contents = [plain]
            let characters = Array(plain)
            for at in 0..<length {
                for odd in [#"\n"#, #"\""#, "ü", "\u{1F600}", "\u{01}", "\u{7F}", #"\u0041"#] {
                    contents.append(String(characters[..<at]) + odd + String(characters[(at + 1)...]))
                }
            }
            for content in contents {
                for key in ["s", "t"] {
                    for text in [
                        #"{"\#(key)":"\#(content)"}"#, #"{"\#(key)":"\#(content)" }"#,
                        #"{"\#(key)":"\#(content)","t":"padding padding"}"#, #"{"\#(key)":"\#(content)"#,
                    ] {
                        Self.expectSame(schema, Array(text.utf8), key)
                    }
                }
            }
            // Followed by more text, so the scan in the walk decides it, not the general one.
            let text = #"{"s":"\#(plain)","t":"padding padding"}"#
            if (9...17).contains(length) {
                #expect(Self.surely(schema, text), "\(text)")
                decided += 1
            } else {
                #expect(!Self.surely(schema, text), "\(text)")
            }
        }
        #expect(decided == 9)
    }

    /// Integer leaves read in the walk itself: every digit count up to past the machine integers,
    /// signs, leading zeros, what may follow a lexeme, bounds at their edges.
    @Test func plainIntegerLeavesMatchTheTree() throws {
        let schema = try JSONSchema(
            compilingText: #"""
                {"properties": {"i": {"type": "integer", "minimum": -99999999999999999, "maximum": 12345678901234567},
                 "j": {"type": "integer", "minimum": 1}, "k": {"type": "integer"}}, "additionalProperties": false}
                """#
        )
        var lexemes = [
            "0", "-0", "00", "01", "-01", "-", "--1", "1", "-1", "2", "12345678901234567", "12345678901234568",
            "-99999999999999999", "-100000000000000000", "99999999999999999", "999999999999999999", "9999999999999999999",
            "12345678901234567.0", "1.0", "1.5", "0.0", "1e0", "1E2", "1e", "1.", "-0.0", "100000000000000000000",
        ]
        for count in 1...21 {
            let digits = String((0..<count).map { Character(UnicodeScalar(UInt8(0x31 + $0 % 9))) })
            lexemes += [digits, "-" + digits, digits + ".0", digits + "e1", "0" + digits]
        }
        for key in ["i", "j", "k"] {
            for lexeme in lexemes {
                for text in [
                    #"{"\#(key)":\#(lexeme)}"#, #"{"\#(key)":\#(lexeme) }"#, #"{"\#(key)":\#(lexeme),"k":2}"#,
                    #"{"\#(key)":\#(lexeme)x}"#, #"{"\#(key)":\#(lexeme)"#, #"{"\#(key)":\#(lexeme)]}"#,
                ] {
                    Self.expectSame(schema, Array(text.utf8), key)
                }
            }
        }
        #expect(Self.surely(schema, #"{"i":12345678901234567,"j":1,"k":-0}"#))
        #expect(!Self.surely(schema, #"{"i":12345678901234568}"#))
        #expect(!Self.surely(schema, #"{"i":-100000000000000000}"#))
        #expect(!Self.surely(schema, #"{"j":0}"#))
        #expect(!Self.surely(schema, #"{"j":-5}"#))
    }

    /// Multi-byte UTF-8 decided from its lead byte: every lead byte with second bytes at the edges
    /// of the ranges that lead allows, and continuation bytes in and out of range, or cut short.
    @Test func utf8SequencesAreCheckedAsTheParserChecksThem() throws {
        let schema = try JSONSchema(compilingText: #"{"additionalProperties": {"type": "string"}}"#)
        let seconds: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF]
        var sequences: [[UInt8]] = []
        for lead in UInt8(0x80)...UInt8(0xFF) {
            sequences.append([lead])
            for second in seconds {
                sequences.append([lead, second])
                for third: UInt8 in [0x7F, 0x80, 0xBF, 0xC0] {
                    sequences.append([lead, second, third])
                    for fourth: UInt8 in [0x80, 0xC0] { sequences.append([lead, second, third, fourth]) }
                }
            }
        }
        for bytes in sequences {
            Self.expectSame(schema, Array(#"{"k":"a"#.utf8) + bytes + Array(#"b"}"#.utf8), "value \(bytes)")
            Self.expectSame(schema, Array(#"{"k":""#.utf8) + bytes, "cut \(bytes)")
        }
        #expect(Self.surely(schema, "{\"k\":\"\u{80}\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFF}\u{10000}\u{10FFFF}\"}"))
    }

    // MARK: - Randomized tool-call arguments

    @Test(arguments: 0..<4)
    func randomizedArgumentsMatchTheTree(_ which: Int) throws {
        let schemaValue = try JSONParser.parse(Self.schemas[which])
        let schema = try JSONSchema(compiling: schemaValue)
        var maker = InstanceMaker(random: SeededGenerator(seed: UInt64(which) &* 104_729 &+ 1))
        var writer = Writer(random: SeededGenerator(seed: UInt64(which) &+ 77))
        var decided = 0
        var valid = 0
        for round in 0..<3000 {
            let instance = maker.instance(schemaValue)
            writer.whitespace = round % 3 == 1
            writer.escapes = round % 5 == 2
            writer.duplicates = round % 7 == 3
            let bytes = writer.text(instance)
            Self.expectSame(schema, bytes, "round \(round)")
            // Repeated and escaped keys are left to the tree on purpose; the rest the walk decides.
            if schema.isValid(instance), !writer.duplicates, !writer.escapes {
                valid += 1
                if bytes.withUnsafeBytes({ schema.isSurelyValidFromBytes($0) }) { decided += 1 }
            }
        }
        // Enough valid instances for the comparison to mean something, and the walk decides the
        // valid ones itself, not by falling back (except those that need the tree: `mixed`).
        #expect(valid > 100, "only \(valid) valid instances")
        if which < 3 { #expect(Double(decided) > 0.9 * Double(valid), "decided \(decided) of \(valid)") }
    }

    @Test(arguments: 0..<4)
    func mutatedArgumentsMatchTheParserAndTheTree(_ which: Int) throws {
        let schemaValue = try JSONParser.parse(Self.schemas[which])
        let schema = try JSONSchema(compiling: schemaValue)
        var maker = InstanceMaker(random: SeededGenerator(seed: UInt64(which) &+ 4242))
        var writer = Writer(random: SeededGenerator(seed: UInt64(which) &+ 99), whitespace: true, escapes: true)
        var random = SeededGenerator(seed: UInt64(which) &* 31 &+ 5)
        // A schema that accepts every well-formed text: the syntax alone decides.
        let permissive = try JSONSchema(compilingText: #"{"properties": {"items": {"type": "array"}, "query": {}}}"#)
        let inserts: [UInt8] =
            Array(#""\,:}]{[0-.eEu tfn/"#.utf8) + [0x0A, 0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF]
        for round in 0..<3000 {
            var bytes = writer.text(maker.instance(schemaValue))
            for _ in 0..<Int.random(in: 1...3, using: &random) where !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<5, using: &random) {
                case 4:
                    // A comma before a closing bracket (a trailing comma), or doubled.
                    if let close = bytes[at...].firstIndex(where: { $0 == UInt8(ascii: "}") || $0 == UInt8(ascii: "]") }) {
                        bytes.insert(UInt8(ascii: ","), at: close)
                    }
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(inserts.randomElement(using: &random)!, at: at)
                case 2: bytes[at] = inserts.randomElement(using: &random)!
                default: bytes.removeLast(bytes.count - at)
                }
            }
            Self.expectSame(schema, bytes, "round \(round)")
            Self.expectSame(permissive, bytes, "round \(round), permissive schema")
        }
    }

    // MARK: - Malformed JSON

    @Test func malformedTextsAreRejectedAsTheParserRejectsThem() throws {
        let schema = try JSONSchema(compilingText: Self.syncCart)
        let valid =
            #"{"cart_id":"CART-0123ABCD","items":[{"product_id":"p\u00e9\uD83D\uDE00","quantity":2,"unit_price":1.5e1,"#
            + #""currency":"EUR","attributes":{"size":"M"}}]}"#
        #expect(Self.surely(schema, valid))
        let bytes = Array(valid.utf8)
        for end in 0..<bytes.count { Self.expectSame(schema, Array(bytes[..<end]), "truncated at \(end)") }
        let texts = [
            #"{"cart_id":"CART-0123ABCD\x","items":[]}"#, #"{"cart_id":"\u12G4"}"#, #"{"cart_id":"\uD83D"}"#,
            #"{"cart_id":"\uD83Dx"}"#, #"{"cart_id":"\uD83D\u0041"}"#, #"{"cart_id":"\uDE00"}"#, #"{"cart_id":"\uD83D\n"}"#,
            "{\"cart_id\":\"a\tb\"}", #"{"items":[1,]}"#, #"{"items":[01]}"#, #"{"items":[-]}"#, #"{"items":[1.]}"#,
            #"{"items":[1e]}"#, #"{"items":[.5]}"#, #"{"items":[tru]}"#, #"{"items":[nul]}"#, #"{"a":1,}"#,
            #"{"a" 1}"#, #"{a:1}"#, "{} x", "{}{}", "", " ", "\u{FEFF}{}", #"{"a":1}}"#, #"[1 2]"#, #"{"items":[+1]}"#,
        ]
        // Also against schemas that accept any well-formed text, so only the syntax can fail.
        let permissive = try [
            JSONSchema(compilingText: "{}"),
            JSONSchema(compilingText: #"{"properties": {"a": {"minimum": 0}, "items": {"type": "array"}}, "required": ["a"]}"#),
        ]
        for text in texts + [#"{"a":1,}"#, #"{"a":1 , }"#, #"{"a":[1,]}"#, #"{"a":[1 ,]}"#, "[1,]", "[,1]", #"{,"a":1}"#, #"{"a":1,,"b":2}"#] {
            Self.expectSame(schema, Array(text.utf8), "malformed")
            for other in permissive { Self.expectSame(other, Array(text.utf8), "malformed, permissive schema") }
        }
        for invalid: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF], [0x80], [0xF0, 0x9F, 0x98]] {
            Self.expectSame(schema, Array(#"{"cart_id":"a"#.utf8) + invalid + Array(#"b"}"#.utf8), "invalid UTF-8")
            Self.expectSame(schema, Array(#"{"a"#.utf8) + invalid + Array(#"":1}"#.utf8), "invalid UTF-8 in a key")
        }
    }

    @Test func depthAndSizeLimitsAreThoseOfTheParser() throws {
        let schema = try JSONSchema(compilingText: #"{"type":"object","additionalProperties":{"type":"array"}}"#)
        for depth in [1, 9, 10, 11, 255, 256, 257, 511, 512, 513, 2000] {
            let text = #"{"a":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
            Self.expectSame(schema, Array(text.utf8), "depth \(depth)")
            Self.expectSame(schema, Array(text.utf8), limits: JSONLimits(maxDepth: 10), "depth \(depth), limit 10")
        }
        let text = Array(#"{"a":[1,2,3]}"#.utf8)
        Self.expectSame(schema, text, limits: JSONLimits(maxBytes: text.count))
        Self.expectSame(schema, text, limits: JSONLimits(maxBytes: text.count - 1))
        #expect(Self.surely(schema, #"{"a":[[[[]]]]}"#))
    }

    @Test func errorsComeFromTheTree() throws {
        let schema = try JSONSchema(compilingText: Self.placeOrder)
        let errors = try schema.validate(json: #"{"customer_id":"c","items":[{"product_id":"p","quantity":0}]}"#.utf8)
        #expect(
            errors.map(\.description) == [
                "/: missing required property 'shipping_address'", "/items/0/quantity: must be >= 1, got 0",
            ]
        )
        let truncated = Array(#"{"customer_id":1"#.utf8)
        do {
            _ = try schema.validate(json: truncated)
            Issue.record("a truncated text was accepted")
        } catch {
            #expect(error.kind == .unexpectedEnd)
            #expect(error.offset == truncated.count)
        }
        #expect(!schema.isValid(json: truncated))
    }
}
