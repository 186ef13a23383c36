import Testing

@testable import ToolRuntime

struct SchemaStreamTests {
    static let schema = try! JSONSchema(
        compiling: JSONParser.parse(
            #"""
            {"type":"object","additionalProperties":false,"required":["customer_id","tier"],
             "properties":{"customer_id":{"type":"string","maxLength":8},
               "tier":{"enum":["standard","silver","gold","black_friday"]},
               "items":{"type":"array","maxItems":2,"items":{"type":"integer","minimum":1}}}}
            """#
        )
    )

    /// Feeds `text` one byte at a time; returns the offset of the byte after which the violation
    /// was known (nil if none), and the final verdict.
    private func stream(_ text: String) throws -> (at: Int?, violation: ValidationError?, final: [ValidationError]?) {
        var parser = IncrementalJSONParser()
        var validator = SchemaStreamValidator(schema: Self.schema)
        var at: Int?
        for (offset, byte) in text.utf8.enumerated() {
            try parser.feed([byte], events: &validator)
            if at == nil, validator.violation != nil { at = offset }
        }
        let final = parser.isComplete ? validator.finish(try parser.finish(events: &validator)) : nil
        return (at, validator.violation, final)
    }

    @Test func enumRejectedWhileTheStreamIsOpen() throws {
        let text = #"{"customer_id":"c1","tier":"platinum""#
        let result = try stream(text)
        // "p" already matches no tier: known at the byte after the opening quote, long before the end.
        #expect(result.at == text.utf8.count - 9)
        #expect(result.violation?.instancePath == "/tier")
        #expect(result.violation?.keyword == "enum")
        #expect(result.final == nil)
    }

    @Test(
        "each early check fires at its deciding byte",
        arguments: [
            (#"[1]"#, 0, "", "type"),
            (#"{"customer_id":"c1","note":"x"}"#, 25, "/note", "additionalProperties"),
            (#"{"customer_id":"123456789"}"#, 24, "/customer_id", "maxLength"),
            (#"{"customer_id":7}"#, 15, "/customer_id", "type"),
            (#"{"customer_id":"c","tier":"gold","items":[1,2,3]}"#, 46, "/items/2", "maxItems"),
            (#"{"customer_id":"c","tier":"gold","items":[0]}"#, 43, "/items/0", "minimum"),
            (#"{"customer_id":"c"}"#, 18, "", "required"),
        ]
    )
    func earlyChecks(_ text: String, _ offset: Int, _ path: String, _ keyword: String) throws {
        let result = try stream(text)
        #expect(result.at == offset)
        #expect(result.violation?.instancePath == path)
        #expect(result.violation?.keyword == keyword)
        if let final = result.final { #expect(!final.isEmpty) }
    }

    @Test func validCallHasNoViolation() throws {
        let result = try stream(#"{"customer_id":"c1","tier":"gold","items":[1,2]}"#)
        #expect(result.violation == nil)
        #expect(result.final == [])
    }
}
