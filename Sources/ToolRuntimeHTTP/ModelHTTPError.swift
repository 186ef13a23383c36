/// A failure talking to a model endpoint, phrased so a person can act on it.
///
/// The description never contains the API key or the request body; it may contain the first
/// ~200 bytes of a response body (an error document or a body that is not SSE), which servers
/// send to be read.
///
/// ```swift
/// do { for try await event in client.events(for: request) { … } }
/// catch let error as ModelHTTPError where error.code == .unauthorized { … }
/// ```
public struct ModelHTTPError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A stable category to branch on; ``description`` carries the details.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidConfiguration = "invalid_configuration"
            case unauthorized
            case rateLimited = "rate_limited"
            case serverError = "server_error"
            case httpStatus = "http_status"
            case notEventStream = "not_event_stream"
            case connectFailed = "connect_failed"
            case timedOut = "timed_out"
            case connectionLost = "connection_lost"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The base URL, model or key cannot make a request.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// HTTP 401/403: the API key is missing, wrong or not allowed to use the model.
        public static let unauthorized = Code(.unauthorized)
        /// HTTP 429 after the bounded retries (or a Retry-After beyond the allowed wait).
        public static let rateLimited = Code(.rateLimited)
        /// HTTP 5xx after the bounded retries.
        public static let serverError = Code(.serverError)
        /// Any other non-2xx status (400, 404, …); the server's own message is included.
        public static let httpStatus = Code(.httpStatus)
        /// A 2xx response whose body is not a Server-Sent Events stream.
        public static let notEventStream = Code(.notEventStream)
        /// No connection could be made (DNS, refused, TLS, connect timeout).
        public static let connectFailed = Code(.connectFailed)
        /// The read (idle) timeout or the total deadline passed.
        public static let timedOut = Code(.timedOut)
        /// The connection broke after the response had started: the response is unfinished.
        public static let connectionLost = Code(.connectionLost)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The HTTP status when one was received.
    public var status: Int?
    /// The whole human-readable message.
    public var message: String

    public init(code: Code, status: Int? = nil, message: String) {
        self.code = code
        self.status = status
        self.message = message
    }

    public var description: String { message }
}

extension ModelHTTPError {
    /// The first `limit` bytes of `body` as text for a message: invalid UTF-8 replaced, control
    /// characters shown as spaces, and an ellipsis when cut.
    static func excerpt(_ body: [UInt8], limit: Int = 200) -> String {
        let cut = body.count > limit
        var text = String(decoding: body.prefix(limit), as: UTF8.self)
        text = String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
        text = text.trimmingWhitespace()
        if text.isEmpty { return "(empty body)" }
        return cut ? "\"\(text)…\"" : "\"\(text)\""
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
