import Synchronization
import Testing
import ToolRuntime

/// One scripted OpenAI chat response as SSE text: optional text, calls whose argument text is sent in
/// fragments, a finish reason and usage.
private func chatSSE(
    text: String = "",
    calls: [(id: String, name: String, fragments: [String])] = [],
    finish: String,
    usage: (prompt: Int, completion: Int)? = nil
) -> String {
    func chunk(_ delta: JSONValue, finish: String? = nil) -> String {
        let choice: JSONValue = ["index": 0, "delta": delta, "finish_reason": finish.map(JSONValue.string) ?? .null]
        return "data: " + (["id": "chatcmpl-1", "choices": [choice]] as JSONValue).jsonText + "\n\n"
    }
    var sse = chunk(["role": "assistant", "content": nil])
    if !text.isEmpty { sse += chunk(["content": .string(text)]) }
    for (index, call) in calls.enumerated() {
        let start: JSONValue = [
            "index": .number(JSONNumber(index)), "id": .string(call.id), "type": "function",
            "function": ["name": .string(call.name), "arguments": ""],
        ]
        sse += chunk(["tool_calls": [start]])
        for fragment in call.fragments {
            sse += chunk(["tool_calls": [["index": .number(JSONNumber(index)), "function": ["arguments": .string(fragment)]]]])
        }
    }
    sse += chunk([:], finish: finish)
    if let usage {
        let object: JSONValue = [
            "id": "chatcmpl-1", "choices": [],
            "usage": [
                "prompt_tokens": .number(JSONNumber(usage.prompt)), "completion_tokens": .number(JSONNumber(usage.completion)),
                "total_tokens": .number(JSONNumber(usage.prompt + usage.completion)),
            ],
        ]
        sse += "data: " + object.jsonText + "\n\n"
    }
    return sse + "data: [DONE]\n\n"
}

/// A model that answers each request with the next scripted SSE body, as 7-byte chunks (so lines,
/// escapes and UTF-8 are split), and records every request it gets.
private struct ScriptedModel: ModelClient {
    final class Log: Sendable {
        let requests = Mutex<[ModelRequest]>([])
    }

    let script: [String]
    let log = Log()

    init(_ script: [String]) { self.script = script }

    func stream(_ request: ModelRequest) async throws -> StreamEventSequence<ByteChunks> {
        let step = log.requests.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
        let bytes = Array(script[min(step, script.count - 1)].utf8)
        return StreamEventSequence(format: request.format, bytes: ByteChunks(bytes, chunkSize: 7))
    }

    var received: [ModelRequest] { log.requests.withLock { $0 } }
}

private func shopRegistry() throws -> ToolRegistry {
    try ToolRegistry { builder in
        builder.add(Echo.self) { args, _ in ["echoed": .string(args.text)] as JSONValue }
        builder.add(name: "add", description: "Adds.", parameters: ["type": "object"], safety: .idempotent) {
            arguments,
            _ in
            (arguments["a"]?.number?.int64Value ?? 0) + (arguments["b"]?.number?.int64Value ?? 0)
        }
    }
}

@Suite struct ConversationTests {
    @Test func multiStepLoopSendsTheExactFollowUpMessages() async throws {
        let model = ScriptedModel([
            chatSSE(
                calls: [
                    (id: "call_1", name: "echo", fragments: [#"{"te"#, #"xt": "h\u00e9"#, #"llo"}"#]),
                    (id: "call_2", name: "add", fragments: [#"{"a":2,"#, #" "b":3}"#]),
                ],
                finish: "tool_calls",
                usage: (100, 20)
            ),
            chatSSE(text: "Echoed héllo; 2 + 3 = 5.", finish: "stop", usage: (150, 10)),
        ])
        let price = ModelPrice(inputCentsPerMillionTokens: 250, outputCentsPerMillionTokens: 1000)
        let conversation = Conversation(
            client: model,
            executor: ToolExecutor(registry: try shopRegistry()),
            model: "gpt-4o",
            system: "You run a shop.",
            prices: ["gpt-4o": price]
        )
        let user: JSONValue = ["role": "user", "content": "Echo héllo and add 2 and 3"]
        let result = try await conversation.run([user], context: ToolContext())

        let requests = model.received
        #expect(requests.count == 2)
        #expect(requests[0].messages == [user])
        #expect(requests[0].body["tools"]?.array?.count == 2)
        #expect(requests[0].body["messages"]?[0] == ["role": "system", "content": "You run a shop."])
        let expectedStep2 = try JSONParser.parse(
            #"""
            [{"role":"user","content":"Echo héllo and add 2 and 3"},
             {"role":"assistant","content":null,"tool_calls":[
               {"id":"call_1","type":"function","function":{"name":"echo","arguments":"{\"text\": \"h\\u00e9llo\"}"}},
               {"id":"call_2","type":"function","function":{"name":"add","arguments":"{\"a\":2, \"b\":3}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"{\"echoed\":\"héllo\"}"},
             {"role":"tool","tool_call_id":"call_2","content":"5"}]
            """#
        )
        #expect(JSONValue.array(requests[1].messages) == expectedStep2)

        #expect(result.stop == .answered)
        #expect(result.text == "Echoed héllo; 2 + 3 = 5.")
        #expect(result.steps.count == 2)
        #expect(result.messages.count == 5)
        #expect(result.messages.last == ["role": "assistant", "content": "Echoed héllo; 2 + 3 = 5."])
        #expect(result.usage.promptTokens == 250)
        #expect(result.usage.completionTokens == 30)
        #expect(result.usage.totalTokens == 280)
        // 250 tokens x 250 cents/M + 30 x 1000 cents/M = 62,500 + 30,000 micro-cents.
        #expect(result.cost == Cost(microcents: 92_500))
        #expect(result.cost?.description == "$0.000925")
    }

    @Test func stopsAtTheStepLimitWithAValidTranscript() async throws {
        let model = ScriptedModel([
            chatSSE(calls: [(id: "call_x", name: "echo", fragments: [#"{"text":"again"}"#])], finish: "tool_calls")
        ])
        let conversation = Conversation(
            client: model,
            executor: ToolExecutor(registry: try shopRegistry()),
            model: "m",
            maxSteps: 3
        )
        let result = try await conversation.run([["role": "user", "content": "loop"]], context: ToolContext())
        #expect(result.stop == .stepLimit)
        #expect(model.received.count == 3)
        #expect(result.steps.count == 3)
        // user + 3 x (assistant with one call + its tool message)
        #expect(result.messages.count == 7)
        #expect(result.messages.last?["role"] == "tool")
    }

    @Test func aCutOffResponseRunsNothingAndStops() async throws {
        let ran = Timeline()
        let registry = try ToolRegistry { builder in
            builder.add(name: "order", description: "", parameters: ["type": "object"], safety: .sideEffecting) {
                _,
                _ in
                ran.record("order")
                return "ordered"
            }
        }
        let model = ScriptedModel([
            chatSSE(calls: [(id: "call_o", name: "order", fragments: [#"{"sku":"A"}"#])], finish: "length")
        ])
        let conversation = Conversation(client: model, executor: ToolExecutor(registry: registry), model: "m")
        let result = try await conversation.run([["role": "user", "content": "buy"]], context: ToolContext())
        #expect(result.stop == .cutOff(FinishReason(raw: "length")))
        #expect(ran.all.isEmpty)
        #expect(result.steps.first?.outcomes.map(\.status) == ["not_executed"])
        #expect(model.received.count == 1)
    }

    @Test func emitsEventsAUICanRender() async throws {
        let model = ScriptedModel([
            chatSSE(
                text: "Checking.",
                calls: [(id: "call_1", name: "echo", fragments: [#"{"text":"#, #""a"}"#])],
                finish: "tool_calls",
                usage: (10, 5)
            ),
            chatSSE(text: "Done.", finish: "stop", usage: (20, 2)),
        ])
        let conversation = Conversation(
            client: model,
            executor: ToolExecutor(registry: try shopRegistry()),
            model: "m",
            partialArguments: true
        )
        let collected = Mutex<[ConversationEvent]>([])
        let result = try await conversation.run([["role": "user", "content": "hi"]], context: ToolContext()) {
            (events: AsyncStream<ConversationEvent>) in
            for await event in events { collected.withLock { $0.append(event) } }
        }
        let events = collected.withLock { $0 }
        func kind(_ event: ConversationEvent) -> String {
            switch event {
            case .stepStarted: "step"
            case .textDelta: "text"
            case .reasoningDelta: "reasoning"
            case .callStarted: "call"
            case .argumentsGrew: "args"
            case .callValidated: "validated"
            case .callRejected: "rejected"
            case .callRunning: "running"
            case .callFinished: "finished"
            case .stepFinished: "stepDone"
            case .done: "done"
            }
        }
        var kinds: [String] = []
        for k in events.map(kind) where kinds.last != k { kinds.append(k) }
        #expect(kinds == ["step", "text", "call", "args", "validated", "running", "finished", "stepDone", "step", "text", "stepDone", "done"])
        let partials = events.compactMap { event -> JSONValue?? in
            if case .argumentsGrew(_, _, let partial) = event { return partial?.value }
            return nil
        }
        #expect(partials.last == .some(["text": "a"]))
        let finished = events.compactMap { event -> ToolOutcome? in
            if case .callFinished(let outcome) = event { return outcome }
            return nil
        }
        #expect(finished.map(\.content) == [#"{"echoed":"a"}"#])
        #expect(events.last == .done(result))
        #expect(result.usage.totalTokens == 37)
        #expect(result.cost == nil, "no price for the model")
    }

    /// A UI may keep every snapshot: later fragments (fed to the same parser, in place) must not
    /// change what an earlier snapshot shows.
    @Test func partialSnapshotsShowEachPrefixAndStayAsTaken() async throws {
        let fragments = [#"{"a":2,"#, #" "b":[1,"#, #"2,{"c":"x"#, #"yz"}"#, #",3]"#, "}"]
        let model = ScriptedModel([
            chatSSE(calls: [(id: "call_1", name: "add", fragments: fragments)], finish: "tool_calls", usage: (1, 1)),
            chatSSE(text: "ok", finish: "stop", usage: (1, 1)),
        ])
        let conversation = Conversation(
            client: model,
            executor: ToolExecutor(registry: try shopRegistry()),
            model: "m",
            partialArguments: true
        )
        let collected = Mutex<[(fragment: String, partial: PartialJSON?)]>([])
        _ = try await conversation.run([["role": "user", "content": "add"]], context: ToolContext()) {
            (events: AsyncStream<ConversationEvent>) in
            for await event in events {
                if case .argumentsGrew(_, let fragment, let partial) = event {
                    collected.withLock { $0.append((fragment, partial)) }
                }
            }
        }
        let received = collected.withLock { $0 }
        #expect(received.map(\.fragment).joined() == fragments.joined())
        var reference = IncrementalJSONParser()
        for (fragment, partial) in received {
            try reference.feed(fragment)
            #expect(partial?.value == reference.partialValue(), "after \(fragment.debugDescription)")
        }
        #expect(received.last?.partial?.value == ["a": 2, "b": [1, 2, ["c": "xyz"], 3]])
    }

    @Test func cancellationEndsTheLoopWithAResultPerCall() async throws {
        let started = Timeline()
        let registry = try ToolRegistry { builder in
            builder.add(name: "slow", description: "", parameters: ["type": "object"], safety: .readOnly, timeout: nil) {
                _,
                context in
                started.record(context.callID)
                try await Task.sleep(for: .seconds(10))
                return "late"
            }
        }
        let model = ScriptedModel([
            chatSSE(
                calls: [(id: "call_1", name: "slow", fragments: ["{}"]), (id: "call_2", name: "slow", fragments: ["{}"])],
                finish: "tool_calls"
            )
        ])
        let conversation = Conversation(client: model, executor: ToolExecutor(registry: registry), model: "m")
        let result = try await withThrowingTaskGroup(of: ConversationResult.self) { group in
            group.addTask { try await conversation.run([["role": "user", "content": "go"]], context: ToolContext()) }
            _ = await started.waitFor("call_2")
            group.cancelAll()
            return try await group.next()
        }
        #expect(result?.stop == .cancelled)
        #expect(result?.steps.first?.outcomes.map(\.status) == ["cancelled", "cancelled"])
        #expect(result?.messages.filter { $0["role"] == "tool" }.count == 2, "the transcript stays valid")
    }

    @Test func aBodyCutShortEndsTheLoopWithoutRunningItsCalls() async throws {
        let full = chatSSE(calls: [(id: "call_1", name: "echo", fragments: [#"{"text":"x"}"#])], finish: "tool_calls")
        // Drop the finish chunk and [DONE]: the connection dropped after the call's last fragment.
        let events = full.split(separator: "\n\n")
        let model = ScriptedModel([events.dropLast(2).joined(separator: "\n\n") + "\n\n"])
        let conversation = Conversation(client: model, executor: ToolExecutor(registry: try shopRegistry()), model: "m")
        let result = try await conversation.run([["role": "user", "content": "hi"]], context: ToolContext())
        guard case .streamError = result.stop else {
            Issue.record("expected a stream error, got \(result.stop)")
            return
        }
        #expect(result.steps.first?.outcomes.map(\.status) == ["not_executed"])
        #expect(model.received.count == 1)
    }

    @Test func requestBodiesFollowEachFormat() {
        let messages: [JSONValue] = [["role": "user", "content": "hi"]]
        let chat = ModelRequest(model: "m", format: .openAIChat, system: "S", messages: messages, tools: [], options: ["temperature": 0])
        #expect(
            chat.body
                == [
                    "model": "m", "messages": [["role": "system", "content": "S"], ["role": "user", "content": "hi"]],
                    "stream": true, "stream_options": ["include_usage": true], "temperature": 0,
                ]
        )
        let anthropic = ModelRequest(model: "m", format: .anthropicMessages, system: "S", messages: messages, tools: [["name": "t"]])
        #expect(anthropic.body["system"] == "S")
        #expect(anthropic.body["tools"] == [["name": "t"]])
        #expect(anthropic.body["max_tokens"] == 4096)
        let responses = ModelRequest(model: "m", format: .openAIResponses, system: "S", messages: messages)
        #expect(responses.body["input"] == .array(messages))
        #expect(responses.body["instructions"] == "S")
    }

    @Test func bytesDecodeIntoEventsWhateverTheChunking() async throws {
        let sse = chatSSE(text: "Hi", calls: [(id: "c", name: "echo", fragments: [#"{"text":"x"}"#])], finish: "tool_calls")
        let bytes = Array(sse.utf8)
        var reference: [StreamEvent]?
        for size in [1, 3, 64, bytes.count] {
            var events: [StreamEvent] = []
            for try await event in StreamEventSequence(format: nil, bytes: ByteChunks(bytes, chunkSize: size)) {
                events.append(event)
            }
            if let reference { #expect(events == reference) } else { reference = events }
        }
        #expect(reference?.contains(.textDelta(choice: 0, text: "Hi")) == true)
        #expect(reference?.last == .done)
    }
}
