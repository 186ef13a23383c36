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
        let content: JSONValue = text.isEmpty ? .null : .string(text)
        guard !outcomes.isEmpty else { return [.object(distinct: ["role": "assistant", "content": content])] }
        // Indices rather than elements, and each field read in place: iterating the outcomes, or
        // binding a call, copied each one whole.
        let calls: [JSONValue] = outcomes.indices.map { index in
            Shape.callItem.make(
                .string(outcomes[index].call.id),
                Shape.function.make(.string(outcomes[index].call.name), .string(outcomes[index].call.arguments))
            )
        }
        var messages: [JSONValue] = []
        messages.reserveCapacity(outcomes.count + 1)
        messages.append(Shape.assistantWithCalls.make(content, .array(calls)))
        for index in outcomes.indices {
            messages.append(Shape.toolMessage.make(.string(outcomes[index].call.id), .string(outcomes[index].content)))
        }
        return messages
    }

    private static func anthropic(text: String, outcomes: [ToolOutcome]) -> [JSONValue] {
        var blocks: [JSONValue] = []
        blocks.reserveCapacity(outcomes.count + 1)
        if !text.isEmpty { blocks.append(.object(distinct: ["type": "text", "text": .string(text)])) }
        for outcome in outcomes {
            // `input` must be an object: arguments that never parsed are sent as {} (their error says why).
            let input: JSONValue =
                if case .object = outcome.call.value { outcome.call.value ?? .object([:]) } else { .object([:]) }
            blocks.append(Shape.toolUse.make(.string(outcome.call.id), .string(outcome.call.name), input))
        }
        let assistant: JSONValue = .object(distinct: ["role": "assistant", "content": .array(blocks)])
        guard !outcomes.isEmpty else { return [assistant] }
        let results: [JSONValue] = outcomes.map { outcome in
            (outcome.isError ? Shape.failedToolResult : Shape.toolResult)
                .make(.string(outcome.call.id), .string(outcome.content))
        }
        return [assistant, .object(distinct: ["role": "user", "content": .array(results)])]
    }

    private static func responses(text: String, outcomes: [ToolOutcome]) -> [JSONValue] {
        var items: [JSONValue] = []
        items.reserveCapacity(2 * outcomes.count + 1)
        if !text.isEmpty || outcomes.isEmpty {
            items.append(.object(distinct: ["type": "message", "role": "assistant", "content": .string(text)]))
        }
        for outcome in outcomes {
            items.append(
                Shape.functionCall.make(.string(outcome.call.id), .string(outcome.call.name), .string(outcome.call.arguments))
            )
        }
        for outcome in outcomes {
            items.append(Shape.functionCallOutput.make(.string(outcome.call.id), .string(outcome.content)))
        }
        return items
    }

    /// The objects made once per call, in the members' wire order.
    private enum Shape {
        static let assistantWithCalls = JSONObjectTemplate([
            "role": .constant("assistant"), "content": .fill, "tool_calls": .fill,
        ])
        static let callItem = JSONObjectTemplate(["id": .fill, "type": .constant("function"), "function": .fill])
        static let function = JSONObjectTemplate(["name": .fill, "arguments": .fill])
        static let toolMessage = JSONObjectTemplate(["role": .constant("tool"), "tool_call_id": .fill, "content": .fill])
        static let toolUse = JSONObjectTemplate([
            "type": .constant("tool_use"), "id": .fill, "name": .fill, "input": .fill,
        ])
        static let toolResult = JSONObjectTemplate([
            "type": .constant("tool_result"), "tool_use_id": .fill, "content": .fill,
        ])
        static let failedToolResult = JSONObjectTemplate([
            "type": .constant("tool_result"), "tool_use_id": .fill, "content": .fill, "is_error": .constant(true),
        ])
        static let functionCall = JSONObjectTemplate([
            "type": .constant("function_call"), "call_id": .fill, "name": .fill, "arguments": .fill,
        ])
        static let functionCallOutput = JSONObjectTemplate([
            "type": .constant("function_call_output"), "call_id": .fill, "output": .fill,
        ])
    }
}
