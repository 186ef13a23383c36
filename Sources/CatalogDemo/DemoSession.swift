public import CatalogTools
import Foundation
import Logging
public import ToolRuntime

/// Everything the demo does, apart from parsing its command line: where the database lives, the
/// Black-Friday scenario, one chat turn, and the check that the placed order is really stored.
///
/// ```swift
/// let store = try DemoSession.openStore(path: DemoSession.defaultDatabasePath(), reset: false)
/// let session = DemoSession(store: store, customerID: "CUST-0001", language: .english)
/// let outcome = try await session.runScenario(client: OfflineModelClient(), model: "toolruntime-offline-1",
///                                             renderer: &renderer)
/// ```
public struct DemoSession: Sendable {
    public enum Language: String, Sendable, CaseIterable {
        case english = "en"
        case german = "de"
    }

    /// What the scenario left behind, for the exit code and the tests.
    public struct ScenarioOutcome: Sendable {
        /// The order `place_order` returned, read back from the database.
        public var orderID: String
        public var orderTotalCents: Int
        /// `true` when the order existed before this run (the same call id was replayed, so the
        /// store returned the first result and changed nothing).
        public var replayed: Bool
        public var results: [ConversationResult]
    }

    public struct ScenarioError: Error, CustomStringConvertible {
        public var description: String
    }

    public let store: CatalogStore
    public let customerID: String
    public let language: Language

    public init(store: CatalogStore, customerID: String = "CUST-0001", language: Language = .english) {
        self.store = store
        self.customerID = customerID
        self.language = language
    }

    // MARK: - Database location

    /// `$XDG_DATA_HOME/toolruntime/catalog.sqlite`, else `~/.local/share/toolruntime/catalog.sqlite`.
    public static func defaultDatabasePath(environment: [String: String]? = nil) -> String {
        let environment = environment ?? ProcessInfo.processInfo.environment
        let base =
            environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
        return base + "/toolruntime/catalog.sqlite"
    }

    /// Opens (creating, migrating and seeding from `catalog/` on first use) the database at `path`;
    /// `reset` deletes it first, which restores the seed.
    public static func openStore(path: String, reset: Bool) throws -> CatalogStore {
        let files = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try files.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        if reset {
            for suffix in ["", "-wal", "-shm"] where files.fileExists(atPath: path + suffix) {
                try files.removeItem(atPath: path + suffix)
            }
        }
        return try CatalogStore.open(path: path)
    }

    // MARK: - Conversation

    public var system: String {
        switch language {
        case .english:
            "You are the assistant of a small online shop. Use the tools for every fact about products, "
                + "prices, discounts and orders. Answer in English, briefly."
        case .german:
            "Du bist der Assistent eines kleinen Onlineshops. Nutze die Tools für alle Angaben zu Produkten, "
                + "Preisen, Rabatten und Bestellungen. Antworte auf Deutsch, kurz."
        }
    }

    public var context: ToolContext {
        // The view shows every rejection and failure already; the log keeps only errors.
        var logger = Logger(label: "catalog-demo")
        logger.logLevel = .error
        return ToolContext(customerID: customerID, locale: language == .german ? "de-DE" : "en-US", logger: logger)
    }

    /// The customer's two messages of the Black-Friday scenario.
    public var scenarioMessages: [String] {
        switch language {
        case .english:
            [
                "Hi! Is SKU-2024-BF in stock, what does it cost with my discount, and what's the status of my "
                    + "last order ORD-100001?",
                "Great, please order it.",
            ]
        case .german:
            [
                "Hallo! Ist SKU-2024-BF auf Lager, was kostet er mit meinem Rabatt, und wie ist der Status meiner "
                    + "letzten Bestellung ORD-100001?",
                "Super, dann bestelle ich ihn bitte.",
            ]
        }
    }

    public func registry() throws -> ToolRegistry {
        try ToolRegistry(modules: [CatalogModule(store: store)])
    }

    /// One user message through the tool loop, rendered as it streams.
    public func turn<Client: ModelClient>(
        _ text: String,
        after transcript: [JSONValue],
        conversation: Conversation<Client>,
        renderer: inout DemoRenderer
    ) async throws -> ConversationResult {
        renderer.user(text)
        let messages = transcript + [["role": "user", "content": .string(text)]]
        return try await conversation.run(messages, context: context) { events in
            for await event in events { renderer.render(event) }
        }
    }

    public func conversation<Client: ModelClient>(
        client: Client,
        model: String,
        prices: [String: ModelPrice] = [:]
    ) throws -> Conversation<Client> {
        Conversation(
            client: client,
            executor: ToolExecutor(registry: try registry()),
            model: model,
            system: system,
            prices: prices
        )
    }

    /// The Black-Friday scenario: stock, discounted price and order status in one question (two
    /// calls in parallel, then the dependent discount), then the order; finally the order is read
    /// back from the database.
    public func runScenario<Client: ModelClient>(
        client: Client,
        model: String,
        prices: [String: ModelPrice] = [:],
        renderer: inout DemoRenderer
    ) async throws -> ScenarioOutcome {
        let conversation = try conversation(client: client, model: model, prices: prices)
        let stockBefore = try await store.productInfo(id: "SKU-2024-BF").stock
        var transcript: [JSONValue] = []
        var results: [ConversationResult] = []
        for message in scenarioMessages {
            let result = try await turn(message, after: transcript, conversation: conversation, renderer: &renderer)
            transcript = result.messages
            results.append(result)
        }
        let placed = results.flatMap(\.steps).flatMap(\.outcomes).last { $0.call.name == "place_order" }
        guard let placed, !placed.isError, let orderID = placed.contentJSON["id"]?.string else {
            throw ScenarioError(
                description: "The scenario placed no order: \(placed.map { $0.content } ?? "no place_order call")."
            )
        }
        let stored = try await store.orderStatus(orderID: orderID, customerID: customerID)
        let stockAfter = try await store.productInfo(id: "SKU-2024-BF").stock
        return ScenarioOutcome(
            orderID: stored.id,
            orderTotalCents: stored.totalCents,
            replayed: stockAfter == stockBefore,
            results: results
        )
    }

    /// The interactive chat: one turn per line from `nextLine` until it returns `nil`, an empty
    /// line, `exit` or `quit`; the transcript carries over between turns.
    public func runChat<Client: ModelClient>(
        client: Client,
        model: String,
        prices: [String: ModelPrice] = [:],
        renderer: inout DemoRenderer,
        nextLine: () -> String?
    ) async throws {
        let conversation = try conversation(client: client, model: model, prices: prices)
        var transcript: [JSONValue] = []
        while let line = nextLine(), !line.isEmpty, line != "exit", line != "quit" {
            transcript = try await turn(line, after: transcript, conversation: conversation, renderer: &renderer).messages
        }
    }
}
