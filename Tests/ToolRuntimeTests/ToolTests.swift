import Testing
import ToolRuntime

private struct Order: Codable, Sendable, Equatable {
    struct Line: Codable, Sendable, Equatable {
        var sku: String
        var quantity: Int
    }
    var lines: [Line]
    var note: String?
    var express: Bool
    var totalCents: Int64
    var extra: JSONValue?
}

@Suite struct ToolTests {
    @Test func decodesTypedArgumentsFromAValue() throws {
        let value = try JSONParser.parse(
            #"{"lines":[{"sku":"A","quantity":2}],"express":false,"totalCents":9007199254740993,"extra":{"k":[1.50]}}"#
        )
        let order = try JSONValueDecoder().decode(Order.self, from: value)
        #expect(order.lines == [.init(sku: "A", quantity: 2)])
        #expect(order.note == nil)
        #expect(order.totalCents == 9_007_199_254_740_993, "no detour through Double")
        #expect(order.extra?["k"]?[0]?.number?.lexeme == "1.50", "a JSONValue member keeps the lexeme")
    }

    @Test(arguments: [
        (#"{"lines":[{"sku":"A","quantity":1.5}],"express":false,"totalCents":1}"#, "/lines/0/quantity"),
        (#"{"lines":[{"sku":"A","quantity":true}],"express":false,"totalCents":1}"#, "/lines/0/quantity"),
        (#"{"lines":[{"sku":"A","quantity":1}],"express":1,"totalCents":1}"#, "/express"),
        (#"{"lines":[{"sku":"A"}],"express":false,"totalCents":1}"#, "/lines/0/quantity"),
    ])
    func refusesValuesThatDoNotFitTheType(text: String, path: String) throws {
        let value = try JSONParser.parse(text)
        #expect {
            _ = try JSONValueDecoder().decode(Order.self, from: value)
        } throws: { error in
            guard let error = error as? DecodingError else { return false }
            let context: DecodingError.Context? =
                switch error {
                case .typeMismatch(_, let c), .dataCorrupted(let c), .valueNotFound(_, let c): c
                case .keyNotFound(let key, let c):
                    DecodingError.Context(codingPath: c.codingPath + [key], debugDescription: "")
                @unknown default: nil
                }
            let pointer = (context?.codingPath ?? []).map { "/" + ($0.intValue.map(String.init) ?? $0.stringValue) }
                .joined()
            return pointer == path
        }
    }

    @Test func encodesResultsInMemberOrder() throws {
        let order = Order(
            lines: [.init(sku: "A", quantity: 2)],
            note: nil,
            express: true,
            totalCents: 1999,
            extra: ["x": nil]
        )
        let value = try JSONValueEncoder().encode(order)
        #expect(value.jsonText == #"{"lines":[{"sku":"A","quantity":2}],"express":true,"totalCents":1999,"extra":{"x":null}}"#)
        #expect(try JSONValueDecoder().decode(Order.self, from: value) == order)
    }

    @Test func refusesNonFiniteNumbers() {
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(["x": Double.nan]) }
    }

    /// A top-level scalar takes the encoder's direct path; the same value forwarded through a wrapper
    /// goes through `Encodable` and the encoder's containers. Both must give the same JSON, and a
    /// non-finite number must fail both ways.
    @Test func scalarResultsEncodeAsThroughTheirEncodableConformance() throws {
        struct Forward<Value: Encodable>: Encodable {
            var value: Value
            func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
        }
        func check<Value: Encodable>(_ value: Value) throws {
            let direct = try JSONValueEncoder().encode(value)
            let forwarded = try JSONValueEncoder().encode(Forward(value: value))
            #expect(direct.jsonText == forwarded.jsonText, "\(value)")
        }
        for text in ["", "plain", "quote \" and \\", "é😀", "\u{01}"] { try check(text) }
        for flag in [true, false] { try check(flag) }
        for number in [0, 1, -1, Int.max, Int.min] { try check(number) }
        for number: Int64 in [0, 9_007_199_254_740_993, .min] { try check(number) }
        for number in [0.0, -0.0, 1.5, 0.1, 1e300, -2.5e-300, 123456789012345.0, 1e15] { try check(number) }
        let optional: Int? = 7
        try check(optional)
        try check(Int?.none)
        for bad in [Double.nan, .infinity, -.infinity] {
            #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(bad) }
            #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(Forward(value: bad)) }
        }
    }

    @Test func typedToolRunsItsHandlerOnValidatedArguments() async throws {
        let tool = try Tool(Echo.self) { args, context in "\(context.customerID ?? "-"):\(args.text)" }
        #expect(tool.name == "echo")
        #expect(tool.parameters["required"] == ["text"])
        let registry = try ToolRegistry { $0.add(tool) }
        let outcomes = await ToolExecutor(registry: registry).execute(
            [call(0, "echo", #"{"text":"hi"}"#)],
            context: ToolContext(customerID: "c-1")
        )
        #expect(outcomes.first?.content == "c-1:hi")
    }
}
