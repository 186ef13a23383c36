import CatalogTools
import Foundation
import Testing
import ToolRuntime

@Suite struct ToolModuleTests {
    static let schemaDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/CatalogTools/Schemas")

    static let schemaFiles = ["products", "orders", "discounts"]

    @Test(arguments: schemaFiles)
    func everyToolSchemaCompiles(file: String) throws {
        let url = Self.schemaDirectory.appendingPathComponent("\(file).tools.json")
        let document = try JSONParser.parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
        guard case .array(let tools) = document else {
            Issue.record("\(file).tools.json is not an array")
            return
        }
        #expect(!tools.isEmpty)
        for tool in tools {
            guard case .object(let definition) = tool, let parameters = definition["parameters"] else {
                Issue.record("a tool of \(file).tools.json has no parameters")
                continue
            }
            _ = try JSONSchema(compiling: parameters)
            #expect(parameters.object?["additionalProperties"] == .bool(false))
        }
    }

    @Test func catalogModuleRegistersEveryTool() throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let registry = try ToolRegistry(modules: [CatalogModule(store: store)])
        #expect(
            Set(registry.names) == [
                "get_product_info", "search_products", "check_order_status", "place_order", "cancel_order",
                "calculate_discount",
            ]
        )
        #expect(registry["place_order"]?.safety == .sideEffecting)
        #expect(registry["cancel_order"]?.safety == .sideEffecting)
        #expect(registry["search_products"]?.safety == .readOnly)
    }

    @Test func placeOrderThroughTheExecutorIsIdempotentAndFormatsMoney() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let executor = ToolExecutor(registry: try ToolRegistry(modules: [CatalogModule(store: store)]))
        let context = ToolContext(customerID: Seed.silver, locale: "de-DE")
        let call = Self.call("call_42", "place_order", #"{"items":[{"product_id":"SKU-2024-BF","quantity":1}]}"#)
        let first = await executor.execute([call], context: context)
        let again = await executor.execute([call], context: context)
        #expect(first.first?.status == "ok")
        #expect(first.first?.content == again.first?.content)
        let result = try #require(first.first?.contentJSON.object)
        #expect(result["total_cents"] == 8549)
        #expect(result["total"] == "85,49 €")
        #expect(result["pricing_tier"] == "silver")
        #expect(try await stock(store, Seed.headphones) == 22)
    }

    /// A provider that sends no call ids gets `call_toolrt_0_0` for the first call of every response:
    /// a later turn's order must be a new order, not the replay of the first.
    @Test func generatedCallIDsAreNoIdempotencyKeys() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let executor = ToolExecutor(registry: try ToolRegistry(modules: [CatalogModule(store: store)]))
        let context = ToolContext(customerID: Seed.gold)
        var call = Self.call("call_toolrt_0_0", "place_order", #"{"items":[{"product_id":"SKU-2024-BF","quantity":1}]}"#)
        call.idWasGenerated = true
        let first = await executor.execute([call], context: context)
        let second = await executor.execute([call], context: context)
        #expect(first.map(\.status) == ["ok"])
        #expect(second.map(\.status) == ["ok"])
        let firstID = try #require(first.first?.contentJSON.object?["id"])
        let secondID = try #require(second.first?.contentJSON.object?["id"])
        #expect(firstID != secondID)
        #expect(try await stock(store, Seed.headphones) == 21)
    }

    @Test func invalidArgumentsNeverReachTheStore() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let executor = ToolExecutor(registry: try ToolRegistry(modules: [CatalogModule(store: store)]))
        let context = ToolContext(customerID: Seed.gold)
        let outcomes = await executor.execute(
            [
                Self.call("a", "place_order", #"{"items":[{"product_id":"SKU-2024-BF","quantity":0}]}"#),
                Self.call("b", "check_order_status", #"{"order_id":"ORD-1"}"#),
                Self.call("c", "search_products", #"{"query":"maus","limit":51}"#),
            ],
            context: context
        )
        #expect(outcomes.map(\.status) == ["invalid_arguments", "invalid_arguments", "invalid_arguments"])
        #expect(try await stock(store, Seed.headphones) == 23)
    }

    @Test func orderToolsActOnlyForTheContextCustomer() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let executor = ToolExecutor(registry: try ToolRegistry(modules: [CatalogModule(store: store)]))
        let foreign = await executor.execute(
            [Self.call("x", "check_order_status", #"{"order_id":"ORD-100001"}"#)],
            context: ToolContext(customerID: Seed.standard)
        )
        let missing = await executor.execute(
            [Self.call("y", "check_order_status", #"{"order_id":"ORD-999999"}"#)],
            context: ToolContext(customerID: Seed.standard)
        )
        #expect(foreign.first?.status == missing.first?.status)
        #expect(
            foreign.first?.content.replacingOccurrences(of: "ORD-100001", with: "ORD-999999")
                == missing.first?.content
        )
        #expect(foreign.first?.content.contains("order_not_found") == true)
        let anonymous = await executor.execute(
            [Self.call("z", "place_order", #"{"items":[{"product_id":"SKU-2024-BF","quantity":1}]}"#)],
            context: ToolContext()
        )
        #expect(anonymous.first?.content.contains("unknown_customer") == true)
        #expect(try await stock(store, Seed.headphones) == 23)
    }

    /// Anna (CUST-0001) is stored as German; a conversation in English must show her order lines'
    /// product names in English too, also when an order placed in German is replayed in English.
    @Test func orderLinesAreNamedInTheContextLanguageAlsoOnReplay() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let executor = ToolExecutor(registry: try ToolRegistry(modules: [CatalogModule(store: store)]))
        func names(_ outcome: ToolOutcome?) -> [String] {
            outcome?.contentJSON["lines"]?.array?.compactMap { $0["name"]?.string } ?? []
        }
        let english = ToolContext(customerID: Seed.gold, locale: "en-US")
        let german = ToolContext(customerID: Seed.gold, locale: "de-DE")
        let status = await executor.execute([Self.call("s1", "check_order_status", #"{"order_id":"ORD-100001"}"#)], context: english)
        let statusDE = await executor.execute([Self.call("s2", "check_order_status", #"{"order_id":"ORD-100001"}"#)], context: german)
        #expect(status.map(\.status) == ["ok"] && statusDE.map(\.status) == ["ok"])
        #expect(!names(status.first).isEmpty && names(status.first) != names(statusDE.first))

        let order = Self.call("call_lang", "place_order", #"{"items":[{"product_id":"SKU-2024-BF","quantity":1}]}"#)
        let placed = await executor.execute([order], context: german)
        let replayed = await executor.execute([order], context: english)
        #expect(names(placed.first) == ["Premium Kabellose Kopfhörer"])
        #expect(names(replayed.first) == ["Premium Wireless Headphones"])
        #expect(placed.first?.contentJSON["id"] == replayed.first?.contentJSON["id"])
        #expect(try await stock(store, Seed.headphones) == 22)

        let cancel = Self.call("call_cancel", "cancel_order", "{\"order_id\":\"\(placed.first?.contentJSON["id"]?.string ?? "")\"}")
        let cancelled = await executor.execute([cancel], context: english)
        let cancelReplayed = await executor.execute([cancel], context: german)
        #expect(cancelled.map(\.status) == ["ok"] && cancelReplayed.map(\.status) == ["ok"])
        #expect(names(cancelled.first) == ["Premium Wireless Headphones"])
        #expect(names(cancelReplayed.first) == ["Premium Kabellose Kopfhörer"])
        #expect(try await stock(store, Seed.headphones) == 23)
    }

    @Test func searchAndDiscountToolsAnswerInTheContextLanguage() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let executor = ToolExecutor(registry: try ToolRegistry(modules: [CatalogModule(store: store)]))
        let outcomes = await executor.execute(
            [
                Self.call("s", "search_products", #"{"query":"kopfhorer","limit":3}"#),
                Self.call("d", "calculate_discount", #"{"cart_total_cents":8999,"customer_tier":"gold"}"#),
            ],
            context: ToolContext(customerID: Seed.standard, locale: "de")
        )
        #expect(outcomes.map(\.status) == ["ok", "ok"])
        #expect(outcomes[0].content.contains("Kopfhörer"))
        let quote = try #require(outcomes[1].contentJSON.object)
        #expect(quote["discount_cents"] == 1350)
        #expect(quote["discount"] == "13,50 €")
        #expect(quote["applies_at_checkout"] == false)
    }

    @Test(arguments: [
        (Int64(0), "0,00 €", "€0.00"), (8999, "89,99 €", "€89.99"), (5, "0,05 €", "€0.05"),
        (123_456_789, "1.234.567,89 €", "€1,234,567.89"), (-1050, "-10,50 €", "-€10.50"),
    ])
    func moneyIsFormattedExactly(cents: Int64, german: String, english: String) {
        #expect(CatalogLanguage.de.formatPrice(cents: cents) == german)
        #expect(CatalogLanguage.en.formatPrice(cents: cents) == english)
    }

    static func call(_ id: String, _ name: String, _ arguments: String) -> ToolCall {
        ToolCall(
            index: 0,
            id: id,
            name: name,
            arguments: arguments,
            status: .complete,
            value: try? JSONParser.parse(arguments)
        )
    }
}
