import Testing

@testable import ToolRuntime

/// The chat decoder's repeated header and choice-tail shortcuts against the plain scan: over random responses whose
/// chunks share, change or break their headers (escapes, unicode, nested values, whitespace,
/// `usage`/`error`/`null` choices before the array, truncated envelopes), both give the same events
/// and the same errors chunk by chunk.
struct ChatPrefixDifferentialTests {
    struct Random {
        var generator: SeededGenerator
        /// While set, `text()` gives a slot mark ("§") to be filled later, chunk by chunk.
        var marking = false

        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
        mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

        mutating func space() -> String { chance(80) ? "" : [" ", "\n", "\t ", "\r\n  "][int(0...3)] }

        mutating func text() -> String {
            if marking { return "§" }
            let pieces = ["a", "Zürich", "😀", "\\n", "\\\"", "\\\\", "\\u00e9", "\\ud83d\\ude00", "x y", ",", "}", "]", ":"]
            return (0..<int(0...6)).map { _ in pieces[int(0...pieces.count - 1)] }.joined()
        }

        mutating func value(depth: Int = 0) -> String {
            switch int(0...(depth > 2 ? 3 : 5)) {
            case 0: return "\"" + text() + "\""
            case 1: return ["0", "-12", "1732000000", "1.5e3", "0.25"][int(0...4)]
            case 2: return ["null", "true", "false"][int(0...2)]
            case 3: return "\"\""
            case 4:
                let members = (0..<int(0...3)).map { _ in
                    space() + "\"" + text() + "\"" + space() + ":" + space() + value(depth: depth + 1)
                }
                return "{" + members.joined(separator: ",") + space() + "}"
            default:
                return "[" + (0..<int(0...3)).map { _ in space() + value(depth: depth + 1) }.joined(separator: ",") + "]"
            }
        }

        /// The members before `choices`: ordinary ones, sometimes `usage`, `error` or `choices: null`.
        mutating func header(plain: Bool) -> String {
            var members: [String] = []
            let keys = ["id", "object", "created", "model", "system_fingerprint", "service_tier", "x\\u0041"]
            for _ in 0..<int(0...5) {
                members.append("\"" + keys[int(0...keys.count - 1)] + "\"" + space() + ":" + space() + value())
            }
            if plain { return "{" + members.map { $0 + "," }.joined() + "\"choices\":[" }
            if chance(10) { members.insert("\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":\(int(0...9))}", at: 0) }
            if chance(5) { members.append("\"error\":{\"message\":\"" + text() + "\"}") }
            if chance(5) { members.append("\"choices\":null") }
            if chance(5) { members.append("\"usage\":null") }
            return "{" + space() + members.map { $0 + "," + space() }.joined() + "\"choices\"" + space() + ":" + space() + "["
        }

        mutating func choice() -> String {
            var delta: [String] = []
            if chance(40) { delta.append("\"content\":\"" + text() + "\"") }
            if chance(10) { delta.append("\"reasoning_content\":\"" + text() + "\"") }
            if chance(60) {
                var call: [String] = []
                if chance(70) { call.append("\"index\":\(int(0...2))") }
                if chance(30) { call.append("\"id\":\"call_\(int(0...3))\"") }
                var function: [String] = []
                if chance(30) { function.append("\"name\":\"" + ["get", "put", ""][int(0...2)] + "\"") }
                if chance(80) { function.append("\"arguments\":\"" + text() + "\"") }
                call.append("\"function\":{" + function.joined(separator: ",") + "}")
                delta.append("\"tool_calls\":[{" + call.joined(separator: ",") + "}]")
            }
            var members = ["\"index\":\(chance(80) ? 0 : int(0...2))", "\"delta\":{" + delta.joined(separator: ",") + "}"]
            let finish = "\"finish_reason\":" + (chance(10) ? "\"tool_calls\"" : chance(5) ? "\"\"" : "null")
            // Mostly the usual order; sometimes members before the delta or a second delta after it.
            if chance(10) { members.insert(finish, at: 0) } else { members.append(finish) }
            if chance(70) { members.insert("\"logprobs\":" + (chance(90) ? "null" : value()), at: chance(80) ? members.count : 0) }
            if chance(5) { members.append("\"delta\":" + (chance(50) ? "null" : "{\"content\":\"" + text() + "\"}")) }
            if chance(5) { members.append("\"index\":\(int(0...2))") }
            if chance(10) { members.append("\"finish_reason\":null") }
            return "{" + members.joined(separator: "," + space()) + "}"
        }

        /// A choice whose strings are slots: the same bytes around them chunk after chunk.
        mutating func shape() -> String {
            marking = true
            defer { marking = false }
            return choice()
        }

        /// The shape of a choice while a call's arguments or a text stream: one slot.
        mutating func streamShape() -> String {
            let delta: String
            switch int(0...2) {
            case 0: delta = "\"content\":\"§\""
            case 1: delta = "\"reasoning_content\":\"§\""
            default:
                let index = "\"index\":" + (chance(70) ? "#" : String(int(0...3)))
                let function = "\"function\":{\"arguments\":\"§\"}"
                // Mostly the index first, as OpenAI sends it; some servers put it last.
                delta = "\"tool_calls\":[{" + (chance(80) ? index + "," + function : function + "," + index) + "}]"
            }
            return "{\"index\":\(chance(80) ? 0 : int(0...2))," + space() + "\"delta\":{" + delta
                + "},\"logprobs\":null,\"finish_reason\":null}"
        }

        /// The shape with each text slot filled with new text (empty now and then) and each index
        /// slot ("#") with a call index, mostly small, now and then one a template cannot read.
        mutating func fill(_ shape: String) -> String {
            let pieces = shape.split(separator: "§", omittingEmptySubsequences: false)
            var whole = String(pieces[0])
            for piece in pieces.dropFirst() { whole += text() + piece }
            let indices = ["0", "1", "2", "3", "10", "007", "-1", "1.5", "1e2", "99999999999999999999", "null", " 2", "12345678901234567"]
            let numbers = whole.split(separator: "#", omittingEmptySubsequences: false)
            whole = String(numbers[0])
            for piece in numbers.dropFirst() {
                whole += (chance(80) ? String(int(0...4)) : indices[int(0...indices.count - 1)]) + piece
            }
            return whole
        }

        mutating func chunk(header: String, shapes: [String] = []) -> String {
            let choices =
                shapes.isEmpty
                ? (0..<(chance(90) ? 1 : int(0...2))).map { _ in choice() }.joined(separator: ",")
                : fill(shapes[int(0...shapes.count - 1)])
            var tail = "]"
            if chance(20) { tail += ",\"usage\":" + (chance(50) ? "null" : "{\"total_tokens\":\(int(0...99))}") }
            if chance(5) { tail += ",\"obfuscation\":\"" + text() + "\"" }
            let whole = header + choices + tail + space() + "}"
            // Now and then a broken envelope (cut short), to compare the errors too.
            if chance(3) { return String(decoding: Array(whole.utf8.prefix(int(1...whole.utf8.count))), as: UTF8.self) }
            return whole
        }
    }

    static func decode(_ decoder: inout StreamDecoder, _ chunk: String) -> Result<[StreamEvent], StreamDecodingError> {
        var events: [StreamEvent] = []
        var bytes = Array(chunk.utf8)
        return bytes.withUnsafeMutableBytes { raw in
            Result { () throws(StreamDecodingError) in
                try decoder.decode(type: nil, data: UnsafeRawBufferPointer(raw), into: &events)
                return events
            }
        }
    }

    @Test(arguments: 0..<40)
    func shortcutReadsLikeThePlainScan(_ seed: Int) {
        var random = Random(generator: SeededGenerator(seed: UInt64(seed) &+ 1000))
        var fast = StreamDecoder(format: .openAIChat)
        var plain = StreamDecoder(format: .openAIChat)
        plain.chat.usesPrefix = false
        // The first header can be reused; the others may not be (usage, error before the array).
        let headers = (0..<random.int(1...3)).map { random.header(plain: $0 == 0) }
        var shortcuts = 0
        var current = 0
        for number in 0..<200 {
            // Mostly the same header as before, as in a real response; now and then another.
            if random.chance(15) { current = random.int(0...headers.count - 1) }
            let chunk = random.chunk(header: headers[current])
            let hadPrefix = !fast.chat.prefix.isEmpty && chunk.utf8.starts(with: fast.chat.store[fast.chat.prefix])
            if hadPrefix { shortcuts += 1 }
            let expected = Self.decode(&plain, chunk)
            let actual = Self.decode(&fast, chunk)
            #expect(actual == expected, "seed \(seed) chunk \(number): \(chunk)")
        }
        // The shortcut must actually be taken for the comparison to mean anything.
        #expect(shortcuts > 40, "seed \(seed): only \(shortcuts) chunks took the shortcut")
    }

    @Test(arguments: 0..<40)
    func templatesReadLikeThePlainScan(_ seed: Int) {
        var random = Random(generator: SeededGenerator(seed: UInt64(seed) &+ 2000))
        var fast = StreamDecoder(format: .openAIChat)
        var plain = StreamDecoder(format: .openAIChat)
        plain.chat.usesPrefix = false
        let header = random.header(plain: true)
        // As while calls stream: a few choice shapes (call indices, text, reasoning) whose
        // strings change chunk by chunk, more of them than the decoder keeps now and then.
        let shapes =
            [random.streamShape()]
            + (0..<random.int(0...11)).map { _ in random.chance(50) ? random.streamShape() : random.shape() }
        for number in 0..<300 {
            let chunk = random.chunk(header: header, shapes: shapes)
            let expected = Self.decode(&plain, chunk)
            let actual = Self.decode(&fast, chunk)
            #expect(actual == expected, "seed \(seed) chunk \(number): \(chunk)")
        }
        #expect(fast.chat.templateHits > 20, "seed \(seed): only \(fast.chat.templateHits) chunks took a template")
    }

    @Test func templateNeedsTheSameTailAndANonEmptyString() throws {
        var decoder = StreamDecoder(format: .openAIChat)
        let head = #"{"id":"x","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":""#
        let tail = #""}}]},"finish_reason":null}]}"#
        let first = try Self.decode(&decoder, head + "{" + tail).get()  // learnt from this one
        #expect(first == [.toolCallArguments(choice: 0, index: 0, fragment: "{")])
        // The argument template learnt, and the text and finish templates derived from its frame.
        #expect(decoder.chat.templates.count == 3 && decoder.chat.templateHits == 0)
        let hit = try Self.decode(&decoder, head + #"\"a"# + tail).get()
        #expect(hit == [.toolCallArguments(choice: 0, index: 0, fragment: #""a"#)])
        #expect(decoder.chat.templateHits == 1)
        // Another tail (a finish reason), an empty string: the plain scan, with its events.
        let finished = try Self.decode(&decoder, head + "x" + #""}}]},"finish_reason":"tool_calls"}]}"#).get()
        #expect(finished.count == 2)
        let empty = try Self.decode(&decoder, head + tail).get()
        #expect(empty == [.toolCallArguments(choice: 0, index: 0, fragment: "")])
        #expect(decoder.chat.templateHits == 1)
    }

    /// The bytes around a choice's delta, to put other deltas in: mostly as OpenAI sends them,
    /// now and then with something before or after the delta that has its say.
    struct Frame {
        var open: String
        var close: String

        init(open: String, close: String) {
            self.open = open
            self.close = close
        }

        init(_ random: inout Random) {
            let choice = random.chance(80) ? 0 : random.int(1...2)
            let opens = [
                #"{"index":\#(choice),"delta":{"#, #"{"index":\#(choice),"delta":{"#, #"{"index":\#(choice),"delta":{"#,
                #"{"delta":{"#, #"{"index": \#(choice),"delta":{"#, #"{"index":\#(choice),"delta": {"#,
                #"{"finish_reason":null,"index":0,"delta":{"#, #"{"index":0,"message":{"#, #"{"index":-1,"delta":{"#,
                #"{"index":1,"index":0,"delta":{"#, #"{"logprobs":null,"delta":{"#,
                #"{"index":0,"delta":{"content":"a"}}],"choices":[{"index":0,"delta":{"#, #"],"choices":[{"index":0,"delta":{"#,
                #"{"index":0,"delta":{}},{"index":1,"delta":{"#, #"{"index":1,"delta":{"content":"q"}},{"index":0,"delta":{"#,
                #"{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"x"}}]},"delta":{"#,
            ]
            let afterDelta = [
                #"},"logprobs":null,"finish_reason":null}"#, #"},"logprobs":null,"finish_reason":null}"#, "}}",
                #"},"finish_reason":"stop"}"#, #"},"delta":{"content":""}}"#, #"},"delta":{}}"#, #"},"delta":null}"#,
                #"},"index":1}"#, #"},"logprobs":{"content":[]}}"#, #"},"message":{"content":"m"}}"#,
                #"},"finish_reason":""}"#, #"},"delta":{"tool_calls":[]}}"#,
                #"},"finish_reason":null,"finish_reason":null}"#, #"},"finish_reason":null,"logprobs":null}"#,
                #"},"finish_reason":null,"index":0}"#, #"},"finish_reason" : null}"#,
            ]
            let afterChoices = [
                "]}", #"],"usage":null}"#, #"],"usage":null}"#, #"],"usage":{"total_tokens":3}}"#, #"],"error":null}"#,
                #"],"error":{"message":"e"}}"#, #"],"choices":[]}"#, #"],"choices":[{"index":0,"delta":{"content":""}}]}"#,
                #"],"choices":[{"index":0,"delta":{"content":"z"}}]}"#, #"],"obfuscation":"x"}"#, "] }",
                #"],"choices":[{"index":0,"delta":{"tool_calls":[{"index":0}]}}]}"#,
            ]
            open = opens[random.int(0...opens.count - 1)]
            close = afterDelta[random.int(0...afterDelta.count - 1)] + afterChoices[random.int(0...afterChoices.count - 1)]
        }
    }

    @Test(arguments: 0..<60)
    func templatesDerivedFromAFrameReadLikeThePlainScan(_ seed: Int) {
        var random = Random(generator: SeededGenerator(seed: UInt64(seed) &+ 3000))
        let header = random.header(plain: true)
        // Deltas that come back byte for byte, so that a template wrongly derived from a frame
        // with one of them in it gets its chance to be read.
        let repeated = [
            #""role":"assistant","content":"","refusal":null"#, #""content":"c""#,
            #""tool_calls":[{"index":0,"function":{"arguments":"x"}}]"#,
        ]
        for number in 0..<15 {
            var fast = StreamDecoder(format: .openAIChat)
            var plain = StreamDecoder(format: .openAIChat)
            plain.chat.usesPrefix = false
            // Every other seed starts in OpenAI's own frame, whose templates must then be taken.
            let openAI = seed.isMultiple(of: 2) && number == 0
            let frame =
                openAI
                ? Frame(open: #"{"index":0,"delta":{"#, close: #"},"logprobs":null,"finish_reason":null}],"usage":null}"#)
                : Frame(&random)
            for position in 0..<40 {
                var delta: String
                switch position == 0 ? 0 : random.int(0...9) {
                case 0, 1: delta = repeated[random.int(0...repeated.count - 1)]
                case 2, 3: delta = "\"content\":\"" + random.text() + "\""
                case 4, 5, 6:
                    let index =
                        random.chance(85) ? String(random.int(0...3)) : ["-1", "1.5", "007", " 2", "null"][random.int(0...4)]
                    delta = #""tool_calls":[{"index":\#(index),"function":{"arguments":""# + random.text() + #""}}]"#
                case 7: delta = "\"reasoning_content\":\"" + random.text() + "\""
                default: delta = random.chance(50) ? #""content":"","tool_calls":[]"# : #""content":null"#
                }
                var close = frame.close
                // Now and then the chunk that ends the choice: an empty delta and a finish reason.
                if random.chance(15), let null = close.firstRange(of: #""finish_reason":null"#) {
                    let reason = ["stop", "tool_calls", "length", "", #"a\"b"#, "\\u00e9"][random.int(0...5)]
                    close.replaceSubrange(null, with: #""finish_reason":"\#(reason)""#)
                    delta = ""
                }
                let chunk = header + frame.open + delta + close
                let expected = Self.decode(&plain, chunk)
                let actual = Self.decode(&fast, chunk)
                #expect(actual == expected, "seed \(seed) frame \(number) chunk \(position): \(chunk)")
            }
            if openAI { #expect(fast.chat.templateHits > 5, "seed \(seed): only \(fast.chat.templateHits) chunks took a template") }
        }
    }

    @Test func aFirstChunkGivesTheTextAndArgumentChunksTheirTemplates() throws {
        var decoder = StreamDecoder(format: .openAIChat)
        let header = #"{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"#
        let tail = #"},"logprobs":null,"finish_reason":null}],"usage":null}"#
        let role = try Self.decode(&decoder, header + #""role":"assistant","content":"","refusal":null"# + tail).get()
        #expect(role.isEmpty)
        #expect(decoder.chat.templates.count == 3)
        let text = try Self.decode(&decoder, header + #""content":"Hallo \"Welt\"""# + tail).get()
        #expect(text == [.textDelta(choice: 0, text: #"Hallo "Welt""#)])
        let arguments = try Self.decode(
            &decoder,
            header + #""tool_calls":[{"index":2,"function":{"arguments":"{\"a\":"}}]"# + tail
        ).get()
        #expect(arguments == [.toolCallArguments(choice: 0, index: 0, fragment: #"{"a":"#)])
        let finish = try Self.decode(
            &decoder,
            #"{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}"#
        ).get()
        #expect(finish == [.finish(choice: 0, reason: FinishReason(raw: "tool_calls"))])
        #expect(decoder.chat.templateHits == 3, "all three read through the derived templates")
        // A frame that is not the plain `{"index":N,"delta":{`: nothing is derived.
        var other = StreamDecoder(format: .openAIChat)
        _ = try Self.decode(&other, #"{"id":"x","choices":[{"delta":{"role":"assistant"},"index":0}]}"#).get()
        #expect(other.chat.templates.isEmpty)
    }

    @Test func learntBytesStayBoundedWhileTemplatesAreReplaced() throws {
        // Twenty choice shapes in turn, more than the decoder keeps: every chunk teaches a template
        // that replaces the oldest, and the replaced bytes must not pile up.
        var decoder = StreamDecoder(format: .openAIChat)
        let header = #"{"id":"x","choices":["#
        for number in 0..<2000 {
            let choice = number % 20
            let chunk = header + #"{"index":\#(choice),"delta":{"content":"t\#(number)"},"finish_reason":null}]}"#
            let events = try Self.decode(&decoder, chunk).get()
            #expect(events == [.textDelta(choice: choice, text: "t\(number)")])
        }
        #expect(decoder.chat.templates.count == ChatState.maxTemplates)
        #expect(decoder.chat.store.count < 4096, "\(decoder.chat.store.count) bytes kept for \(ChatState.maxTemplates) templates")
    }

    @Test func aChunkWithALargeMemberTeachesNoTemplate() throws {
        var decoder = StreamDecoder(format: .openAIChat)
        let logprobs = "[" + Array(repeating: "0.5", count: 2000).joined(separator: ",") + "]"
        let chunk = #"{"id":"x","choices":[{"index":0,"delta":{"content":"hi"},"logprobs":"# + logprobs + "}]}"
        for _ in 0..<3 {
            let events = try Self.decode(&decoder, chunk).get()
            #expect(events == [.textDelta(choice: 0, text: "hi")])
        }
        #expect(decoder.chat.templates.isEmpty)
        #expect(decoder.chat.templateHits == 0)
    }

    @Test func headerWithUsageBeforeChoicesIsNotReused() {
        var decoder = StreamDecoder(format: .openAIChat)
        let chunk = #"{"usage":{"total_tokens":5},"choices":[{"index":0,"delta":{"content":"a"}}]}"#
        let first = Self.decode(&decoder, chunk)
        let second = Self.decode(&decoder, chunk)
        #expect(first == second)
        #expect((try? second.get())?.count == 2, "the text and the usage, every time")
        #expect(decoder.chat.prefix.isEmpty)
    }
}
