import Testing
import ToolRuntime

/// The follow-up messages and tool contents, checked byte for byte (member order included) against the
/// straightforward implementation they replaced, over random outcomes.
@Suite struct MessagesDifferentialTests {
    @Test(arguments: 0..<40)
    func messagesMatchTheReferenceByteForByte(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed) &* 104_729 &+ 17)
        let outcomes = (0..<Int.random(in: 0...5, using: &random)).map { randomOutcome(index: $0, using: &random) }
        let text = Bool.random(using: &random) ? "" : randomString(using: &random)
        for format in [WireFormat.openAIChat, .anthropicMessages, .openAIResponses] {
            let fast = JSONValue.array(FollowUpMessages.messages(format: format, text: text, outcomes: outcomes))
            let reference = JSONValue.array(ReferenceMessages.messages(format: format, text: text, outcomes: outcomes))
            #expect(fast.jsonText == reference.jsonText, "\(format)")
        }
    }

    @Test(arguments: 0..<40)
    func contentIsTheJSONTextOfTheResult(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed) &* 7_927 &+ 3)
        let outcome = randomOutcome(index: 0, using: &random)
        let expected: String =
            if case .success(.string(let text)) = outcome.result { text } else { outcome.contentJSON.jsonText }
        #expect(outcome.content == expected)
    }

    @Test func scalarContentIsItsJSONText() {
        let call = ToolCall(index: 0, id: "c", name: "n", arguments: "{}", status: .complete, value: [:])
        for value: JSONValue in [.null, true, false, 0, -12, 3.25, .number(JSONNumber(lexeme: "1E+400")!)] {
            #expect(ToolOutcome(call: call, result: .success(value), duration: .zero).content == value.jsonText)
        }
    }
}

private func randomString(using random: inout SeededGenerator) -> String {
    let pieces = ["a", "Z", "0", " ", "\"", "\\", "\n", "\u{01}", "é", "😀", "call_", "{", "}"]
    return (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
}

private func randomValue(depth: Int, using random: inout SeededGenerator) -> JSONValue {
    switch Int.random(in: 0...(depth > 2 ? 3 : 5), using: &random) {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &random))
    case 2: return .number(JSONNumber(Int64.random(in: -1000...1000, using: &random)))
    case 3: return .string(randomString(using: &random))
    case 4: return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in randomValue(depth: depth + 1, using: &random) })
    default:
        var object = JSONObject()
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            object[randomString(using: &random)] = randomValue(depth: depth + 1, using: &random)
        }
        return .object(object)
    }
}

private func randomOutcome(index: Int, using random: inout SeededGenerator) -> ToolOutcome {
    let arguments = randomValue(depth: 1, using: &random)
    let call = ToolCall(
        index: index,
        id: "call_" + randomString(using: &random),
        name: "tool" + randomString(using: &random),
        arguments: Bool.random(using: &random) ? arguments.jsonText : "{\"cut",
        status: .complete,
        value: Bool.random(using: &random) ? arguments : nil
    )
    if Bool.random(using: &random) {
        return ToolOutcome(call: call, result: .success(randomValue(depth: 0, using: &random)), duration: .zero)
    }
    let details = (0..<Int.random(in: 0...2, using: &random)).map { _ in
        ToolCallError.Detail(
            path: "/" + randomString(using: &random),
            keyword: "minimum",
            message: randomString(using: &random)
        )
    }
    let error = ToolCallError(
        code: .invalidArguments,
        toolName: call.name,
        callID: call.id,
        message: randomString(using: &random),
        details: details
    )
    return ToolOutcome(call: call, result: .failure(error), duration: .zero)
}

/// The follow-up messages as first written: dictionary literals, one member at a time.
private enum ReferenceMessages {
    static func messages(format: WireFormat, text: String, outcomes: [ToolOutcome]) -> [JSONValue] {
        switch format {
        case .openAIChat: openAIChat(text: text, outcomes: outcomes)
        case .anthropicMessages: anthropic(text: text, outcomes: outcomes)
        case .openAIResponses: responses(text: text, outcomes: outcomes)
        }
    }

    static func openAIChat(text: String, outcomes: [ToolOutcome]) -> [JSONValue] {
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
        for outcome in outcomes {
            messages.append(["role": "tool", "tool_call_id": .string(outcome.call.id), "content": .string(content(outcome))])
        }
        return messages
    }

    static func anthropic(text: String, outcomes: [ToolOutcome]) -> [JSONValue] {
        var blocks: [JSONValue] = []
        if !text.isEmpty { blocks.append(["type": "text", "text": .string(text)]) }
        for outcome in outcomes {
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
                "type": "tool_result", "tool_use_id": .string(outcome.call.id), "content": .string(content(outcome)),
            ]
            if outcome.isError { block["is_error"] = true }
            return .object(block)
        }
        return [assistant, ["role": "user", "content": .array(results)]]
    }

    static func responses(text: String, outcomes: [ToolOutcome]) -> [JSONValue] {
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
                "type": "function_call_output", "call_id": .string(outcome.call.id), "output": .string(content(outcome)),
            ])
        }
        return items
    }

    /// The content as first written: a string result as itself, anything else as JSON text.
    static func content(_ outcome: ToolOutcome) -> String {
        if case .success(.string(let text)) = outcome.result { return text }
        return outcome.contentJSON.jsonText
    }
}
