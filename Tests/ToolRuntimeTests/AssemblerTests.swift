import Testing
import ToolRuntime

/// One OpenAI chat chunk as an SSE event.
private func chat(_ delta: String, finish: String? = nil, choice: Int = 0, extra: String = "") -> String {
    let reason = finish.map { "\"\($0)\"" } ?? "null"
    return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":\(choice),\"delta\":{\(delta)},"
        + "\"finish_reason\":\(reason)}]\(extra)}\n\n"
}

private func call(_ index: Int?, id: String? = nil, name: String? = nil, arguments: String? = nil) -> String {
    var fields: [String] = []
    if let index { fields.append("\"index\":\(index)") }
    if let id { fields.append(id == "null" ? "\"id\":null" : "\"id\":\"\(id)\"") }
    var function: [String] = []
    if let name { function.append(name == "null" ? "\"name\":null" : "\"name\":\"\(name)\"") }
    if let arguments { function.append("\"arguments\":\(jsonString(arguments))") }
    fields.append("\"type\":\"function\",\"function\":{\(function.joined(separator: ","))}")
    return "\"tool_calls\":[{\(fields.joined(separator: ","))}]"
}

private func jsonString(_ text: String) -> String {
    var output = ""
    JSONValue.writeString(text, to: &output)
    return output
}

struct AssemblerTests {
    @Test func interleavedParallelCallsAreKeptApartByIndex() throws {
        let stream =
            chat("\"role\":\"assistant\",\"content\":null")
            + chat(call(0, id: "call_a", name: "get_weather", arguments: ""))
            + chat(call(1, id: "call_b", name: "get_time", arguments: ""))
            + chat(call(0, arguments: "{\"city\":"))
            + chat(call(1, arguments: "{\"tz\":\"Europe/Berlin\"}"))
            + chat(call(0, arguments: "\"Köln\"}"))
            + chat("", finish: "tool_calls")
            + "data: [DONE]\n\n"
        let (response, actions) = assemble(stream)
        let calls = response.toolCalls
        #expect(calls.map(\.id) == ["call_a", "call_b"])
        #expect(calls.map(\.name) == ["get_weather", "get_time"])
        #expect(calls.map(\.arguments) == [#"{"city":"Köln"}"#, #"{"tz":"Europe/Berlin"}"#])
        #expect(calls.allSatisfy { $0.status == .complete })
        #expect(calls[0].value == ["city": "Köln"])
        #expect(response.choices[0].finishReason == FinishReason(raw: "tool_calls"))
        #expect(response.sawDone)
        // Each call closes the moment its JSON closes: call 1 before call 0, both before the finish.
        let order = actions.compactMap { action -> String? in
            switch action {
            case .callClosed(let call): "closed \(call.index)"
            case .choiceFinished: "finished"
            default: nil
            }
        }
        #expect(order == ["closed 1", "closed 0", "finished"])
    }

    @Test func choicesComeOutInIndexOrderWhateverOrderTheyStreamIn() throws {
        // Choice 1 speaks first; both stream their text and a call's arguments chunk by chunk
        // (the decoder reads most of these chunks through its templates).
        var stream = chat(call(0, id: "call_b", name: "get_time", arguments: ""), choice: 1)
        for piece in ["{\"tz\":", "\"Europe/", "Berlin\"}"] { stream += chat(call(0, arguments: piece), choice: 1) }
        for word in ["Guten ", "Tag", "!"] { stream += chat("\"content\":\"\(word)\"") }
        for word in ["Hallo ", "Welt"] { stream += chat("\"content\":\"\(word)\"", choice: 1) }
        stream += chat("", finish: "stop") + chat("", finish: "tool_calls", choice: 1) + "data: [DONE]\n\n"
        let (response, _) = assemble(stream)
        #expect(response.choices.map(\.index) == [0, 1])
        #expect(response.choices.map(\.content) == ["Guten Tag!", "Hallo Welt"])
        #expect(response.choices[1].toolCalls.map(\.arguments) == [#"{"tz":"Europe/Berlin"}"#])
        #expect(response.choices[1].toolCalls.first?.status == .complete)
        #expect(response.toolCalls.map(\.id) == ["call_b"])
    }

    @Test func deltasWithoutIndexContinueTheLastCallOrStartANewOne() throws {
        // Mistral: no index, whole call in one chunk, finish_reason and usage on the same chunk.
        let stream =
            chat(call(nil, id: "A1", name: "add", arguments: "{\"a\":1}"))
            + chat(call(nil, id: "B2", name: "mul", arguments: "{\"b\":"))
            + chat(call(nil, arguments: "2}"), finish: "tool_calls", extra: ",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7}")
        let response = assemble(stream).response
        #expect(response.toolCalls.map(\.id) == ["A1", "B2"])
        #expect(response.toolCalls.map(\.arguments) == [#"{"a":1}"#, #"{"b":2}"#])
        #expect(response.usage?.promptTokens == 5)
        #expect(response.usage?.totalTokens == 12)
    }

    @Test func emptyOrNullNamesAndIdsNeverOverwriteKnownOnes() throws {
        let stream =
            chat(call(0, id: "call_1", name: "search", arguments: ""))
            + chat(call(0, id: "", name: "", arguments: "{\"q\":"))
            + chat(call(0, id: "null", name: "null", arguments: "1}"))
            + chat(call(0, id: "call_1", name: "search", arguments: ""))
            + chat("", finish: "tool_calls")
        let calls = assemble(stream).response.toolCalls
        #expect(calls.count == 1)
        #expect(calls.first?.id == "call_1")
        #expect(calls.first?.name == "search")
        #expect(calls.first?.arguments == #"{"q":1}"#)
    }

    @Test func argumentsInTheFirstDeltaAndTextBetweenCalls() throws {
        let stream =
            chat("\"content\":\"Moment\"")
            + chat(call(0, id: "x", name: "a", arguments: "{\"k\":"))
            + chat(call(0, arguments: "true}"))
            + chat("\"content\":\" …\"")
            + chat(call(1, id: "y", name: "b", arguments: "{}"))
            + chat("", finish: "tool_calls")
        let response = assemble(stream).response
        #expect(response.choices[0].content == "Moment …")
        #expect(response.toolCalls.map(\.arguments) == [#"{"k":true}"#, "{}"])
    }

    @Test func azureEmptyFirstChunkAndUsageInAChoicelessChunk() throws {
        let stream =
            "data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":[]}\n\n"
            + chat(call(0, id: "c1", name: "f", arguments: "{}"))
            + chat("", finish: "tool_calls")
            + "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}\n\n"
            + "data: [DONE]\n\n"
        let response = assemble(stream).response
        #expect(response.format == .openAIChat)
        #expect(response.toolCalls.count == 1)
        #expect(response.usage?.totalTokens == 7)
    }

    @Test func aMissingDoneStillGivesTheFinishedResponse() throws {
        let stream = chat(call(0, id: "c1", name: "f", arguments: "{\"a\":[1,2]}")) + chat("", finish: "tool_calls")
        let response = assemble(stream).response
        #expect(!response.sawDone)
        #expect(response.toolCalls.first?.status == .complete)
        #expect(response.choices[0].finishReason?.allowsExecution == true)
    }

    @Test func inStreamErrorEventIsReported() throws {
        let stream =
            chat("\"reasoning\":\"thinking\"")
            + "event: error\ndata: {\"error\":{\"message\":\"Tool call validation failed\",\"type\":\"invalid_request_error\",\"code\":\"tool_use_failed\"}}\n\n"
        let response = assemble(stream).response
        #expect(response.error?.code == "tool_use_failed")
        #expect(response.error?.type == "invalid_request_error")
        #expect(response.choices[0].reasoning == "thinking")
        #expect(response.choices[0].content == "")
    }

    @Test func reasoningIsKeptApartFromContent() throws {
        let stream =
            chat("\"reasoning_content\":\"Let me think.\"")
            + chat("\"content\":\"Answer\"")
            + chat("", finish: "stop")
        let response = assemble(stream).response
        #expect(response.choices[0].reasoning == "Let me think.")
        #expect(response.choices[0].content == "Answer")
    }

    @Test func utf8AndEscapesSplitAcrossDeltasAndTransportChunks() throws {
        // A surrogate pair escape, an escaped quote and a multi-byte character, each cut between two
        // deltas; the envelope itself uses \u escapes for non-ASCII in one chunk (ensure_ascii).
        let stream =
            chat(call(0, id: "u", name: "note", arguments: "{\"t\":\"Gr\\u00fc\u{00DF}e \\ud83d"))
            + chat(call(0, arguments: "\\ude00 \\\""))
            + "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\u00e4\\ud83c\\udf81\\\"}\"}}]},\"finish_reason\":null}]}\n\n"
            + chat("", finish: "tool_calls")
        let whole = assemble(stream).response
        let call = try #require(whole.toolCalls.first)
        #expect(call.arguments == #"{"t":"Gr\u00fcße \ud83d\ude00 \"ä🎁"}"#)
        #expect(call.value == ["t": "Grüße 😀 \"ä🎁"])
        for size in [1, 2, 3, 5, 7] {
            #expect(assemble(stream, chunkSizes: [size]).response == whole, "chunks of \(size)")
        }
        for seed: UInt64 in 1...10 {
            #expect(assemble(stream, chunkSizes: randomSplits(seed: seed)).response == whole)
        }
    }

    @Test func emptyOrWhitespaceArgumentsMeanAnEmptyObject() throws {
        let stream =
            chat(call(0, id: "a", name: "now", arguments: ""))
            + chat(call(1, id: "b", name: "later", arguments: "  "))
            + chat("", finish: "tool_calls")
        let calls = assemble(stream).response.toolCalls
        #expect(calls.map(\.status) == [.complete, .complete])
        #expect(calls.map(\.value) == [.object(JSONObject()), .object(JSONObject())])
        #expect(calls.map(\.arguments) == ["", "  "])
    }

    @Test func missingIdsAreMadeUpDeterministicallyAndDuplicatesReported() throws {
        let stream =
            chat(call(0, name: "a", arguments: "{}"))
            + chat(call(1, id: "dup", name: "b", arguments: "{}"))
            + chat(call(2, id: "dup", name: "c", arguments: "{}"))
            + chat("", finish: "tool_calls")
        let first = assemble(stream).response
        let second = assemble(stream).response
        #expect(first.toolCalls[0].idWasGenerated)
        #expect(first.toolCalls[0].id == second.toolCalls[0].id)
        #expect(!first.toolCalls[0].id.isEmpty)
        #expect(first.diagnostics.map(\.code) == [.duplicateCallID])
        #expect(first.toolCalls.count == 3)
    }

    /// Ids are looked up in a list for a few calls and in a table past 16: a duplicate names the
    /// call that brought the id first on both sides of the switch.
    @Test(arguments: [3, 16, 17, 40])
    func duplicateIdsNameTheFirstCallAtAnyCount(_ count: Int) throws {
        var stream = ""
        for index in 0..<count { stream += chat(call(index, id: "id\(index)", name: "f", arguments: "{}")) }
        // Duplicates of the first and the last distinct id, then of a duplicate's id again.
        stream += chat(call(count, id: "id0", name: "f", arguments: "{}"))
        stream += chat(call(count + 1, id: "id\(count - 1)", name: "f", arguments: "{}"))
        stream += chat(call(count + 2, id: "id0", name: "f", arguments: "{}"))
        stream += chat("", finish: "tool_calls")
        let response = assemble(stream).response
        #expect(response.toolCalls.count == count + 3)
        #expect(response.diagnostics.map(\.code) == [.duplicateCallID, .duplicateCallID, .duplicateCallID])
        let messages = response.diagnostics.map(\.message)
        #expect(messages.count == 3)
        guard messages.count == 3 else { return }
        #expect(messages[0].contains("used by call 0 of choice 0 and call \(count) of choice 0"), "\(messages[0])")
        #expect(messages[1].contains("used by call \(count - 1) of choice 0 and call \(count + 1)"), "\(messages[1])")
        #expect(messages[2].contains("used by call 0 of choice 0 and call \(count + 2)"), "\(messages[2])")
    }

    @Test func finishForLengthTruncatesOpenCalls() throws {
        let stream =
            chat(call(0, id: "a", name: "done", arguments: "{\"x\":1}"))
            + chat(call(1, id: "b", name: "open", arguments: "{\"items\":[1,"))
            + chat("", finish: "length")
        let response = assemble(stream).response
        #expect(response.toolCalls[0].status == .complete)
        guard case .truncated(let reason) = response.toolCalls[1].status else {
            Issue.record("expected truncated, got \(response.toolCalls[1].status)")
            return
        }
        #expect(reason.contains("length"))
        #expect(response.choices[0].finishReason?.allowsExecution == false)
        #expect(response.choices[0].finishReason?.category == .length)
    }

    @Test func theStreamEndingWhileACallIsOpenTruncatesIt() throws {
        let stream = chat(call(0, id: "a", name: "f", arguments: "{\"x\":\"unfinished"))
        let call = try #require(assemble(stream).response.toolCalls.first)
        guard case .truncated = call.status else {
            Issue.record("expected truncated, got \(call.status)")
            return
        }
        #expect(call.value == nil)
    }

    @Test func malformedArgumentsSayWhereAndWhy() throws {
        let stream =
            chat(call(0, id: "a", name: "f", arguments: "{\"x\": tru"))
            + chat(call(0, arguments: "e, \"y\": }"))
            + chat("", finish: "tool_calls")
        let call = try #require(assemble(stream).response.toolCalls.first)
        guard case .malformed(let error) = call.status else {
            Issue.record("expected malformed, got \(call.status)")
            return
        }
        #expect(error.offset == 17)
        #expect(error.kind == .unexpectedByte)
        #expect(call.arguments == #"{"x": true, "y": }"#)
    }

    @Test func textAfterAClosedCallMakesItMalformed() throws {
        let stream =
            chat(call(0, id: "a", name: "f", arguments: "{}"))
            + chat(call(0, arguments: " x"))
            + chat("", finish: "tool_calls")
        let (response, actions) = assemble(stream)
        let changed = actions.contains { if case .callChanged = $0 { true } else { false } }
        #expect(changed)
        guard case .malformed(let error) = response.toolCalls[0].status else {
            Issue.record("expected malformed")
            return
        }
        #expect(error.kind == .trailingContent)
    }

    @Test func theArgumentBoundMakesOnlyThatCallMalformed() throws {
        let limits = StreamLimits(maxArgumentBytes: 16)
        let stream =
            chat(call(0, id: "a", name: "big", arguments: "{\"text\":\"0123456789"))
            + chat(call(0, arguments: "0123456789\"}"))
            + chat(call(1, id: "b", name: "small", arguments: "{}"))
            + chat("", finish: "tool_calls")
        let calls = assemble(stream, limits: limits).response.toolCalls
        guard case .malformed(let error) = calls[0].status else {
            Issue.record("expected malformed, got \(calls[0].status)")
            return
        }
        #expect(error.kind == .sizeLimitExceeded)
        #expect(calls[0].arguments.utf8.count <= 16)
        #expect(calls[1].status == .complete)
    }

    @Test func theDepthBoundIsAClearErrorForThatCall() throws {
        let limits = StreamLimits(maxJSONDepth: 4)
        let stream =
            chat(call(0, id: "a", name: "deep", arguments: "{\"a\":[[[[1]]]]}"))
            + chat("", finish: "tool_calls")
        let call = try #require(assemble(stream, limits: limits).response.toolCalls.first)
        guard case .malformed(let error) = call.status else {
            Issue.record("expected malformed, got \(call.status)")
            return
        }
        #expect(error.kind == .depthLimitExceeded)
    }

    @Test func theCallBoundDropsLaterCallsWithADiagnostic() throws {
        let limits = StreamLimits(maxCallsPerResponse: 2)
        var stream = ""
        for index in 0..<5 { stream += chat(call(index, id: "c\(index)", name: "f", arguments: "{}")) }
        stream += chat("", finish: "tool_calls")
        let response = assemble(stream, limits: limits).response
        #expect(response.toolCalls.map(\.id) == ["c0", "c1"])
        #expect(response.diagnostics.map(\.code) == [.tooManyCalls])
    }

    @Test func theSSELineBoundStopsTheStreamWithAnError() throws {
        let limits = StreamLimits(sse: SSELimits(maxLineBytes: 64, maxEventBytes: 64))
        var pipeline = ToolCallPipeline(format: .openAIChat, limits: limits)
        let stream = chat(call(0, id: "a", name: "f", arguments: String(repeating: "x", count: 100)))
        #expect(throws: SSEError.self) { _ = try pipeline.feed(Array(stream.utf8)) }
        #expect(pipeline.finish().diagnostics.map(\.code) == [.sseLimitExceeded])
    }

    @Test func unknownEventTypesAndFieldsAreIgnored() throws {
        let anthropic = """
            event: message_start
            data: {"type":"message_start","message":{"id":"m","usage":{"input_tokens":5}}}

            event: shiny_new_event
            data: {"type":"shiny_new_event","payload":[1,{"x":"y"}]}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"f","input":{},"future":true}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"brand_new_delta","stuff":"?"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"a\\":1}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}


            """
        let response = assemble(anthropic).response
        #expect(response.format == .anthropicMessages)
        #expect(response.toolCalls.map(\.arguments) == [#"{"a":1}"#])
        #expect(response.usage?.promptTokens == 5)
        #expect(response.usage?.completionTokens == 9)
        #expect(response.diagnostics.isEmpty)
    }

    @Test func responsesArgumentsOnlyInTheDoneEvent() throws {
        // LM Studio: no argument deltas at all; data before event (Bedrock Mantle) too.
        let stream = """
            data: {"item":{"arguments":"","call_id":"call_9","id":"fc_1","name":"weather","type":"function_call"},"output_index":0,"type":"response.output_item.added"}
            event: response.output_item.added

            data: {"arguments":"{\\"city\\":\\"Paris\\"}","item_id":"fc_1","output_index":0,"type":"response.function_call_arguments.done"}
            event: response.function_call_arguments.done

            data: {"response":{"status":"completed","usage":{"input_tokens":1,"output_tokens":2,"total_tokens":3}},"type":"response.completed"}
            event: response.completed


            """
        let (response, actions) = assemble(stream)
        #expect(response.format == .openAIResponses)
        #expect(response.toolCalls.map(\.id) == ["call_9"])
        #expect(response.toolCalls.map(\.arguments) == [#"{"city":"Paris"}"#])
        #expect(response.toolCalls.first?.status == .complete)
        #expect(response.choices[0].finishReason?.raw == "completed")
        #expect(response.choices[0].finishReason?.allowsExecution == true)
        #expect(actions.contains { if case .callClosed = $0 { true } else { false } })
    }

    @Test func anthropicServerToolUseIsMarkedNotForTheClient() throws {
        let stream = """
            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"q\\":\\"x\\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}


            """
        let call = try #require(assemble(stream).response.toolCalls.first)
        #expect(call.kind == .serverTool)
        #expect(WireFormat.anthropicMessages.wireType(of: call.kind) == "server_tool_use")
    }

    @Test func finishReasonsAreClassified() {
        #expect(FinishReason(raw: "tool_calls").category == .toolCalls)
        #expect(FinishReason(raw: "function_call").allowsExecution)
        #expect(FinishReason(raw: "end_turn").category == .stop)
        #expect(FinishReason(raw: "max_tokens").truncatesOpenCalls)
        #expect(!FinishReason(raw: "content_filter").allowsExecution)
        #expect(FinishReason(raw: "pause_turn").category == .other)
        #expect(FinishReason(raw: "something_new").allowsExecution == false)
    }

    @Test func aBodyThatIsNotAnEventStreamIsReported() throws {
        var html = ToolCallPipeline()
        _ = try html.feed(Array("<html><body>502 Bad Gateway</body></html>".utf8))
        _ = html.finish()
        #expect(html.inputProblem != nil)

        var json = ToolCallPipeline()
        _ = try json.feed(Array("{\"error\":{\"message\":\"bad key\"}}".utf8))
        _ = json.finish()
        #expect(json.inputProblem != nil)

        var good = ToolCallPipeline()
        _ = try good.feed(Array(chat("\"content\":\"hi\"").utf8))
        _ = good.finish()
        #expect(good.inputProblem == nil)
    }

    @Test func thePartialViewShowsArgumentsWhileTheyStream() {
        var assembler = ToolCallAssembler(format: .openAIChat)
        _ = assembler.receive(.toolCallStart(choice: 0, index: 0, id: "a", name: "f", kind: .function))
        _ = assembler.receive(.toolCallArguments(choice: 0, index: 0, fragment: #"{"items":[{"sku":"A"#))
        let partial = assembler.partialArguments(choice: 0, index: 0)
        #expect(partial?["items"]?[0]?["sku"] == "A")
    }
}
