public import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
public import ToolRuntime

/// A streaming client for OpenAI-compatible Chat Completions endpoints.
///
/// It posts `{baseURL}/chat/completions` with `stream: true` (and
/// `stream_options.include_usage`), retries 429 and 5xx answers before the first byte as
/// ``RetryPolicy`` says, turns every other failure into a ``ModelHTTPError`` a person can act on,
/// and hands the body on as byte chunks exactly as they arrive.
///
/// ```swift
/// let configuration = try OpenAIChatConfiguration(
///     baseURL: "https://api.openai.com/v1", model: "gpt-4o-mini", apiKey: .environment())
/// try await OpenAIChatClient.withClient(configuration: configuration) { client in
///     let request = ModelRequest(model: "gpt-4o-mini", messages: messages, tools: registry.toolsJSON(for: .openAIChat))
///     for try await event in try await client.stream(request) { … }
/// }
/// ```
public struct OpenAIChatClient: Sendable {
    public let configuration: OpenAIChatConfiguration
    let httpClient: HTTPClient
    let logger: Logger

    /// Uses `httpClient` as it is: its own connect and read timeouts apply.
    public init(
        configuration: OpenAIChatConfiguration,
        httpClient: HTTPClient,
        logger: Logger = Logger(label: "toolruntime.http")
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
    }

    /// Runs `body` with a client whose `HTTPClient` has the configuration's connect and read
    /// timeouts, and shuts that `HTTPClient` down afterwards, also when `body` throws.
    public static func withClient<Result: Sendable>(
        configuration: OpenAIChatConfiguration,
        logger: Logger = Logger(label: "toolruntime.http"),
        _ body: (OpenAIChatClient) async throws -> Result
    ) async throws -> Result {
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.timeout = HTTPClient.Configuration.Timeout(
            connect: TimeAmount(configuration.connectTimeout),
            read: TimeAmount(configuration.readTimeout)
        )
        let httpClient = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: httpConfiguration,
            backgroundActivityLogger: logger
        )
        let client = OpenAIChatClient(configuration: configuration, httpClient: httpClient, logger: logger)
        let result: Result
        do {
            result = try await body(client)
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
        return result
    }

    /// The request body: ``ModelRequest/body`` (model, messages, tools, `stream`,
    /// `stream_options`), with the configuration's model when the request names none and its
    /// `extraBody` members where the request sets nothing.
    public func requestBody(for request: ModelRequest) -> [UInt8] {
        var request = request
        if request.model.trimmingWhitespace().isEmpty { request.model = configuration.model }
        var body = request.body.object ?? [:]
        for key in configuration.extraBody.keys where body[key] == nil { body[key] = configuration.extraBody[key] }
        if !configuration.includeUsage { body["stream_options"] = nil }
        return Array(JSONValue.object(body).jsonText.utf8)
    }

    // MARK: - Opening the response

    func makeRequest(body: [UInt8]) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: configuration.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let key = configuration.apiKey { request.headers.add(name: "Authorization", value: "Bearer " + key.value) }
        for header in configuration.headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        return request
    }

    /// Sends the request, retrying 429/5xx, until a 2xx response head arrives.
    func openResponse(body: [UInt8]) async throws -> HTTPClientResponse {
        let request = makeRequest(body: body)
        let deadline = NIODeadline.now() + TimeAmount(configuration.requestTimeout)
        let policy = configuration.retry
        var retry = 0
        while true {
            let response: HTTPClientResponse
            do {
                response = try await httpClient.execute(request, deadline: deadline, logger: logger)
            } catch {
                throw mapTransportError(error, responseStarted: false)
            }
            let status = Int(response.status.code)
            if (200..<300).contains(status) {
                try await checkContentType(response)
                return response
            }
            let errorBody = await Self.collectPrefix(of: response.body, limit: 4096)
            let retryAfter = response.headers.first(name: "Retry-After").flatMap {
                RetryAfter.parse($0, now: Int64(Date().timeIntervalSince1970))
            }
            let retryable = status == 429 || status == 408 || (500...599).contains(status) && status != 501
            if retryable, retry < policy.maxRetries {
                let wait = retryAfter ?? policy.backoff(forRetry: retry)
                if wait <= policy.maxRetryAfter {
                    logger.notice(
                        "model endpoint busy; retrying",
                        metadata: ["http.status": "\(status)", "retry": "\(retry + 1)", "wait": "\(wait)"]
                    )
                    try await policy.sleep(wait)
                    retry += 1
                    continue
                }
            }
            throw statusError(status: status, body: errorBody, retries: retry, retryAfter: retryAfter)
        }
    }

    /// A 2xx answer that says it is JSON or HTML is not a stream: show what it is instead of
    /// feeding it to the SSE parser (which would find no events and report less clearly).
    private func checkContentType(_ response: HTTPClientResponse) async throws {
        guard let type = response.headers.first(name: "Content-Type")?.lowercased(),
            !type.contains("text/event-stream"),
            type.contains("json") || type.contains("html")
        else { return }
        let prefix = await Self.collectPrefix(of: response.body, limit: 200)
        throw ModelHTTPError(
            code: .notEventStream,
            status: Int(response.status.code),
            message: "\(configuration.endpoint) answered \(response.status.code) with Content-Type \(type), not an "
                + "event stream (text/event-stream): \(ModelHTTPError.excerpt(prefix)). Does this server support "
                + "\"stream\": true on /chat/completions?"
        )
    }

    func statusError(status: Int, body: [UInt8], retries: Int, retryAfter: Duration?) -> ModelHTTPError {
        let said = "Server said: " + Self.serverMessage(body)
        let url = configuration.endpoint
        let tries = retries == 0 ? "" : " after \(retries) \(retries == 1 ? "retry" : "retries")"
        switch status {
        case 401:
            let key =
                configuration.apiKey.map { "the API key from \($0.source) was rejected (wrong, revoked or expired)" }
                ?? "no API key was sent; set OPENAI_API_KEY (or the provider's key variable)"
            return ModelHTTPError(code: .unauthorized, status: status, message: "HTTP 401 from \(url): \(key). \(said)")
        case 403:
            return ModelHTTPError(
                code: .unauthorized,
                status: status,
                message: "HTTP 403 from \(url): the API key is not allowed to use model \"\(configuration.model)\" "
                    + "or this endpoint. \(said)"
            )
        case 429:
            let wait = retryAfter.map { "; the server asks to wait \(Self.seconds($0))" } ?? ""
            return ModelHTTPError(
                code: .rateLimited,
                status: status,
                message: "HTTP 429 from \(url): rate limited\(tries)\(wait). \(said)"
            )
        case 500...599:
            return ModelHTTPError(
                code: .serverError,
                status: status,
                message: "HTTP \(status) from \(url): the server failed\(tries); try again later. \(said)"
            )
        default:
            let hint =
                status == 404
                ? " Check the base URL (it usually ends in /v1) and the model name \"\(configuration.model)\"." : ""
            return ModelHTTPError(code: .httpStatus, status: status, message: "HTTP \(status) from \(url).\(hint) \(said)")
        }
    }

    /// `error.message` of an OpenAI-style error document (or Ollama's `{"error":"…"}`), else the
    /// body's first 200 bytes.
    static func serverMessage(_ body: [UInt8]) -> String {
        if let document = try? JSONParser.parse(body) {
            if let message = document["error"]?["message"]?.string ?? document["error"]?.string
                ?? document["message"]?.string
            {
                return ModelHTTPError.excerpt(Array(message.utf8))
            }
        }
        return ModelHTTPError.excerpt(body)
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let tenths = attoseconds / 100_000_000_000_000_000
        return tenths == 0 ? "\(seconds) s" : "\(seconds).\(tenths) s"
    }

    /// Reads at most `limit` bytes of `body`; read errors end the excerpt (it is for a message).
    static func collectPrefix(of body: HTTPClientResponse.Body, limit: Int) async -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            for try await buffer in body {
                bytes.append(contentsOf: buffer.readableBytesView.prefix(limit - bytes.count))
                if bytes.count >= limit { break }
            }
        } catch {}
        return bytes
    }

    func mapTransportError(_ error: any Error, responseStarted: Bool) -> any Error {
        if error is CancellationError || error is ModelHTTPError { return error }
        let url = configuration.endpoint
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout:
                return ModelHTTPError(
                    code: .timedOut,
                    message: "No data from \(url) for \(Self.seconds(configuration.readTimeout)) (read timeout)"
                        + (responseStarted ? "; the response is unfinished." : ".")
                )
            case .connectTimeout:
                return ModelHTTPError(
                    code: .connectFailed,
                    message: "Could not connect to \(url) within \(Self.seconds(configuration.connectTimeout))."
                )
            case .deadlineExceeded:
                return ModelHTTPError(
                    code: .timedOut,
                    message: "The request to \(url) took longer than \(Self.seconds(configuration.requestTimeout)) "
                        + "(request timeout)" + (responseStarted ? "; the response is unfinished." : ".")
                )
            case .cancelled:
                return CancellationError()
            default:
                break
            }
        }
        if responseStarted {
            return ModelHTTPError(
                code: .connectionLost,
                message: "The connection to \(url) broke mid-response (\(error)); the response is unfinished."
            )
        }
        return ModelHTTPError(code: .connectFailed, message: "Could not reach \(url): \(error).")
    }
}

extension OpenAIChatClient: ModelClient {
    /// Sends `request` (retrying 429/5xx before the first byte) and returns its events as they
    /// arrive: body bytes → ``SSEParser`` → ``StreamDecoder``, the same path as any recording.
    ///
    /// - Throws: ``ModelHTTPError`` when the endpoint cannot be reached or refuses the request;
    ///   iterating the events throws it when the connection breaks mid-response.
    public func stream(_ request: ModelRequest) async throws -> StreamEventSequence<ResponseBytes> {
        guard request.format == .openAIChat else {
            throw ModelHTTPError(
                code: .invalidConfiguration,
                message: "OpenAIChatClient speaks the OpenAI Chat Completions format; the request is \(request.format.rawValue)."
            )
        }
        let response = try await openResponse(body: requestBody(for: request))
        return StreamEventSequence(format: .openAIChat, bytes: ResponseBytes(client: self, body: response.body))
    }
}

/// The body of one streamed completion as byte chunks, in arrival order.
///
/// A break in the connection after the response started throws ``ModelHTTPError`` with code
/// `connectionLost` (or `timedOut`), so an unfinished response is never mistaken for a finished
/// one. A body that starts like a JSON or HTML document instead of SSE lines throws
/// `notEventStream` with its first 200 bytes.
public struct ResponseBytes: AsyncSequence {
    public typealias Element = [UInt8]
    public typealias Failure = any Error

    let client: OpenAIChatClient
    let body: HTTPClientResponse.Body

    public func makeAsyncIterator() -> Iterator { Iterator(client: client, body: body.makeAsyncIterator()) }

    public struct Iterator: AsyncIteratorProtocol {
        let client: OpenAIChatClient
        var body: HTTPClientResponse.Body.AsyncIterator?
        /// Bytes held back until the first non-blank byte shows whether this is SSE at all.
        var head: [UInt8] = []
        var checked = false

        public mutating func next() async throws -> [UInt8]? {
            while true {
                guard var iterator = body else { return nil }
                let buffer: ByteBuffer?
                do {
                    buffer = try await iterator.next(isolation: #isolation)
                } catch {
                    body = nil
                    throw client.mapTransportError(error, responseStarted: true)
                }
                body = iterator
                guard let buffer else {
                    body = nil
                    if !checked, !head.isEmpty { return head }
                    return nil
                }
                if checked { return Array(buffer.readableBytesView) }
                head.append(contentsOf: buffer.readableBytesView)
                guard let first = head.first(where: { !Self.isBlank($0) }) else { continue }
                checked = true
                if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || first == UInt8(ascii: "<") {
                    try await rejectNonEventStream()
                }
                defer { head = [] }
                return head
            }
        }

        private mutating func rejectNonEventStream() async throws -> Never {
            while head.count < 200, var iterator = body, let more = try? await iterator.next(isolation: #isolation) {
                head.append(contentsOf: more.readableBytesView)
                body = iterator
            }
            body = nil
            throw ModelHTTPError(
                code: .notEventStream,
                message: "\(client.configuration.endpoint) answered with a body that is not an event stream: "
                    + "\(ModelHTTPError.excerpt(head)). Does this server support \"stream\": true on /chat/completions?"
            )
        }

        private static func isBlank(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
                || byte == 0xEF || byte == 0xBB || byte == 0xBF  // a UTF-8 BOM
        }
    }
}
