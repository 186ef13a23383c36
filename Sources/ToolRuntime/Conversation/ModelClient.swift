/// A model endpoint: a request in, a stream of normalized ``StreamEvent``s out.
///
/// The HTTP client (``ToolRuntimeHTTP``) and the offline scripted model implement it; both produce
/// bytes that go through the same SSE → decoder path (``StreamEventSequence``), so a
/// ``Conversation`` cannot tell them apart.
///
/// ```swift
/// struct ScriptedModel: ModelClient {
///     func stream(_ request: ModelRequest) async throws -> StreamEventSequence<ByteChunks> {
///         StreamEventSequence(format: request.format, bytes: ByteChunks(sseBytes(for: request), chunkSize: 64))
///     }
/// }
/// ```
public protocol ModelClient: Sendable {
    /// The events of one response. Consumed once, by the task that asked for it.
    associatedtype Events: AsyncSequence<StreamEvent, any Error>

    /// Starts one streamed response.
    ///
    /// - Throws: when the request cannot be sent or the endpoint refuses it (HTTP status, auth).
    func stream(_ request: ModelRequest) async throws -> Events
}
