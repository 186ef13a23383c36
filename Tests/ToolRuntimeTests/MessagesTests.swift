import Testing
import ToolRuntime

@Suite struct MessagesTests {
    /// Two calls: one succeeded (argument text with odd spacing, kept as is), one failed.
    let outcomes: [ToolOutcome] = {
        let first = ToolCall(
            index: 0,
            id: "call_a",
            name: "search",
            arguments: #"{ "q" :"mug"}"#,
            status: .complete,
            value: ["q": "mug"]
        )
        let second = ToolCall(
            index: 1,
            id: "call_b",
            name: "place_order",
            arguments: #"{"qty":0}"#,
            status: .complete,
            value: ["qty": 0]
        )
        let error = ToolCallError(
            code: .invalidArguments,
            toolName: "place_order",
            callID: "call_b",
            message: "Invalid arguments.",
            details: [.init(path: "/qty", keyword: "minimum", message: "must be >= 1, got 0")]
        )
        return [
            ToolOutcome(call: first, result: .success(["hits": 2]), duration: .milliseconds(3)),
            ToolOutcome(call: second, result: .failure(error), duration: .zero),
        ]
    }()

    @Test func openAIChatIsOneAssistantMessageThenOneToolMessagePerCall() throws {
        let messages = FollowUpMessages.messages(format: .openAIChat, text: "", outcomes: outcomes)
        let expected = try JSONParser.parse(
            #"""
            [{"role":"assistant","content":null,"tool_calls":[
               {"id":"call_a","type":"function","function":{"name":"search","arguments":"{ \"q\" :\"mug\"}"}},
               {"id":"call_b","type":"function","function":{"name":"place_order","arguments":"{\"qty\":0}"}}]},
             {"role":"tool","tool_call_id":"call_a","content":"{\"hits\":2}"},
             {"role":"tool","tool_call_id":"call_b","content":"{\"error\":{\"type\":\"invalid_arguments\",\"message\":\"Invalid arguments.\",\"details\":[{\"path\":\"/qty\",\"keyword\":\"minimum\",\"message\":\"must be >= 1, got 0\"}]}}"}]
            """#
        )
        #expect(JSONValue.array(messages) == expected)
        // The error content is exactly the documented shape, member order included.
        #expect(messages[2]["content"]?.string?.hasPrefix(#"{"error":{"type":"invalid_arguments""#) == true)
    }

    @Test func anthropicIsToolUseBlocksThenOneUserMessageOfResults() throws {
        let messages = FollowUpMessages.messages(format: .anthropicMessages, text: "Let me look.", outcomes: outcomes)
        let expected = try JSONParser.parse(
            #"""
            [{"role":"assistant","content":[
               {"type":"text","text":"Let me look."},
               {"type":"tool_use","id":"call_a","name":"search","input":{"q":"mug"}},
               {"type":"tool_use","id":"call_b","name":"place_order","input":{"qty":0}}]},
             {"role":"user","content":[
               {"type":"tool_result","tool_use_id":"call_a","content":"{\"hits\":2}"},
               {"type":"tool_result","tool_use_id":"call_b","is_error":true,
                "content":"{\"error\":{\"type\":\"invalid_arguments\",\"message\":\"Invalid arguments.\",\"details\":[{\"path\":\"/qty\",\"keyword\":\"minimum\",\"message\":\"must be >= 1, got 0\"}]}}"}]}]
            """#
        )
        #expect(JSONValue.array(messages) == expected)
    }

    @Test func anthropicSendsUnparsedArgumentsAsAnEmptyObject() {
        let broken = ToolCall(
            index: 0,
            id: "toolu_1",
            name: "search",
            arguments: #"{"q":"#,
            status: .truncated(reason: "max_tokens"),
            value: nil
        )
        let error = ToolCallError(code: .truncatedArguments, toolName: "search", callID: "toolu_1", message: "cut off")
        let messages = FollowUpMessages.messages(
            format: .anthropicMessages,
            text: "",
            outcomes: [ToolOutcome(call: broken, result: .failure(error), duration: .zero)]
        )
        #expect(messages[0]["content"]?[0]?["input"] == .object([:]))
        #expect(messages[1]["content"]?[0]?["is_error"] == true)
    }

    @Test func responsesAreFunctionCallItemsThenOutputs() {
        let items = FollowUpMessages.messages(format: .openAIResponses, text: "", outcomes: outcomes)
        #expect(items.map { $0["type"]?.string } == ["function_call", "function_call", "function_call_output", "function_call_output"])
        #expect(items[0]["arguments"] == #"{ "q" :"mug"}"#)
        #expect(items[3]["call_id"] == "call_b")
    }

    @Test func aPlainAnswerIsOneAssistantMessage() {
        #expect(FollowUpMessages.messages(format: .openAIChat, text: "Hi!", outcomes: []) == [["role": "assistant", "content": "Hi!"]])
        #expect(
            FollowUpMessages.messages(format: .anthropicMessages, text: "Hi!", outcomes: [])
                == [["role": "assistant", "content": [["type": "text", "text": "Hi!"]]]]
        )
    }

    @Test func aStringResultIsSentAsItself() {
        let call = ToolCall(index: 0, id: "c", name: "echo", arguments: "{}", status: .complete, value: [:])
        let outcome = ToolOutcome(call: call, result: .success("plain text"), duration: .zero)
        #expect(outcome.content == "plain text")
        #expect(ToolOutcome(call: call, result: .success(["a": "b"]), duration: .zero).content == #"{"a":"b"}"#)
    }
}
