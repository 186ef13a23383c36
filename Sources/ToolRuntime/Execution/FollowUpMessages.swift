/// The messages that follow a response in the next request: the assistant's turn as the model sent it,
/// then the results of its tool calls, in call order, in the shape the wire format expects.
///
/// ```swift
/// let outcomes = await executor.execute(response.toolCalls, context: context)
/// messages += FollowUpMessages.messages(format: .openAIChat, text: choice.content, outcomes: outcomes)
/// // [{"role":"assistant","content":null,"tool_calls":[…every call…]},
/// //  {"role":"tool","tool_call_id":"call_1","content":"…"}, …]
/// ```
public enum FollowUpMessages {
    /// The assistant message carrying `text` and every call of `outcomes`, then their results.
    ///
    /// - OpenAI chat: ONE assistant message with all `tool_calls` (id, type, name, arguments as the
    ///   exact text received), then one `{"role":"tool","tool_call_id","content"}` per call.
    /// - Anthropic: an assistant message of `text` and `tool_use` blocks, then ONE user message of
    ///   `tool_result` blocks (`is_error: true` for errors).
    /// - OpenAI Responses: the assistant text as a message item, a `function_call` item per call, then
    ///   a `function_call_output` item per call.
    ///
    /// With no outcomes this is just the assistant's text message.
    public static func messages(format: WireFormat, text: String, outcomes: [ToolOutcome]) -> [JSONValue] {
        switch format {
        case .openAIChat: openAIChat(text: text, outcomes: outcomes)
        case .anthropicMessages: anthropic(text: text, outcomes: outcomes)
        case .openAIResponses: responses(text: text, outcomes: outcomes)
        }
    }

    private static func openAIChat(text: String, outcomes: [ToolOutcome]) -> [JSONValue] {
        var assistant: JSONObject = ["role": "assistant", "content": text.isEmpty ? .null : .string(text)]
        guard !outcomes.isEmpty else { return [.object(assistant)] }
        assistant["tool_calls"] = .array(
            outcomes.map { outcome in
                [
                    "id": .string(outcome.call.id), "type": "function",
                    "function": ["name": .string(outcome.call.name), "arguments": .string(outcome.call.arguments)],
                ]
            }
        )
        var messages: [JSONValue] = [.object(assistant)]
        messages.reserveCapacity(outcomes.count + 1)
        for outcome in outcomes {
            messages.append(["role": "tool", "tool_call_id": .string(outcome.call.id), "content": .string(outcome.content)])
        }
        return messages
    }

    private static func anthropic(text: String, outcomes: [ToolOutcome]) -> [JSONValue] {
        var blocks: [JSONValue] = []
        if !text.isEmpty { blocks.append(["type": "text", "text": .string(text)]) }
        for outcome in outcomes {
            // `input` must be an object: arguments that never parsed are sent as {} (their error says why).
            let input: JSONValue =
                if case .object = outcome.call.value { outcome.call.value ?? .object([:]) } else { .object([:]) }
            blocks.append([
                "type": "tool_use", "id": .string(outcome.call.id), "name": .string(outcome.call.name), "input": input,
            ])
        }
        let assistant: JSONValue = ["role": "assistant", "content": .array(blocks)]
        guard !outcomes.isEmpty else { return [assistant] }
        let results: [JSONValue] = outcomes.map { outcome in
            var block: JSONObject = [
                "type": "tool_result", "tool_use_id": .string(outcome.call.id), "content": .string(outcome.content),
            ]
            if outcome.isError { block["is_error"] = true }
            return .object(block)
        }
        return [assistant, ["role": "user", "content": .array(results)]]
    }

    private static func responses(text: String, outcomes: [ToolOutcome]) -> [JSONValue] {
        var items: [JSONValue] = []
        if !text.isEmpty || outcomes.isEmpty {
            items.append(["type": "message", "role": "assistant", "content": .string(text)])
        }
        for outcome in outcomes {
            items.append([
                "type": "function_call", "call_id": .string(outcome.call.id), "name": .string(outcome.call.name),
                "arguments": .string(outcome.call.arguments),
            ])
        }
        for outcome in outcomes {
            items.append([
                "type": "function_call_output", "call_id": .string(outcome.call.id), "output": .string(outcome.content),
            ])
        }
        return items
    }
}
