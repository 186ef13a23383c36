import Foundation
public import ToolRuntime

/// Where and how to reach an OpenAI-compatible Chat Completions endpoint.
///
/// The same dialect is spoken by OpenAI, DeepSeek, Ollama, llama.cpp's `llama-server`, vLLM and
/// most gateways, so the client sends only the plain fields every one of them accepts.
///
/// ```swift
/// let openAI = try OpenAIChatConfiguration(baseURL: "https://api.openai.com/v1", model: "gpt-4o-mini",
///                                          apiKey: .environment("OPENAI_API_KEY"))
/// let ollama = try OpenAIChatConfiguration(baseURL: "http://127.0.0.1:11434/v1", model: "qwen2.5")
/// ```
public struct OpenAIChatConfiguration: Sendable {
    /// The API root; the client posts to `{baseURL}/chat/completions`.
    public var baseURL: String
    /// The model used when a request names none.
    public var model: String
    /// Sent as `Authorization: Bearer …`; `nil` for local servers that need no key.
    public var apiKey: APIKey?
    /// Extra request headers (an organization id, a gateway token, …).
    public var headers: [(name: String, value: String)]
    /// Provider-specific body fields merged into every request (`temperature`, `max_tokens`,
    /// `parallel_tool_calls`, …); the client's own fields (`model`, `messages`, `tools`, `stream`)
    /// win on a clash.
    public var extraBody: JSONObject
    /// Ask for a final usage chunk (`stream_options.include_usage`). Turn off for a server that
    /// rejects the field.
    public var includeUsage: Bool
    /// The time allowed to open a connection (used when the client creates its own `HTTPClient`).
    public var connectTimeout: Duration
    /// The longest silence between two reads of the response (used when the client creates its
    /// own `HTTPClient`): a stalled stream fails instead of hanging.
    public var readTimeout: Duration
    /// The longest a whole request may take, streaming included.
    public var requestTimeout: Duration
    /// Retries of 429 and 5xx responses before the first byte.
    public var retry: RetryPolicy

    /// - Throws: ``ModelHTTPError`` (`invalidConfiguration`) when `baseURL` is not an http(s) URL
    ///   or `model` is empty.
    public init(
        baseURL: String,
        model: String,
        apiKey: APIKey? = nil,
        headers: [(name: String, value: String)] = [],
        extraBody: JSONObject = [:],
        includeUsage: Bool = true,
        connectTimeout: Duration = .seconds(10),
        readTimeout: Duration = .seconds(120),
        requestTimeout: Duration = .seconds(600),
        retry: RetryPolicy = RetryPolicy()
    ) throws(ModelHTTPError) {
        var base = baseURL.trimmingWhitespace()
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host?.isEmpty == false
        else {
            throw ModelHTTPError(
                code: .invalidConfiguration,
                message: "The base URL \"\(baseURL)\" is not an http(s) URL; expected e.g. https://api.openai.com/v1"
            )
        }
        guard !model.trimmingWhitespace().isEmpty else {
            throw ModelHTTPError(code: .invalidConfiguration, message: "No model name given (e.g. --model gpt-4o-mini).")
        }
        self.baseURL = base
        self.model = model
        self.apiKey = apiKey
        self.headers = headers
        self.extraBody = extraBody
        self.includeUsage = includeUsage
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.requestTimeout = requestTimeout
        self.retry = retry
    }

    /// `{baseURL}/chat/completions`.
    public var endpoint: String { baseURL + "/chat/completions" }
}

/// An API key that never shows itself in logs, `print` or string interpolation.
public struct APIKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    let value: String
    /// Where the key came from, for error messages (e.g. `$OPENAI_API_KEY`).
    public let source: String

    public init(_ value: String, source: String = "the configured API key") {
        self.value = value
        self.source = source
    }

    /// The key in environment variable `name`, or `nil` when it is unset or empty.
    public static func environment(_ name: String = "OPENAI_API_KEY") -> APIKey? {
        guard let value = ProcessInfo.processInfo.environment[name]?.trimmingWhitespace(), !value.isEmpty else {
            return nil
        }
        return APIKey(value, source: "$" + name)
    }

    public var description: String { "APIKey(\(source), redacted)" }
    public var debugDescription: String { description }
}
