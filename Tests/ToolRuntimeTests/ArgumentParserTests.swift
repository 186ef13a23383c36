import Testing

@testable import ToolRuntime

/// `ArgumentParser.outcome()` answers a closed text from the value the parser already built,
/// instead of finishing a copy of the parser; these tests hold it to the copy's answer.
struct ArgumentParserTests {
    /// Texts of every kind an outcome can have: complete, unfinished, malformed, trailing content,
    /// a top-level number (which closes only at whitespace or at the end), whitespace only.
    static let texts: [String] = [
        #"{"sku":"SKU-2024","quantity":2,"gift":true,"note":null}"#,
        #"{"items":[{"sku":"A","n":1},{"sku":"B","n":[1,2,{"x":"\u00e9\ud83d\ude00"}]}]}"#,
        #"  {"a":"Grüße 😀 \"quoted\" \\ done"}  "#,
        #"[1,2.5,-3e2,"x",false]"#,
        "42",
        "42 ",
        "-0.5e+3",
        #""just a string""#,
        "true",
        #"{"a":1}} "#,
        #"{"a":1} x"#,
        #"{"a":1,}"#,
        #"{"a":"unterminated"#,
        #"{"a":[1,2"#,
        #"{"a":tru"#,
        #"{"a":01}"#,
        "   ",
        "",
        "\n\t ",
    ]

    /// What the old code answered: the outcome of finishing a copy of the parser.
    static func reference(_ parser: ArgumentParser, text: [UInt8]) -> String {
        if let failure = parser.failure { return "malformed \(failure.kind) \(failure.offset)" }
        if text.allSatisfy(isJSONWhitespace) { return "value {}" }
        var copy = parser.parser
        do {
            return "value \(try copy.finish().jsonText)"
        } catch {
            return error.kind == .unexpectedEnd ? "unfinished" : "malformed \(error.kind) \(error.offset)"
        }
    }

    static func describe(_ outcome: ArgumentParser.Outcome) -> String {
        switch outcome {
        case .value(let value): "value \(value.jsonText)"
        case .malformed(let error): "malformed \(error.kind) \(error.offset)"
        case .unfinished: "unfinished"
        }
    }

    @Test(arguments: texts)
    func outcomeAfterEveryFragmentMatchesFinishingACopy(_ text: String) {
        let bytes = Array(text.utf8)
        for seed: UInt64 in [1, 2, 3, 4] {
            var generator = SeededGenerator(seed: seed)
            var parser = ArgumentParser(limits: StreamLimits())
            var fed: [UInt8] = []
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + Int.random(in: 1...7, using: &generator))
                bytes[offset..<end].withUnsafeBytes { parser.feed($0) }
                fed += bytes[offset..<end]
                offset = end
                #expect(
                    Self.describe(parser.outcome()) == Self.reference(parser, text: fed),
                    "\(text) after \(offset) bytes (seed \(seed))"
                )
            }
            #expect(Self.describe(parser.outcome()) == Self.reference(parser, text: fed), "\(text) at the end")
        }
    }

    @Test func closedValueIsTheOneJSONParserBuilds() throws {
        for text in Self.texts {
            var parser = ArgumentParser(limits: StreamLimits())
            Array(text.utf8).withUnsafeBytes { parser.feed($0) }
            guard parser.isComplete, case .value(let value) = parser.outcome() else { continue }
            #expect(value == (try JSONParser.parse(text)), "\(text)")
        }
    }
}
