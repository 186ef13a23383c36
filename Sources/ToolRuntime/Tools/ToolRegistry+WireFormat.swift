extension ToolRegistry {
    /// The request's `tools` array in the shape `format` expects.
    ///
    /// - OpenAI chat: `[{"type":"function","function":{"name","description","parameters"}}]`
    /// - OpenAI Responses: `[{"type":"function","name","description","parameters"}]`
    /// - Anthropic: `[{"name","description","input_schema"}]`
    public func toolsJSON(for format: WireFormat) -> JSONValue {
        .array(
            tools.map { tool in
                switch format {
                case .openAIChat:
                    [
                        "type": "function",
                        "function": [
                            "name": .string(tool.name), "description": .string(tool.description),
                            "parameters": tool.parameters,
                        ],
                    ]
                case .openAIResponses:
                    [
                        "type": "function", "name": .string(tool.name), "description": .string(tool.description),
                        "parameters": tool.parameters,
                    ]
                case .anthropicMessages:
                    [
                        "name": .string(tool.name), "description": .string(tool.description),
                        "input_schema": tool.parameters,
                    ]
                }
            }
        )
    }
}
