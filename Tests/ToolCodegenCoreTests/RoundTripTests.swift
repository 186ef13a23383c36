import Foundation
import Testing
import ToolRuntime

/// Every instance the validator accepts decodes into the generated type (the types are the
/// compiled `ReferenceSources`), and what decodes is what the JSON said.
struct RoundTripTests {
    static let generatedTypes: [any ToolArguments.Type] = [
        FindProductsArguments.self, SubmitOrderArguments.self, PingArguments.self,
        GetOrderStatusArguments.self, SetCartQuantityArguments.self, UpdateProfileArguments.self,
        GetWeatherV2Arguments.self, GetWeatherArguments.self, QuoteShippingArguments.self, PlanRouteArguments.self,
    ]

    static func decode<T: ToolArguments>(_ type: T.Type, _ text: String) throws -> T {
        try JSONValueDecoder().decode(type, from: try JSONParser.parse(text))
    }

    /// Validates `instance` against `T`'s embedded schema; when accepted, it must decode.
    /// - Returns: Whether the validator accepted it.
    @discardableResult
    static func checkRoundTrip<T: ToolArguments>(_ type: T.Type, _ instance: JSONValue) throws -> Bool {
        let schema = try JSONSchema(compiling: try JSONParser.parse(T.parametersSchemaJSON))
        guard schema.validate(instance).isEmpty else { return false }
        do {
            _ = try JSONValueDecoder().decode(type, from: instance)
        } catch {
            Issue.record("\(T.toolName): accepted by the validator but does not decode: \(instance.jsonText): \(error)")
        }
        return true
    }

    @Test(arguments: 0..<generatedTypes.count)
    func everyAcceptedExampleDecodes(index: Int) throws {
        try Self.checkExamples(of: Self.generatedTypes[index])
    }

    /// Round-trips ``SchemaExamples`` of `type`'s schema; at least one must be accepted.
    static func checkExamples(of type: any ToolArguments.Type) throws {
        let schema = try JSONParser.parse(type.parametersSchemaJSON)
        var accepted = 0
        for instance in SchemaExamples.instances(of: schema) where try checkRoundTrip(type, instance) {
            accepted += 1
        }
        #expect(accepted >= 1, "no generated example of \(type.toolName) was accepted; the examples need a hint")
    }

    /// Whether the runtime's validator rejects anything yet (it began as a placeholder).
    static let validatorRejects = (try? JSONSchema(compiling: ["type": "string"]).validate(1).isEmpty) == false

    /// Hand-written valid instances around the edges: accepted, and they decode.
    @Test(arguments: [
        (FindProductsArguments.self as any ToolArguments.Type, #"{"query": "lamp"}"#),
        (FindProductsArguments.self, #"{"query": "l", "limit": 50, "sort": "price_ascending", "in_stock_only": false, "categories": []}"#),
        (FindProductsArguments.self, #"{"query": "lamp", "price_range": {}}"#),
        (FindProductsArguments.self, #"{"query": "lamp", "price_range": {"min_cents": 0, "max_cents": 9999}}"#),
        (FindProductsArguments.self, #"{"query": "lamp", "limit": 2.0}"#),
        (SubmitOrderArguments.self, #"{"items": [{"sku": "SKU-1", "quantity": 2}], "shipping": {"speed": "next-day"}, "gift_note": null}"#),
        (
            SubmitOrderArguments.self,
            #"{"items": [{"sku": "A", "quantity": 1}], "shipping": {"speed": "standard", "address": {"street": "Main 1", "postal_code": "10115", "country": "DE"}}, "gift_note": "Happy birthday", "coupon_codes": ["BF24"]}"#
        ),
        (GetOrderStatusArguments.self, #"{"order_id": "ORD-7", "include_history": null}"#),
        (
            PlanRouteArguments.self,
            #"{"from": {"name": "A", "kind": "walk"}, "to": {"name": "B"}, "stops": [{"name": "C", "lat_micro": 52520008}], "mode": "bike", "plan": {"label": "go", "then": [{"label": "turn", "then": []}]}}"#
        ),
        (QuoteShippingArguments.self, #"{"weight_kg": 0.1, "declared_value_cents": 0, "dimensions_cm": [1, 2.5, 1e2]}"#),
        (
            UpdateProfileArguments.self,
            #"{"payment": {"card_token": "tok"}, "anything": null, "labels": {"a": "b"}, "point": [1, 2], "level": 3, "mixed": null}"#
        ),
    ])
    func validInstancesAreAcceptedAndDecode(type: any ToolArguments.Type, text: String) throws {
        #expect(try Self.checkRoundTrip(type, try JSONParser.parse(text)))
    }

    /// Hand-written invalid instances: if the validator let one through, it would have to decode,
    /// and these do not, so this checks that validation stands in front of every decoding failure.
    @Test(
        .enabled(if: validatorRejects, "JSONSchema.validate is still the placeholder that accepts everything"),
        arguments: [
            (FindProductsArguments.self as any ToolArguments.Type, #"{"query": "lamp", "sort": "cheapest"}"#),
            (FindProductsArguments.self, #"{"query": "lamp", "limit": 1.5}"#),
            (FindProductsArguments.self, #"{"query": 7}"#),
            (FindProductsArguments.self, #"{}"#),
            (SubmitOrderArguments.self, #"{"items": [{"sku": "A", "quantity": 1}], "shipping": {"speed": "by-boat"}, "gift_note": null}"#),
            (SubmitOrderArguments.self, #"{"items": [{"sku": "A", "quantity": 1}], "shipping": {"speed": "standard"}}"#),
            (GetOrderStatusArguments.self, #"{"order_id": "ORD-7"}"#),
            (PlanRouteArguments.self, #"{"from": {"name": "A", "kind": "plane"}, "to": {"name": "B"}}"#),
            (QuoteShippingArguments.self, #"{"weight_kg": "heavy", "declared_value_cents": 1}"#),
            (QuoteShippingArguments.self, #"{"weight_kg": 1, "declared_value_cents": 1, "dimensions_cm": [1, null, 3]}"#),
        ]
    )
    func invalidInstancesAreRejectedBeforeDecoding(type: any ToolArguments.Type, text: String) throws {
        #expect(try !Self.checkRoundTrip(type, try JSONParser.parse(text)))
    }

    @Test func decodedValuesAreWhatTheJSONSaid() throws {
        let order = try Self.decode(
            SubmitOrderArguments.self,
            #"{"items": [{"sku": "SKU-2024-BF", "quantity": 2}], "shipping": {"speed": "next-day", "address": {"street": "Main 1", "postal_code": "10115", "country": "DE"}}, "gift_note": null, "coupon_codes": ["BF"]}"#
        )
        #expect(
            order
                == SubmitOrderArguments(
                    items: [.init(sku: "SKU-2024-BF", quantity: 2)],
                    shipping: .init(speed: .nextDay, address: .init(street: "Main 1", postalCode: "10115", country: "DE")),
                    giftNote: nil,
                    couponCodes: ["BF"]
                )
        )
        #expect(order.items[0].quantity == 2)

        let naming = try Self.decode(
            GetWeatherV2Arguments.self,
            #"{"default": "d", "class": 3, "self": "s", "_": "u", "2fa_code": "123", "user.id": "a", "user_id": "b", "userId": "c", "quote\"and\\backslash": "q", "status": "a\"b", "items": [{"b": "x"}]}"#
        )
        #expect(naming.default == "d" && naming.class == 3 && naming.self_ == "s" && naming.value == "u")
        #expect(naming._2faCode == "123" && naming.userId == "a" && naming.userId2 == "b" && naming.userId3 == "c")
        #expect(naming.quoteAndBackslash == "q" && naming.status == .aB && naming.items == [.init(b: "x")])

        let route = try Self.decode(
            PlanRouteArguments.self,
            #"{"from": {"name": "A", "kind": "walk"}, "to": {"name": "B"}, "plan": {"then": [{"label": "x"}]}}"#
        )
        #expect(route.from == .init(name: "A", kind: .walk) && route.to.name == "B")
        #expect(route.plan?.then == [["label": "x"]])

        let profile = try Self.decode(
            UpdateProfileArguments.self,
            #"{"payment": {"iban": "DE89"}, "anything": [1, "two"], "preferences": {"email": true}, "nickname": null}"#
        )
        #expect(profile.payment == ["iban": "DE89"])
        #expect(profile.anything == [1, "two"])
        #expect(profile.preferences == ["email": true])
        #expect(profile.nickname == nil)
    }

    @Test func numbersKeepTheirExactText() throws {
        let quote = try Self.decode(
            QuoteShippingArguments.self,
            #"{"weight_kg": 0.1, "declared_value_cents": 129999, "dimensions_cm": [30, 20.50, 12345678901234567890.123456789]}"#
        )
        #expect(quote.weightKg.lexeme == "0.1")
        #expect(quote.declaredValueCents == 129_999)
        #expect(quote.dimensionsCm?.map(\.lexeme) == ["30", "20.50", "12345678901234567890.123456789"])
    }

    @Test func aNumberMemberOfTheWrongTypeNamesItsPath() {
        do {
            _ = try Self.decode(QuoteShippingArguments.self, #"{"weight_kg": 1, "declared_value_cents": 1, "dimensions_cm": [1, "x"]}"#)
            Issue.record("decoded a string as a number")
        } catch DecodingError.typeMismatch(_, let context) {
            #expect(context.codingPath.map(\.stringValue) == ["dimensions_cm"])
            #expect(context.debugDescription == "expected a number, found string")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func unknownEnumValueSaysWhatIsAllowed() {
        do {
            _ = try Self.decode(FindProductsArguments.self, #"{"query": "lamp", "sort": "cheapest"}"#)
            Issue.record("decoded an unknown enum value")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(
                context.debugDescription
                    == #"unknown value "cheapest"; expected one of: relevance, price_ascending, price_descending"#
            )
            #expect(context.codingPath.map(\.stringValue) == ["sort"])
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func staticsDescribeTheTool() throws {
        #expect(FindProductsArguments.toolName == "find_products")
        #expect(FindProductsArguments.safety == .readOnly)
        #expect(FindProductsArguments.timeout == .milliseconds(2000))
        #expect(SubmitOrderArguments.safety == .sideEffecting)
        #expect(SubmitOrderArguments.timeout == nil)
        #expect(SetCartQuantityArguments.safety == .idempotent)
        #expect(PingArguments.parametersSchemaJSON == #"{"type":"object","properties":{}}"#)
        #expect(SubmitOrderArguments.toolDescription.hasSuffix("\nStock is checked and reserved atomically."))
    }

    @Test func embeddedSchemaIsTheFixtureSchema() throws {
        let url = GoldenFileTests.directory.appending(path: "Fixtures/shop.tools.json")
        let fixture = try JSONParser.parse(Array(try Data(contentsOf: url)))
        #expect(try JSONParser.parse(FindProductsArguments.parametersSchemaJSON) == fixture[0]?["parameters"])
        #expect(try JSONParser.parse(SubmitOrderArguments.parametersSchemaJSON) == fixture[1]?["parameters"])
    }

    @Test func generatedTypesRegisterWithTypedHandlers() throws {
        let registry = try ToolRegistry { builder in
            builder.add(SubmitOrderArguments.self) { args, _ in args.items.map(\.quantity).reduce(0, +) }
            builder.add(FindProductsArguments.self) { args, _ in args.query }
        }
        #expect(registry.names == ["submit_order", "find_products"])
        #expect(registry["submit_order"]?.safety == .sideEffecting)
    }
}
