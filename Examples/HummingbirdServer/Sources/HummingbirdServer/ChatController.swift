import HTTPTypes
import Hummingbird
import ToolRuntime

/// `POST /chat`: one user message in, the model's answer (after its tool calls ran) out.
///
/// The customer the tools act for comes from the server (here a header standing in for your
/// authentication), never from the request body or the model.
struct ChatController<Client: ModelClient> {
    let conversation: Conversation<Client>

    struct ChatRequest: Decodable {
        var message: String
        /// Earlier messages of this chat (OpenAI chat shape), as returned by the previous reply.
        var transcript: [JSONValue]?
    }

    struct ChatReply: ResponseEncodable {
        struct Call: Encodable {
            var name: String
            var status: String
            var durationMilliseconds: Int64
        }

        var answer: String
        var calls: [Call]
        var totalTokens: Int?
        var transcript: [JSONValue]
    }

    /// Stands in for your authentication: a valid header name, so the literal cannot fail.
    static var customerHeader: HTTPField.Name { HTTPField.Name("X-Customer-ID")! }

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.post("chat") { request, context -> ChatReply in
            guard let customerID = request.headers[Self.customerHeader] else {
                throw HTTPError(.unauthorized, message: "sign in first (X-Customer-ID)")
            }
            let input = try await request.decode(as: ChatRequest.self, context: context)
            let toolContext = ToolContext(customerID: customerID, locale: "en-US", logger: context.logger)
            let messages = (input.transcript ?? []) + [["role": "user", "content": .string(input.message)]]
            let result = try await conversation.run(messages, context: toolContext)
            let calls = result.steps.flatMap(\.outcomes).map { outcome in
                let (seconds, attoseconds) = outcome.duration.components
                return ChatReply.Call(
                    name: outcome.call.name, status: outcome.status,
                    durationMilliseconds: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
            }
            return ChatReply(answer: result.text, calls: calls, totalTokens: result.usage.totalTokens, transcript: result.messages)
        }
    }
}
