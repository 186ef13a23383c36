extension ToolCall.Status {
    /// `complete`, `truncated` or `malformed`.
    public var name: String {
        switch self {
        case .complete: "complete"
        case .truncated: "truncated"
        case .malformed: "malformed"
        }
    }

    /// Why the call is not complete, in words; `nil` when it is.
    public var detail: String? {
        switch self {
        case .complete: nil
        case .truncated(let reason): reason
        case .malformed(let error): error.description
        }
    }
}

extension AssembledResponse {
    /// The response as JSON in the shape of `toolrt assemble`'s output:
    /// `{"format","choices":[{"index","content","reasoning","finish_reason","tool_calls":[{"index","id",
    /// "type","name","arguments","status"}]}],"usage","error"}`, where `arguments` is the exact text
    /// received. A call that is not complete also gets `"status_detail"`; diagnostics, when there
    /// are any, go in `"diagnostics"`.
    public var jsonValue: JSONValue {
        var root = JSONObject()
        root["format"] = format.map { .string($0.rawValue) } ?? .null
        var choiceValues: [JSONValue] = []
        for choice in choices {
            var object = JSONObject()
            object["index"] = .number(JSONNumber(choice.index))
            object["content"] = .string(choice.content)
            object["reasoning"] = .string(choice.reasoning)
            object["finish_reason"] = choice.finishReason.map { .string($0.raw) } ?? .null
            var calls: [JSONValue] = []
            for call in choice.toolCalls {
                var callObject = JSONObject()
                callObject["index"] = .number(JSONNumber(call.index))
                callObject["id"] = .string(call.id)
                callObject["type"] = .string((format ?? .openAIChat).wireType(of: call.kind))
                callObject["name"] = .string(call.name)
                callObject["arguments"] = .string(call.arguments)
                callObject["status"] = .string(call.status.name)
                if let detail = call.status.detail { callObject["status_detail"] = .string(detail) }
                calls.append(.object(callObject))
            }
            object["tool_calls"] = .array(calls)
            choiceValues.append(.object(object))
        }
        root["choices"] = .array(choiceValues)
        root["usage"] = usage?.raw ?? .null
        root["error"] = error?.raw ?? .null
        if !diagnostics.isEmpty {
            root["diagnostics"] = .array(diagnostics.map { .string($0.description) })
        }
        return .object(root)
    }
}
