import CatalogDemo
import CatalogTools
import Foundation
import Testing
import ToolRuntime

/// The demo end to end on a real SQLite file: offline model → SSE bytes → assembler → executor →
/// catalog tools → follow-up messages, without pauses.
struct DemoScenarioTests {
    final class Output {
        var text = ""
    }

    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)/catalog.sqlite").path
    }

    static func run(
        path: String,
        seed: UInt64 = 2024,
        language: DemoSession.Language = .english,
        style: DemoRenderer.Style = .plain,
        reset: Bool = false
    ) async throws -> (DemoSession.ScenarioOutcome, String, Int) {
        let store = try DemoSession.openStore(path: path, reset: reset)
        let session = DemoSession(store: store, customerID: "CUST-0001", language: language)
        let output = Output()
        var renderer = DemoRenderer(style: style, priceLabel: "test") { output.text += $0 }
        let client = OfflineModelClient(model: OfflineCatalogModel(seed: seed), pace: .zero)
        let outcome = try await session.runScenario(
            client: client,
            model: client.model.name,
            prices: [client.model.name: ModelPrice(inputCentsPerMillionTokens: 15, outputCentsPerMillionTokens: 60)],
            renderer: &renderer
        )
        let stock = try await store.productInfo(id: "SKU-2024-BF").stock
        return (outcome, output.text, stock)
    }

    @Test func scenarioPlacesAnOrderThatIsInTheDatabase() async throws {
        let path = Self.temporaryDatabase()
        let (outcome, text, stock) = try await Self.run(path: path)
        #expect(!outcome.replayed)
        #expect(stock == 22)
        #expect(outcome.orderTotalCents == 7649)  // 89.99 € − 15 % gold discount, free shipping from 50 €
        let steps = outcome.results.flatMap(\.steps)
        #expect(steps.count == 5)  // product+order in parallel, discount, answer; order, answer
        #expect(steps[0].outcomes.map(\.call.name) == ["get_product_info", "check_order_status"])
        #expect(steps[0].outcomes.allSatisfy { !$0.isError })
        #expect(text.contains("is in stock: 23 available at a list price of €89.99"))
        #expect(text.contains("you pay €76.49"))
        #expect(text.contains("Your order ORD-100001 is shipped"))
        #expect(text.contains("Done: order \(outcome.orderID) is placed"))
        #expect(text.contains("cost $0.00"))
        #expect(!text.contains("\u{1B}["))  // plain style: no escape codes
        let stored = try await CatalogStore.open(path: path).orderStatus(orderID: outcome.orderID, customerID: "CUST-0001")
        #expect(stored.totalCents == 7649)
    }

    @Test func runningTwiceReplaysTheSameCallIDAndResetRestoresTheSeed() async throws {
        let path = Self.temporaryDatabase()
        let (first, _, _) = try await Self.run(path: path)
        let (second, _, stock) = try await Self.run(path: path)
        #expect(second.replayed)
        #expect(second.orderID == first.orderID)
        #expect(stock == 22)  // one order, not two
        let (otherSeed, _, stockAfterNewIDs) = try await Self.run(path: path, seed: 7)
        #expect(!otherSeed.replayed)
        #expect(otherSeed.orderID != first.orderID)
        #expect(stockAfterNewIDs == 21)
        let (afterReset, _, stockAfterReset) = try await Self.run(path: path, reset: true)
        #expect(!afterReset.replayed)
        #expect(stockAfterReset == 22)
    }

    @Test func germanScenarioAnswersInGerman() async throws {
        let (outcome, text, _) = try await Self.run(path: Self.temporaryDatabase(), language: .german)
        #expect(text.contains("ist auf Lager: 23 Stück, Listenpreis 89,99 €"))
        #expect(text.contains("zahlen Sie 76,49 €"))
        #expect(text.contains("Erledigt: Bestellung \(outcome.orderID) ist aufgegeben"))
    }

    @Test func jsonStyleWritesOneEventPerLine() async throws {
        let (_, text, _) = try await Self.run(path: Self.temporaryDatabase(), style: .json)
        let lines = text.split(separator: "\n")
        #expect(lines.count > 50)
        var kinds: Set<String> = []
        for line in lines {
            let event = try JSONParser.parse(String(line))
            kinds.insert(event["event"]?.string ?? "?")
        }
        #expect(kinds.isSuperset(of: ["user_message", "text_delta", "call_started", "arguments_grew", "call_finished", "done"]))
    }

    @Test func terminalStyleRedrawsCallLinesInPlace() async throws {
        let (_, text, _) = try await Self.run(path: Self.temporaryDatabase(), style: .terminal(width: 100))
        #expect(text.contains("\u{1B}[2A"))  // two parallel call lines redrawn together
        #expect(text.contains("✓ get_product_info"))
        // Call lines (redrawn after "\r") are clipped to the width, so none wraps and the redraw
        // moves the cursor over exactly the lines it drew; the answer text may wrap freely.
        var callLines = 0
        for segment in text.split(separator: "\r").dropFirst() {
            let visible = segment.replacing(/\x{1B}\[[0-9;]*[A-Za-z]/, with: "")
            guard let line = visible.split(separator: "\n").first, line.hasPrefix("  ") else { continue }
            callLines += 1
            #expect(line.count <= 100, "\(line)")
        }
        #expect(callLines > 20)
    }

    @Test func defaultDatabasePathFollowsXDG() {
        #expect(DemoSession.defaultDatabasePath(environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"]) == "/x/toolruntime/catalog.sqlite")
        #expect(DemoSession.defaultDatabasePath(environment: ["HOME": "/h"]) == "/h/.local/share/toolruntime/catalog.sqlite")
    }
}
