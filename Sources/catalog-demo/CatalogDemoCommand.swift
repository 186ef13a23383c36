import ArgumentParser
import CatalogDemo
import CatalogTools
import Foundation
import ToolRuntime
import ToolRuntimeHTTP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct CatalogDemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog-demo",
        abstract: "ToolRuntime's demo shop: an LLM streams tool calls against a catalog on SQLite.",
        discussion: """
            Without arguments: the Black-Friday scenario with the built-in offline model (no network, no key).
            With --base-url and --model: the same against an OpenAI-compatible endpoint (key from $OPENAI_API_KEY).
            """,
        subcommands: [Scenario.self, Chat.self],
        defaultSubcommand: Scenario.self
    )
}

struct DemoOptions: ParsableArguments {
    @Option(help: "The SQLite database (default: $XDG_DATA_HOME/toolruntime/catalog.sqlite or ~/.local/share/…).")
    var db: String?

    @Flag(help: "Delete the database first, restoring the seed data from catalog/.")
    var reset = false

    @Option(help: "The signed-in customer (the tools act for this customer only).")
    var customer = "CUST-0001"

    @Option(help: "Language of the conversation: en or de.")
    var lang = "en"

    @Option(help: "An OpenAI-compatible API root, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1.")
    var baseURL: String?

    @Option(help: "The model name at --base-url (default with the offline model: toolruntime-offline-1).")
    var model: String?

    @Option(help: "The environment variable holding the API key for --base-url.")
    var apiKeyEnv = "OPENAI_API_KEY"

    @Option(help: "Seed of the offline model (same seed, same stream and call ids).")
    var seed: UInt64 = 2024

    @Option(help: "Milliseconds between the offline model's transport chunks.")
    var paceMs = 12

    @Flag(help: "Print the conversation's events as JSON lines.")
    var json = false

    func language() throws -> DemoSession.Language {
        guard let language = DemoSession.Language(rawValue: lang) else {
            throw ValidationError("--lang must be en or de, not \(lang)")
        }
        return language
    }

    func renderer(priceLabel: String?) -> DemoRenderer {
        let style: DemoRenderer.Style
        if json {
            style = .json
        } else if isatty(STDOUT_FILENO) == 1 {
            style = .terminal(width: Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100)
        } else {
            style = .plain
        }
        return DemoRenderer(style: style, priceLabel: priceLabel) { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    func session() throws -> (DemoSession, String) {
        let path = db ?? DemoSession.defaultDatabasePath()
        let store = try DemoSession.openStore(path: path, reset: reset)
        return (DemoSession(store: store, customerID: customer, language: try language()), path)
    }

    /// Runs `body` with the offline model, or with an HTTP client for `--base-url`.
    func withModel<Result: Sendable>(
        _ body: (_ client: any ModelClient, _ model: String, _ prices: [String: ModelPrice], _ label: String?)
            async throws -> Result
    ) async throws -> Result {
        // List prices in cents per million tokens, so the demo can show what a run costs.
        let prices: [String: ModelPrice] = [
            "gpt-4o-mini": ModelPrice(inputCentsPerMillionTokens: 15, outputCentsPerMillionTokens: 60),
            "gpt-4o": ModelPrice(inputCentsPerMillionTokens: 250, outputCentsPerMillionTokens: 1000),
            "deepseek-chat": ModelPrice(inputCentsPerMillionTokens: 27, outputCentsPerMillionTokens: 110),
        ]
        guard let baseURL else {
            let offline = OfflineCatalogModel(seed: seed, name: model ?? "toolruntime-offline-1")
            let client = OfflineModelClient(model: offline, pace: .milliseconds(max(0, paceMs)))
            return try await body(
                client,
                offline.name,
                [offline.name: prices["gpt-4o-mini"]!],
                "offline model, priced as gpt-4o-mini"
            )
        }
        guard let model else { throw ValidationError("--base-url needs --model NAME") }
        let configuration = try OpenAIChatConfiguration(
            baseURL: baseURL,
            model: model,
            apiKey: APIKey.environment(apiKeyEnv)
        )
        return try await OpenAIChatClient.withClient(configuration: configuration) { client in
            try await body(client, model, prices, prices[model] == nil ? nil : "list price of \(model)")
        }
    }
}

struct Scenario: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The Black-Friday scenario: stock, discounted price and order status, then an order."
    )

    @OptionGroup var options: DemoOptions

    func run() async throws {
        let (session, path) = try options.session()
        let outcome = try await options.withModel { client, model, prices, label in
            var renderer = options.renderer(priceLabel: label)
            renderer.note("database: \(path)  ·  customer \(session.customerID)  ·  model \(model)")
            let outcome = try await session.runScenario(client: client, model: model, prices: prices, renderer: &renderer)
            let replay =
                outcome.replayed
                ? " (same call id as an earlier run: the store returned the first result, stock unchanged)" : ""
            renderer.note("✔ order \(outcome.orderID) is in the database\(replay).")
            return outcome
        }
        _ = outcome
    }
}

struct Chat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Chat with the shop assistant (empty line or 'exit' ends).")

    @OptionGroup var options: DemoOptions

    func run() async throws {
        let (session, path) = try options.session()
        try await options.withModel { client, model, prices, label in
            var renderer = options.renderer(priceLabel: label)
            renderer.note("database: \(path)  ·  customer \(session.customerID)  ·  model \(model)")
            try await session.runChat(client: client, model: model, prices: prices, renderer: &renderer) {
                if !options.json { FileHandle.standardOutput.write(Data("\nyou › ".utf8)) }
                return readLine()
            }
        }
    }
}
