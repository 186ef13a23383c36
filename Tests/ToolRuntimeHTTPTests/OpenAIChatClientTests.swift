import NIOHTTP1
import Synchronization
import Testing
import ToolRuntime
import ToolRuntimeHTTP

/// A recorded-looking OpenAI stream: text, then two parallel calls, finish, usage, `[DONE]`.
let twoCallStream = """
    data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

    data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Checking…"},"finish_reason":null}]}

    data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_product_info","arguments":""}}]},"finish_reason":null}]}

    data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"product_id\\":\\"SKU-"}}]},"finish_reason":null}]}

    data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"place_order","arguments":""}}]},"finish_reason":null}]}

    data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\\"items\\":[{\\"product_id\\":\\"SKU-2024-BF\\","}}]},"finish_reason":null}]}

    data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"2024-BF\\"}"}}]},"finish_reason":null}]}

    data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"\\"quantity\\":1}]}"}}]},"finish_reason":null}]}

    data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

    data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":120,"completion_tokens":40,"total_tokens":160}}

    data: [DONE]


    """

/// The same stream cut after call 1's first fragment: call 0 is complete, call 1 is open.
let cutStream: String = {
    let events = twoCallStream.split(separator: "\n\n", omittingEmptySubsequences: true)
    let kept = events.prefix { !$0.contains("quantity") }
    return kept.map { $0 + "\n\n" }.joined()
}()

struct OpenAIChatClientTests {
    static func configuration(
        _ baseURL: String,
        key: String? = "sk-test-123456",
        readTimeout: Duration = .seconds(10),
        connectTimeout: Duration = .seconds(10),
        sleeps: SleepRecorder = SleepRecorder()
    ) throws -> OpenAIChatConfiguration {
        try OpenAIChatConfiguration(
            baseURL: baseURL,
            model: "gpt-test",
            apiKey: key.map { APIKey($0, source: "$TEST_KEY") },
            connectTimeout: connectTimeout,
            readTimeout: readTimeout,
            retry: RetryPolicy(maxRetries: 2, initialBackoff: .milliseconds(300), sleep: { await sleeps.record($0) })
        )
    }

    static let request = ModelRequest(
        model: "",
        messages: [["role": "user", "content": "Is SKU-2024-BF in stock?"]],
        tools: [["type": "function", "function": ["name": "get_product_info", "parameters": ["type": "object"]]]]
    )

    /// Streams `request` and assembles the events; rethrows a stream failure after recording what
    /// was assembled until then.
    static func assemble(
        _ configuration: OpenAIChatConfiguration
    ) async throws -> (AssembledResponse, (any Error)?) {
        try await OpenAIChatClient.withClient(configuration: configuration) { client in
            var assembler = ToolCallAssembler(format: .openAIChat)
            var failure: (any Error)?
            do {
                for try await event in try await client.stream(request) { _ = assembler.receive(event) }
            } catch let error as ModelHTTPError where error.code == .connectionLost || error.code == .timedOut {
                failure = error
            }
            return (assembler.finish(), failure)
        }
    }

    @Test func streamsAndAssemblesParallelCalls() async throws {
        try await TestSSEServer.withServer([.sse(twoCallStream, chunkSize: 37)]) { url, requests in
            let (response, failure) = try await Self.assemble(try Self.configuration(url))
            #expect(failure == nil)
            let calls = response.toolCalls
            #expect(calls.map(\.name) == ["get_product_info", "place_order"])
            #expect(calls.map(\.id) == ["call_a", "call_b"])
            #expect(calls[0].arguments == #"{"product_id":"SKU-2024-BF"}"#)
            #expect(calls[1].value == ["items": [["product_id": "SKU-2024-BF", "quantity": 1]]])
            #expect(calls.allSatisfy { $0.status == .complete })
            #expect(response.choices.first?.content == "Checking…")
            #expect(response.choices.first?.finishReason?.category == .toolCalls)
            #expect(response.usage?.totalTokens == 160)
            #expect(response.sawDone)

            let sent = try #require(requests.all.first)
            #expect(sent.method == .POST)
            #expect(sent.uri == "/v1/chat/completions")
            #expect(sent.headers["Authorization"] == ["Bearer sk-test-123456"])
            #expect(sent.headers["Accept"] == ["text/event-stream"])
            let body = try JSONParser.parse(sent.body)
            #expect(body["model"] == "gpt-test")  // the configuration's model fills an empty request model
            #expect(body["stream"] == true)
            #expect(body["stream_options"] == ["include_usage": true])
            #expect(body["messages"]?[0]?["content"] == "Is SKU-2024-BF in stock?")
            #expect(body["tools"]?[0]?["function"]?["name"] == "get_product_info")
        }
    }

    @Test func unauthorizedSaysTheKeyIsWrongWithoutShowingIt() async throws {
        let refusal = ScriptedResponse.status(
            .unauthorized,
            json: #"{"error":{"message":"Incorrect API key provided: sk-test-****3456.","type":"invalid_request_error","code":"invalid_api_key"}}"#
        )
        try await TestSSEServer.withServer([refusal]) { url, requests in
            let error = await #expect(throws: ModelHTTPError.self) { _ = try await Self.assemble(try Self.configuration(url)) }
            #expect(error?.code == .unauthorized)
            #expect(error?.status == 401)
            #expect(error?.message.contains("API key from $TEST_KEY was rejected") == true)
            #expect(error?.message.contains("Incorrect API key provided") == true)
            #expect(error?.message.contains("sk-test-123456") == false)
            #expect(requests.all.count == 1)  // a 401 is not retried
        }
    }

    @Test func unauthorizedWithoutKeySaysWhichVariableToSet() async throws {
        try await TestSSEServer.withServer([.status(.unauthorized, json: #"{"error":"unauthorized"}"#)]) { url, _ in
            let error = await #expect(throws: ModelHTTPError.self) {
                _ = try await Self.assemble(try Self.configuration(url, key: nil))
            }
            #expect(error?.message.contains("no API key was sent; set OPENAI_API_KEY") == true)
        }
    }

    @Test func rateLimitHonoursRetryAfterThenSucceeds() async throws {
        let limited = ScriptedResponse.status(
            .tooManyRequests,
            json: #"{"error":{"message":"Rate limit reached"}}"#,
            headers: [("Retry-After", "2")]
        )
        let sleeps = SleepRecorder()
        try await TestSSEServer.withServer([limited, .sse(twoCallStream)]) { url, requests in
            let (response, _) = try await Self.assemble(try Self.configuration(url, sleeps: sleeps))
            #expect(response.toolCalls.count == 2)
            #expect(requests.all.count == 2)
        }
        #expect(await sleeps.all == [.seconds(2)])
    }

    @Test func rateLimitGivesUpAfterBoundedRetries() async throws {
        let limited = ScriptedResponse.status(
            .tooManyRequests,
            json: #"{"error":{"message":"Rate limit reached"}}"#,
            headers: [("Retry-After", "1")]
        )
        let sleeps = SleepRecorder()
        try await TestSSEServer.withServer([limited]) { url, requests in
            let error = await #expect(throws: ModelHTTPError.self) {
                _ = try await Self.assemble(try Self.configuration(url, sleeps: sleeps))
            }
            #expect(error?.code == .rateLimited)
            #expect(error?.message.contains("after 2 retries") == true)
            #expect(error?.message.contains("Rate limit reached") == true)
            #expect(requests.all.count == 3)
        }
        #expect(await sleeps.all == [.seconds(1), .seconds(1)])
    }

    @Test func retryAfterLongerThanAllowedFailsAtOnce() async throws {
        let limited = ScriptedResponse.status(
            .tooManyRequests,
            json: #"{"error":{"message":"quota"}}"#,
            headers: [("Retry-After", "3600")]
        )
        try await TestSSEServer.withServer([limited]) { url, requests in
            let error = await #expect(throws: ModelHTTPError.self) { _ = try await Self.assemble(try Self.configuration(url)) }
            #expect(error?.message.contains("the server asks to wait 3600 s") == true)
            #expect(requests.all.count == 1)
        }
    }

    @Test func serverErrorIsRetriedWithBackoffThenSucceeds() async throws {
        let failed = ScriptedResponse.status(.internalServerError, json: #"{"error":{"message":"The server had an error"}}"#)
        let busy = ScriptedResponse.status(.serviceUnavailable, json: "upstream busy")
        let sleeps = SleepRecorder()
        try await TestSSEServer.withServer([failed, busy, .sse(twoCallStream)]) { url, requests in
            let (response, _) = try await Self.assemble(try Self.configuration(url, sleeps: sleeps))
            #expect(response.toolCalls.count == 2)
            #expect(requests.all.count == 3)
        }
        #expect(await sleeps.all == [.milliseconds(300), .milliseconds(600)])
    }

    @Test func serverErrorGivesUpWithTheServersMessage() async throws {
        let failed = ScriptedResponse.status(.badGateway, json: #"{"error":{"message":"upstream connect error"}}"#)
        try await TestSSEServer.withServer([failed]) { url, requests in
            let error = await #expect(throws: ModelHTTPError.self) { _ = try await Self.assemble(try Self.configuration(url)) }
            #expect(error?.code == .serverError)
            #expect(error?.message.contains("HTTP 502") == true)
            #expect(error?.message.contains("upstream connect error") == true)
            #expect(requests.all.count == 3)
        }
    }

    @Test func notFoundPointsAtBaseURLAndModel() async throws {
        try await TestSSEServer.withServer([.status(.notFound, json: #"{"error":"model 'gpt-test' not found"}"#)]) { url, _ in
            let error = await #expect(throws: ModelHTTPError.self) { _ = try await Self.assemble(try Self.configuration(url)) }
            #expect(error?.code == .httpStatus)
            #expect(error?.message.contains("Check the base URL") == true)
            #expect(error?.message.contains("model 'gpt-test' not found") == true)
        }
    }

    /// The connection breaks while call 1's arguments stream: the stream throws `connectionLost`,
    /// the choice has no finish reason, call 1 is truncated, and the executor runs neither the
    /// open call nor the complete side-effecting one.
    @Test func connectionCutMidStreamExecutesNothing() async throws {
        var cut = ScriptedResponse.sse(cutStream, chunkSize: 64)
        cut.cutAfterParts = true
        let runs = Mutex(0)
        let registry = try ToolRegistry { builder in
            for name in ["get_product_info", "place_order"] {
                builder.add(
                    try! Tool(name: name, description: name, parameters: ["type": "object"], safety: .sideEffecting) {
                        (_: JSONValue, _) in
                        runs.withLock { $0 += 1 }
                        return "ran"
                    }
                )
            }
        }
        try await TestSSEServer.withServer([cut]) { url, _ in
            try await OpenAIChatClient.withClient(configuration: try Self.configuration(url)) { client in
                var assembler = ToolCallAssembler(format: .openAIChat)
                let executor = ToolExecutor(registry: registry)
                let streamFailure = Mutex<ModelHTTPError?>(nil)
                let events = try await client.stream(Self.request)
                let outcomes = try await executor.execute(context: ToolContext()) { submit in
                    do {
                        for try await event in events {
                            for case .callClosed(let call) in assembler.receive(event) { submit(call) }
                        }
                    } catch let error as ModelHTTPError {
                        streamFailure.withLock { $0 = error }
                    }
                    let response = assembler.finish()
                    for call in response.toolCalls where call.status != .complete { submit(call) }
                    return response.choices.first?.finishReason
                }
                #expect(streamFailure.withLock { $0?.code } == .connectionLost)
                let response = assembler.response
                #expect(response.choices.first?.finishReason == nil)
                try #require(response.toolCalls.count == 2)
                #expect(response.toolCalls[0].status == .complete)
                if case .truncated = response.toolCalls[1].status {
                } else {
                    Issue.record("call 1 should be truncated, is \(response.toolCalls[1].status)")
                }
                #expect(outcomes.count == 2)
                #expect(runs.withLock { $0 } == 0)
            }
        }
    }

    @Test func slowDripOneByteAtATimeAssemblesTheSame() async throws {
        let bytes = Array(twoCallStream.utf8)
        var parts: [ScriptedResponse.Part] = []
        for byte in bytes {
            parts.append(.bytes([byte]))
            parts.append(.pause(.microseconds(200)))
        }
        let drip = ScriptedResponse(parts: parts)
        let (whole, _) = try await TestSSEServer.withServer([.sse(twoCallStream)]) { url, _ in
            try await Self.assemble(try Self.configuration(url))
        }
        let (dripped, failure) = try await TestSSEServer.withServer([drip]) { url, _ in
            try await Self.assemble(try Self.configuration(url))
        }
        #expect(failure == nil)
        #expect(dripped.toolCalls == whole.toolCalls)
        #expect(dripped.choices == whole.choices)
        #expect(dripped.usage == whole.usage)
        #expect(dripped.toolCalls.count == 2)
    }

    @Test func stalledStreamHitsTheReadTimeout() async throws {
        let stalled = ScriptedResponse(parts: [.bytes(Array(cutStream.utf8)), .pause(.seconds(60))])
        try await TestSSEServer.withServer([stalled]) { url, _ in
            let started = ContinuousClock.now
            let (response, failure) = try await Self.assemble(try Self.configuration(url, readTimeout: .milliseconds(300)))
            #expect((failure as? ModelHTTPError)?.code == .timedOut)
            #expect((failure as? ModelHTTPError)?.message.contains("read timeout") == true)
            #expect(ContinuousClock.now - started < .seconds(30))  // long before the server would go on
            #expect(response.choices.first?.finishReason == nil)
        }
    }

    @Test func jsonBodyInsteadOfStreamIsShownBriefly() async throws {
        let longJSON =
            #"{"id":"x","object":"chat.completion","choices":[{"message":{"content":""# + String(repeating: "a", count: 500)
            + #""}}]}"#
        try await TestSSEServer.withServer([.status(.ok, json: longJSON)]) { url, _ in
            let error = await #expect(throws: ModelHTTPError.self) { _ = try await Self.assemble(try Self.configuration(url)) }
            #expect(error?.code == .notEventStream)
            #expect(error?.message.contains("application/json") == true)
            #expect(error?.message.contains(#"{"id":"x","object":"chat.completion""#) == true)
            #expect(error?.message.contains(String(repeating: "a", count: 300)) == false)
        }
    }

    @Test func eventStreamHeaderWithDocumentBodyIsRejected() async throws {
        let mislabelled = ScriptedResponse(parts: [.bytes(Array("\n<html><body>Bad gateway</body></html>".utf8))])
        try await TestSSEServer.withServer([mislabelled]) { url, _ in
            let error = await #expect(throws: ModelHTTPError.self) { _ = try await Self.assemble(try Self.configuration(url)) }
            #expect(error?.code == .notEventStream)
            #expect(error?.message.contains("<html><body>Bad gateway") == true)
        }
    }

    @Test func refusedConnectionIsAClearError() async throws {
        // Port 1 on loopback: nothing listens there.
        let error = await #expect(throws: ModelHTTPError.self) {
            _ = try await Self.assemble(try Self.configuration("http://127.0.0.1:1/v1", connectTimeout: .seconds(1)))
        }
        #expect(error?.code == .connectFailed)
        #expect(error?.message.contains("http://127.0.0.1:1/v1/chat/completions") == true)
    }
}

/// Records the waits a ``RetryPolicy`` asks for instead of sleeping.
actor SleepRecorder {
    private(set) var all: [Duration] = []
    func record(_ duration: Duration) { all.append(duration) }
}
