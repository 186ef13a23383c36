import Foundation
import Hummingbird
import ToolRuntime
import ToolRuntimeHTTP

/// Run with `OPENAI_API_KEY=… swift run HummingbirdServer`, then
/// `curl -s localhost:8080/chat -H 'X-Customer-ID: c-42' -d '{"message":"What time is it in UTC?"}'`.
/// `BASE_URL` and `MODEL` point it at another OpenAI-compatible server (Ollama, vLLM, llama.cpp).
@main
struct App {
    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        let currentTime = try Tool(
            name: "current_time", description: "The current time in UTC, ISO 8601.",
            parameters: ["type": "object", "properties": [:], "additionalProperties": false],
            safety: .readOnly
        ) { (_: JSONValue, _) in Date().formatted(.iso8601) }
        let registry = try ToolRegistry { $0.add(currentTime) }
        let configuration = try OpenAIChatConfiguration(
            baseURL: environment["BASE_URL"] ?? "https://api.openai.com/v1",
            model: environment["MODEL"] ?? "gpt-4o-mini",
            apiKey: .environment("OPENAI_API_KEY"))
        try await OpenAIChatClient.withClient(configuration: configuration) { client in
            let conversation = Conversation(
                client: client, executor: ToolExecutor(registry: registry), model: configuration.model)
            let router = Router()
            ChatController(conversation: conversation).addRoutes(to: router)
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 8080)))
            try await app.runService()
        }
    }
}
