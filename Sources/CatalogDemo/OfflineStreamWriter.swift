public import ToolRuntime

/// One reply of the offline model before it is put on the wire: text, then tool calls.
public struct OfflineReply: Sendable, Equatable {
    public struct Call: Sendable, Equatable {
        public var id: String
        public var name: String
        public var arguments: JSONValue

        public init(id: String, name: String, arguments: JSONValue) {
            self.id = id
            self.name = name
            self.arguments = arguments
        }
    }

    public var text: String
    public var calls: [Call]

    public init(text: String, calls: [Call] = []) {
        self.text = text
        self.calls = calls
    }

    /// `tool_calls` when the reply has calls, else `stop`.
    public var finishReason: String { calls.isEmpty ? "stop" : "tool_calls" }
}

/// Writes an ``OfflineReply`` as the body of an OpenAI Chat Completions stream, byte for byte what
/// a provider sends: a role chunk, text deltas a token at a time, each call's first delta with id,
/// type, name and `"arguments":""`, then argument fragments a token at a time with parallel calls
/// interleaved (sometimes two calls in one chunk), the finish chunk, a usage chunk with
/// `"choices":[]`, and `data: [DONE]`. The events are then cut into transport chunks at random
/// places (inside lines, inside multi-byte characters), as a network does.
public struct OfflineStreamWriter: Sendable {
    public var model: String
    public var completionID: String
    public var created: Int

    public init(model: String, completionID: String, created: Int = 1_732_838_400) {
        self.model = model
        self.completionID = completionID
        self.created = created
    }

    /// The SSE events (each `data: …\n\n`), in order.
    public func events(for reply: OfflineReply, promptTokens: Int, using random: inout SeededRandom) -> [[UInt8]] {
        var events: [[UInt8]] = []
        var completionTokens = 0
        events.append(chunk(delta: ["role": "assistant", "content": ""]))
        for token in TokenSplitter.split(reply.text, using: &random) {
            events.append(chunk(delta: ["content": .string(token)]))
            completionTokens += 1
        }

        // Per call: the fragments still to send. A call starts (first delta) only after every lower
        // index has started, as providers number them; after that, fragments of open calls interleave.
        var pending = reply.calls.map { TokenSplitter.split($0.arguments.jsonText, using: &random)[...] }
        var started = 0
        while pending.contains(where: { !$0.isEmpty }) || started < reply.calls.count {
            var open = pending.indices.filter { $0 < started && !pending[$0].isEmpty }
            if started < reply.calls.count && (open.isEmpty || Int.random(in: 0..<3, using: &random) == 0) {
                let call = reply.calls[started]
                let header: JSONValue = [
                    "index": .number(JSONNumber(started)), "id": .string(call.id), "type": "function",
                    "function": ["name": .string(call.name), "arguments": ""],
                ]
                events.append(chunk(delta: ["tool_calls": [header]]))
                completionTokens += 3
                started += 1
                continue
            }
            open.shuffle(using: &random)
            // Now and then one chunk carries fragments of two calls, which the format allows.
            let together = open.count > 1 && Int.random(in: 0..<5, using: &random) == 0 ? 2 : 1
            var deltas: [JSONValue] = []
            for index in open.prefix(together).sorted() {
                let fragment = pending[index].removeFirst()
                deltas.append(["index": .number(JSONNumber(index)), "function": ["arguments": .string(fragment)]])
                completionTokens += 1
            }
            events.append(chunk(delta: ["tool_calls": .array(deltas)]))
        }

        events.append(chunk(delta: [:], finishReason: reply.finishReason))
        let usage: JSONValue = [
            "prompt_tokens": .number(JSONNumber(promptTokens)),
            "completion_tokens": .number(JSONNumber(completionTokens)),
            "total_tokens": .number(JSONNumber(promptTokens + completionTokens)),
        ]
        events.append(frame(header(choices: [], usage: usage)))
        events.append(Array("data: [DONE]\n\n".utf8))
        return events
    }

    /// `events` cut into transport chunks: mostly one event per chunk, sometimes an event split in
    /// two at an arbitrary byte, sometimes two events in one chunk.
    public func transportChunks(of events: [[UInt8]], using random: inout SeededRandom) -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        var carry: [UInt8] = []
        for event in events {
            var bytes = carry + event
            carry = []
            switch Int.random(in: 0..<6, using: &random) {
            case 0 where bytes.count > 2:
                let cut = Int.random(in: 1..<bytes.count, using: &random)
                chunks.append(Array(bytes[..<cut]))
                bytes = Array(bytes[cut...])
                chunks.append(bytes)
            case 1:
                carry = bytes
            default:
                chunks.append(bytes)
            }
        }
        if !carry.isEmpty { chunks.append(carry) }
        return chunks
    }

    private func chunk(delta: JSONObject, finishReason: String? = nil) -> [UInt8] {
        let choice: JSONValue = [
            "index": 0, "delta": .object(delta), "logprobs": .null,
            "finish_reason": finishReason.map { JSONValue.string($0) } ?? .null,
        ]
        return frame(header(choices: [choice], usage: nil))
    }

    private func header(choices: [JSONValue], usage: JSONValue?) -> JSONValue {
        var object: JSONObject = [
            "id": .string(completionID), "object": "chat.completion.chunk", "created": .number(JSONNumber(created)),
            "model": .string(model), "choices": .array(choices),
        ]
        if let usage { object["usage"] = usage }
        return .object(object)
    }

    private func frame(_ value: JSONValue) -> [UInt8] { Array("data: \(value.jsonText)\n\n".utf8) }
}
