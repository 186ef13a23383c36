public import ToolRuntime

/// ``OfflineCatalogModel`` as a ``ModelClient``: each request becomes a real OpenAI chat SSE body,
/// handed out in transport chunks with a pause between them, and decoded by the same
/// ``StreamEventSequence`` a network response goes through.
///
/// ```swift
/// let client = OfflineModelClient(model: OfflineCatalogModel(seed: 2024))
/// let conversation = Conversation(client: client, executor: executor, model: client.model.name)
/// ```
public struct OfflineModelClient: ModelClient {
    public var model: OfflineCatalogModel
    /// The pause before each transport chunk (a model's token rate); zero in tests.
    public var pace: Duration
    /// Waits `pace`; injected so tests do not sleep.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        model: OfflineCatalogModel = OfflineCatalogModel(),
        pace: Duration = .milliseconds(12),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.model = model
        self.pace = pace
        self.sleep = sleep
    }

    public func stream(_ request: ModelRequest) async throws -> StreamEventSequence<PacedChunks> {
        StreamEventSequence(format: .openAIChat, bytes: PacedChunks(chunks: body(for: request), pace: pace, sleep: sleep))
    }

    /// The response body for `request`, in transport chunks.
    public func body(for request: ModelRequest) -> [[UInt8]] {
        var messages = request.messages
        if let system = request.system { messages.insert(["role": "system", "content": .string(system)], at: 0) }
        let reply = model.reply(to: messages, tools: request.tools?.array ?? [])
        var random = SeededRandom(seed: model.seed, "stream", "\(messages.count)", messages.last?.jsonText ?? "")
        let writer = OfflineStreamWriter(
            model: model.name,
            completionID: "chatcmpl-offline-\(messages.count)-\(model.seed)"
        )
        // About four bytes of prompt per token, as for English text with common tokenizers.
        let promptTokens = max(1, request.body.jsonText.utf8.count / 4)
        let events = writer.events(for: reply, promptTokens: promptTokens, using: &random)
        return writer.transportChunks(of: events, using: &random)
    }
}

/// Byte chunks handed out one by one with a pause before each (after the first).
public struct PacedChunks: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    public typealias Failure = any Error

    let chunks: [[UInt8]]
    let pace: Duration
    let sleep: @Sendable (Duration) async throws -> Void

    public func makeAsyncIterator() -> Iterator { Iterator(chunks: chunks[...], pace: pace, sleep: sleep) }

    public struct Iterator: AsyncIteratorProtocol {
        var chunks: ArraySlice<[UInt8]>
        let pace: Duration
        let sleep: @Sendable (Duration) async throws -> Void
        var started = false

        public mutating func next() async throws -> [UInt8]? {
            guard let chunk = chunks.popFirst() else { return nil }
            if started, pace > .zero { try await sleep(pace) }
            started = true
            return chunk
        }
    }
}
