import Testing

@testable import ToolRuntime

/// `Usage(json:)` reads the counts from the bytes and parses the object only when `raw` is read;
/// it must answer exactly what parsing the text and `Usage(raw:)` answer, for every text.
struct UsageDecodingTests {
    static func reference(_ text: String) -> Usage? {
        guard let value = try? JSONParser.parse(text) else { return nil }
        return Usage(raw: value)
    }

    static func decoded(_ text: String) -> Usage? {
        var text = text
        return text.withUTF8 { Usage(json: UnsafeRawBufferPointer($0)) }
    }

    static func compare(_ text: String) {
        let expected = reference(text)
        let actual = decoded(text)
        #expect(actual?.promptTokens == expected?.promptTokens, "\(text): prompt")
        #expect(actual?.completionTokens == expected?.completionTokens, "\(text): completion")
        #expect(actual?.totalTokens == expected?.totalTokens, "\(text): total")
        #expect(actual?.raw == expected?.raw, "\(text): raw")
        #expect(actual == expected, "\(text): equal")
    }

    @Test(arguments: [
        #"{"prompt_tokens":449,"completion_tokens":12,"total_tokens":461,"prompt_tokens_details":{"cached_tokens":0}}"#,
        #"{"input_tokens":10,"output_tokens":5}"#,
        #"{"prompt_tokens":1,"prompt_tokens":2,"completion_tokens":null,"output_tokens":7}"#,
        #"{"prompt_tokens":3,"prompt_tokens":null,"input_tokens":4}"#,
        #"{"prompt_tokens":12.0,"completion_tokens":1e2}"#,
        #"{"prompt_tokens":"12","completion_tokens":true}"#,
        #"{"prompt\u005ftokens":5,"completion_tokens":6}"#,
        #"{"prompt_tokens":-3,"completion_tokens":-0}"#,
        #"{"prompt_tokens":123456789012345678,"completion_tokens":1234567890123456789}"#,
        #"{"prompt_tokens":99999999999999999999999}"#,
        #"{}"#, "[]", "null", "7", #""text""#, #"{"a":[1,{"b":2}],"total_tokens":9}"#,
        #"{"prompt_tokens":1"#, #"{"prompt_tokens":01}"#, #"{"prompt_tokens":1} x"#, "",
        "  {\"prompt_tokens\" : 5 , \"completion_tokens\" :\t6 }  ",
        // Texts the syntax check must refuse as the parser does.
        #"{"prompt_tokens":5,"x":"\q"}"#, #"{"prompt_tokens":5,"x":"\ud800"}"#, "{\"x\":\"a\u{01}b\"}",
        #"{"prompt_tokens":5,}"#, #"{"prompt_tokens":5 "completion_tokens":6}"#, #"{"prompt_tokens":-}"#,
        #"{"prompt_tokens":1.}"#, #"{"prompt_tokens":tru}"#, #"{"a":[1,2,]}"#, #"{"a":nul}"#,
        String(repeating: "[", count: 200) + String(repeating: "]", count: 200),
        "{\"a\":" + String(repeating: "[", count: 127) + String(repeating: "]", count: 127) + "}",
        "{\"a\":" + String(repeating: "[", count: 128) + String(repeating: "]", count: 128) + "}",
    ])
    func decodedUsageIsTheParsedOne(_ text: String) {
        Self.compare(text)
    }

    /// A chat chunk's usage member is found and read in one pass when it has the usual shape:
    /// the event must be what capturing the member and decoding its text gives, for every shape.
    @Test func chatChunkUsageIsTheCapturedOne() throws {
        let texts = [
            #"{"prompt_tokens":449,"completion_tokens":12,"total_tokens":461,"prompt_tokens_details":{"cached_tokens":0}}"#,
            #"{ "input_tokens" : 10 , "output_tokens" : 5 }"#, #"{"prompt_tokens":12.0,"completion_tokens":1e2}"#,
            #"{"prompt_tokens":"12"}"#, #"{"a":[1,{"b":2}],"total_tokens":9}"#, #"{}"#, "null", "7",
            #"{"prompt_tokens":01}"#, #"{"prompt_tokens":1,"prompt_tokens":2}"#,
        ]
        for text in texts {
            for tail in ["}", #","x":1}"#, " }"] {
                let chunk = #"{"id":"c","choices":[],"usage":"# + text + tail
                var decoder = StreamDecoder(format: .openAIChat)
                var events: [StreamEvent] = []
                var bytes = chunk
                let failed = bytes.withUTF8 { buffer in
                    (try? decoder.decode(type: nil, data: UnsafeRawBufferPointer(buffer), into: &events)) == nil
                }
                let expected: Usage? = text == "null" ? nil : Self.decoded(text)
                let actual = events.compactMap { event -> Usage? in
                    if case .usage(let usage) = event { return usage }
                    return nil
                }
                #expect(!failed, "\(chunk)")
                #expect(actual == (expected.map { [$0] } ?? []), "\(chunk)")
            }
        }
    }

    @Test func invalidUTF8IsRefused() {
        for bytes: [UInt8] in [[0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D], [0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D]] {
            #expect(bytes.withUnsafeBytes { Usage(json: $0) } == nil)
        }
    }

    static func usual(_ text: String) -> UsageCounts? {
        var text = text
        return text.withUTF8 { UsualUsageReader.counts(in: UnsafeRawBufferPointer($0)) }
    }

    /// The one-pass reader must take the shapes providers send (or the fast path is dead code the
    /// comparisons above would not notice) and leave everything else to the general check.
    @Test func usualShapesAreReadInOnePass() throws {
        let openAI =
            #"{"prompt_tokens":449,"completion_tokens":18,"total_tokens":467,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}"#
        let counts = try #require(Self.usual(openAI))
        #expect(counts.prompt == 449 && counts.completion == 18 && counts.total == 467)
        let anthropic = #"{ "input_tokens": 10, "output_tokens": 5, "cache_read_input_tokens": null }"#
        let other = try #require(Self.usual(anthropic))
        #expect(other.prompt == 10 && other.completion == 5 && other.total == nil)
        #expect(Self.usual(#"{"total_tokens":-0,"x":{}}"#)?.total == 0)
        for text in [
            #"{"prompt_tokens":1.5}"#, #"{"prompt_tokens":1e3}"#, #"{"prompt_tokens":"1"}"#, #"{"a":true}"#,
            #"{"a":[1]}"#, #"{"pr\u006fmpt_tokens":1}"#, "{\"ä\":1}", #"{"prompt_tokens":01}"#,
            #"{"prompt_tokens":1234567890123456789}"#, #"{"a":{"b":{"c":{}}}}"#, #"{"a":1,}"#, #"{"a":1}x"#,
            #"{"a":nul}"#, #"{"a":-}"#, "[]", "",
        ] {
            #expect(Self.usual(text) == nil, "\(text)")
        }
    }

    /// Random edits of a real usage object: wherever the one-pass reader answers, the text is
    /// JSON and the counts are the parsed ones; every text decodes as parsing it does.
    @Test func mutatedUsageObjects() {
        var generator = SeededGenerator(seed: 2026)
        let base = Array(
            #"{"prompt_tokens":449,"completion_tokens":18,"total_tokens":467,"prompt_tokens_details":{"cached_tokens":0},"x":null}"#
                .utf8
        )
        let alphabet = Array(#"{}[],:" -0123456789.eEnulx"#.utf8) + [0x09, 0x01, 0xC3, 0xFF]
        var accepted = 0
        for _ in 0..<3000 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(alphabet.randomElement(using: &generator)!, at: at)
                default: bytes[at] = alphabet.randomElement(using: &generator)!
                }
            }
            let parsed = try? JSONParser.parse(bytes)
            let reference = parsed.map { Usage(raw: $0) }
            if let counts = bytes.withUnsafeBytes({ UsualUsageReader.counts(in: $0) }) {
                accepted += 1
                #expect(reference?.promptTokens == counts.prompt, "\(String(decoding: bytes, as: UTF8.self))")
                #expect(reference?.completionTokens == counts.completion)
                #expect(reference?.totalTokens == (counts.total ?? counts.prompt.flatMap { p in counts.completion.map { p + $0 } }))
            }
            let decoded = bytes.withUnsafeBytes { Usage(json: $0) }
            #expect(decoded == reference, "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(accepted > 300)
    }

    @Test func randomizedUsageObjects() {
        var generator = SeededGenerator(seed: 77)
        let keys = [
            "prompt_tokens", "input_tokens", "completion_tokens", "output_tokens", "total_tokens", "details",
            #"total\u005ftokens"#, "x",
        ]
        let values = ["0", "12", "-4", "3.5", "2e3", "null", #""7""#, "true", #"{"cached_tokens":1}"#, "[1,2]", "1.0"]
        for _ in 0..<500 {
            let members = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                "\"" + keys.randomElement(using: &generator)! + "\":" + values.randomElement(using: &generator)!
            }
            var text = "{" + members.joined(separator: ",") + "}"
            if Int.random(in: 0..<8, using: &generator) == 0 { text.removeLast() }
            Self.compare(text)
        }
    }
}
