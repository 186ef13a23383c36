import Testing

@testable import ToolRuntime

struct SchemaValidatorTests {
    private func schema(_ text: String, formatAssertion: Bool = false) throws -> JSONSchema {
        try JSONSchema(compiling: JSONParser.parse(text), options: .init(formatAssertion: formatAssertion))
    }

    private func errors(_ schemaText: String, _ instance: String, formatAssertion: Bool = false) throws -> [ValidationError] {
        try schema(schemaText, formatAssertion: formatAssertion).validate(JSONParser.parse(instance))
    }

    static let order = #"""
        {"type":"object","additionalProperties":false,"required":["customer_id","items"],
         "properties":{"customer_id":{"type":"string","minLength":1},
           "items":{"type":"array","minItems":1,"items":{"type":"object","additionalProperties":false,
             "required":["product_id","quantity"],
             "properties":{"product_id":{"type":"string"},"quantity":{"type":"integer","minimum":1}}}},
           "tier":{"enum":["standard","silver","gold","black_friday"]},
           "order_id":{"type":"string","pattern":"^ORD-[0-9]{6}$"},
           "gift_message":{"type":"string","maxLength":40},
           "price":{"type":"number","multipleOf":0.01,"exclusiveMinimum":0}}}
        """#

    @Test func messagesAModelCanActOn() throws {
        let found = try errors(Self.order, #"{"customer_id":"c1","items":[{"product_id":"p","quantity":0}]}"#)
        #expect(found.map(\.description) == ["/items/0/quantity: must be >= 1, got 0"])
        #expect(found.first?.keyword == "minimum")
        #expect(found.first?.schemaPath == "/properties/items/items/properties/quantity/minimum")
    }

    @Test func allErrorsInSchemaOrder() throws {
        let found = try errors(
            Self.order,
            #"{"items":[{"product_id":1,"quantity":true,"x":1}],"tier":"platinum","extra":null}"#
        )
        #expect(
            found.map(\.description) == [
                "/: missing required property 'customer_id'",
                "/items/0/product_id: must be a string, got 1",
                "/items/0/quantity: must be an integer, got true",
                "/items/0/x: property 'x' is not allowed",
                "/tier: must be one of \"standard\", \"silver\", \"gold\", \"black_friday\", got \"platinum\"",
                "/extra: property 'extra' is not allowed",
            ]
        )
        #expect(try schema(Self.order).validate(JSONParser.parse(#"{"items":[]}"#)).count == 2)
    }

    @Test func errorCapIsHonoured() throws {
        let compiled = try JSONSchema(
            compiling: JSONParser.parse(#"{"items":{"type":"string"}}"#),
            options: .init(maxErrors: 3)
        )
        #expect(try compiled.validate(JSONParser.parse("[1,2,3,4,5,6]")).count == 3)
    }

    @Test(
        "spec traps",
        arguments: [(String, String, Bool)]([
            (#"{"type":"integer"}"#, "true", false),  // a boolean is never an integer
            (#"{"type":"integer"}"#, "2.0", true),  // 2.0 is an integer
            (#"{"type":"integer"}"#, "1e2", true),
            (#"{"type":"string","pattern":"^ORD-[0-9]{6}$"}"#, #""ORD-123456\n""#, false),  // $ is end of input
            (#"{"type":"string","pattern":"^ORD-[0-9]{6}$"}"#, #""ORD-123456""#, true),
            (#"{"pattern":"[0-9]{3}"}"#, #""abc123def""#, true),  // unanchored search
            (#"{"maxLength":40}"#, "\"" + String(repeating: "👍🏽", count: 21) + "\"", false),  // 42 code points
            (#"{"maxLength":40}"#, "\"" + String(repeating: "🎁", count: 30) + "\"", true),  // 30 code points
            (#"{"multipleOf":0.01}"#, "89.99", true),
            (#"{"multipleOf":0.01}"#, "89.999", false),
            (#"{"multipleOf":0.5,"type":"integer"}"#, "1e308", true),
            (#"{"maximum":1e308}"#, "1e400", false),
            (#"{"minimum":-1e999999999}"#, "-1e999999998", true),
            (#"{"multipleOf":1e-400}"#, "3e-400", true),
            (#"{"const":1}"#, "1.0", true),
            (#"{"enum":[1]}"#, "true", false),
            (#"{"enum":["\u00e9"]}"#, "\"e\u{0301}\"", false),  // code points, not canonical equivalence
            (#"{"uniqueItems":true}"#, "[1, 1.0]", false),
            (#"{"uniqueItems":true}"#, #"[{"a":1,"b":2},{"b":2,"a":1}]"#, false),
        ])
    )
    func specTraps(_ schemaText: String, _ instance: String, _ valid: Bool) throws {
        #expect(try errors(schemaText, instance).isEmpty == valid)
    }

    @Test("format is an annotation unless asserted")
    func formatAssertion() throws {
        let schemaText = #"{"format":"email"}"#
        #expect(try errors(schemaText, #""not an email""#).isEmpty)
        #expect(try errors(schemaText, #""not an email""#, formatAssertion: true).map(\.keyword) == ["format"])
        for (format, good, bad) in [
            ("date-time", "2024-11-29T00:15:00Z", "2024-11-29 00:15"), ("date", "2024-02-29", "2023-02-29"),
            ("time", "23:59:60Z", "24:00:00Z"), ("email", "a.b@example.com", "a..b@example.com"),
            ("uuid", "123e4567-e89b-12d3-a456-426614174000", "123e4567e89b12d3a456426614174000"),
            ("ipv4", "192.168.0.1", "192.168.0.256"), ("ipv6", "::1", "1:::2"),
            ("uri", "https://example.com/a?b#c", "/relative/only"),
        ] {
            let compiled = try schema(#"{"format":"\#(format)"}"#, formatAssertion: true)
            #expect(compiled.isValid(.string(good)), "\(format): \(good)")
            #expect(!compiled.isValid(.string(bad)), "\(format): \(bad)")
        }
    }

    @Test("draft-07 forms when $schema says draft-07")
    func draft07() throws {
        let text = #"""
            {"$schema":"http://json-schema.org/draft-07/schema#",
             "definitions":{"qty":{"type":"integer","minimum":1}},
             "type":"array","items":[{"type":"string"},{"$ref":"#/definitions/qty"}],"additionalItems":false}
            """#
        #expect(try errors(text, #"["sku",2]"#).isEmpty)
        #expect(try errors(text, #"["sku",0]"#).map(\.description) == ["/1: must be >= 1, got 0"])
        #expect(try errors(text, #"["sku",2,3]"#).map(\.keyword) == ["items"])
    }

    @Test("refs: relative URIs, anchors, recursion")
    func references() throws {
        let text = #"""
            {"$id":"https://example.com/schemas/tree.json","type":"object",
             "properties":{"value":{"$ref":"defs.json#positive"},"children":{"type":"array","items":{"$ref":"#"}}},
             "$defs":{"d":{"$id":"defs.json","$defs":{"p":{"$anchor":"positive","type":"integer","minimum":1}}}}}
            """#
        #expect(try errors(text, #"{"value":1,"children":[{"value":2,"children":[]}]}"#).isEmpty)
        #expect(try errors(text, #"{"value":1,"children":[{"value":0}]}"#).map(\.instancePath) == ["/children/0/value"])
    }

    @Test(
        "compile errors name the schema path",
        arguments: [
            (#"{"properties":{"a":{"type":"strng"}}}"#, "/properties/a/type", "unknown type"),
            (##"{"items":{"$ref":"#/$defs/missing"}}"##, "/items/$ref", "does not resolve"),
            (#"{"patternProperties":{"(":{}}}"#, "/patternProperties/(", "invalid regular expression"),
            (#"{"pattern":"a{2,1}"}"#, "/pattern", "invalid regular expression"),
            (#"{"minLength":-1}"#, "/minLength", "non-negative integer"),
            (#"{"$ref":"https://example.com/elsewhere.json"}"#, "/$ref", "does not resolve"),
        ]
    )
    func compileErrors(_ text: String, _ path: String, _ phrase: String) throws {
        let value = try JSONParser.parse(text)
        do throws(SchemaCompileError) {
            _ = try JSONSchema(compiling: value)
            Issue.record("compiled: \(text)")
        } catch {
            #expect(error.schemaPath == path)
            #expect(error.message.contains(phrase), "\(error.message)")
        }
    }

    @Test(
        "ECMA-262 regex semantics",
        arguments: [
            ("^a$", "a\n", false), ("^\\d+$", "٣", false), ("^\\w+$", "é", false), ("^\\s$", "\u{3000}", true),
            ("^.$", "\n", false), ("^.$", "🎁", true), ("^(a|ab)(c|bcd)(d*)$", "abcd", true), ("(?=a)a", "a", true),
            ("^(?!b).", "b", false), ("^(a)\\1$", "aa", true), ("a{2,}?b", "aaab", true), ("^\\p{Lu}+$", "ÀB", true),
            ("\\bfoo\\b", "a foo b", true), ("^[^\\d]+$", "abc", true), ("^[\\w-]+$", "a-b_c", true),
            ("^(?:a*)*$", "aaa", true), ("^[a-c]{2}$", "bd", false), ("\\u00e9", "é", true),
        ]
    )
    func regex(_ pattern: String, _ text: String, _ matches: Bool) throws {
        #expect(try ECMARegex(pattern).search(text) == matches)
    }
}
