import Testing

@testable import ToolRuntime

/// `ArgumentParser` only checks the argument text while it streams (its parser does not build)
/// and leaves the value to be parsed from the text; these tests hold it, after every fragment, to
/// what the building parser fed the same fragments answers: the same verdict, the same error
/// (kind, offset, message) and, for a complete text, the same value.
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
        #"{"a":"\ud83d"}"#,
        #"{"a":"\ude00"}"#,
        #"{"a":"\x"}"#,
        "{\"a\":\"\u{1}\"}",
        #"{"a":1,"a":2}"#,
        #"[[[[[[[[[[1]]]]]]]]]]"#,
        "   ",
        "",
        "\n\t ",
    ]

    /// The old path: a building parser fed the same fragments, asked as the assembler used to ask.
    struct Reference {
        var parser: IncrementalJSONParser
        var failure: JSONParseError?

        init(limits: JSONLimits) { parser = IncrementalJSONParser(limits: limits) }

        mutating func feed(_ bytes: [UInt8]) {
            guard failure == nil else { return }
            do { try parser.feed(bytes) } catch { failure = error }
        }

        func verdict(text: [UInt8]) -> String {
            if let failure { return ArgumentParserTests.malformed(failure) }
            if text.allSatisfy(isJSONWhitespace) { return "value {}" }
            var copy = parser
            do {
                return "value \(try copy.finish().jsonText)"
            } catch {
                return error.kind == .unexpectedEnd ? "unfinished" : ArgumentParserTests.malformed(error)
            }
        }
    }

    static func malformed(_ error: JSONParseError) -> String {
        "malformed \(error.kind) \(error.offset) \(error.message)"
    }

    /// The new path's verdict; a value left to the text is parsed from it, as `ToolCall.value` does.
    static func verdict(_ parser: ArgumentParser, text: [UInt8]) -> String {
        switch parser.outcome() {
        case .value(let value?): "value \(value.jsonText)"
        case .value(nil):
            switch Result(catching: { () throws(JSONParseError) -> JSONValue in try JSONParser.parse(text, limits: parser.limits) }) {
            case .success(let value): "value \(value.jsonText)"
            case .failure(let error): "text accepted while streaming, rejected whole: \(malformed(error))"
            }
        case .malformed(let error): malformed(error)
        case .unfinished: "unfinished"
        }
    }

    /// Feeds `bytes` in random fragments to both paths and compares them after every fragment.
    /// Halfway (for odd seeds) a partial view is asked for, which switches the checking parser to
    /// building: the rest must agree too, and the view must be the building parser's.
    static func compare(_ bytes: [UInt8], seed: UInt64, limits: StreamLimits = StreamLimits(), _ label: String) {
        var generator = SeededGenerator(seed: seed)
        var parser = ArgumentParser(limits: limits)
        var reference = Reference(limits: parser.limits)
        let switchAt = seed % 2 == 1 ? bytes.count / 2 : Int.max
        var fed: [UInt8] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + Int.random(in: 1...7, using: &generator))
            let fragment = Array(bytes[offset..<end])
            fragment.withUnsafeBytes { parser.feed($0) }
            reference.feed(fragment)
            fed += fragment
            offset = end
            #expect(
                verdict(parser, text: fed) == reference.verdict(text: fed),
                "\(label) after \(offset) bytes (seed \(seed))"
            )
            #expect(parser.isComplete == (reference.failure == nil && reference.parser.isComplete), "\(label)")
            if offset >= switchAt && !parser.isBuilding {
                let view = parser.partialSnapshot(text: fed)?.value
                #expect(parser.isBuilding || view == nil, "\(label): a partial view switches to building")
                let expected: JSONValue? =
                    reference.failure == nil && !fed.allSatisfy(isJSONWhitespace)
                    ? reference.parser.partialValue() : nil
                #expect(view == expected, "\(label): partial view after \(offset) bytes (seed \(seed))")
            }
        }
        #expect(verdict(parser, text: fed) == reference.verdict(text: fed), "\(label) at the end (seed \(seed))")
    }

    @Test(arguments: texts)
    func outcomeAfterEveryFragmentMatchesTheBuildingParser(_ text: String) {
        for seed: UInt64 in [1, 2, 3, 4] { Self.compare(Array(text.utf8), seed: seed, text) }
    }

    @Test func boundsGiveTheBuildingParsersErrors() {
        let limits = StreamLimits(maxArgumentBytes: 40, maxJSONDepth: 3)
        for text in Self.texts + [#"{"a":[[[1]]]}"#, #"{"a":[{"b":[2]}]}"#] {
            // Over the byte bound the assembler refuses the fragment before the parser sees it, so
            // only texts within it are fed here; the depth bound is the parser's.
            guard text.utf8.count <= 40 else { continue }
            for seed: UInt64 in [5, 6] { Self.compare(Array(text.utf8), seed: seed, limits: limits, "bounded \(text)") }
        }
    }

    /// Random JSON texts, and the same texts cut short, with a byte replaced, dropped or added:
    /// verdicts, error offsets and messages, and values of both paths must agree.
    @Test func randomizedTextsMatchTheBuildingParser() {
        var generator = SeededGenerator(seed: 2026)
        let noise: [UInt8] = Array(#""\{}[],:x u1-.e0"#.utf8) + [0x01, 0x7F, 0xC3, 0xA9, 0xFF, 0xF0, 0x9F, 0x20, 0x0A]
        for round in 0..<400 {
            var text = Array(RandomJSON.value(depth: 0, &generator).utf8)
            let mutation = Int.random(in: 0..<6, using: &generator)
            if !text.isEmpty {
                let at = Int.random(in: 0..<text.count, using: &generator)
                switch mutation {
                case 1: text = Array(text[..<at])
                case 2: text[at] = noise.randomElement(using: &generator)!
                case 3: text.remove(at: at)
                case 4: text.insert(noise.randomElement(using: &generator)!, at: at)
                case 5: text += [noise.randomElement(using: &generator)!]
                default: break
                }
            }
            let label = "round \(round): \(String(decoding: text, as: UTF8.self))"
            Self.compare(text, seed: UInt64(round), label)
            Self.compare(text, seed: UInt64(round), limits: StreamLimits(maxJSONDepth: 3), "depth 3 " + label)
        }
    }

    @Test func closedValueIsTheOneJSONParserBuilds() throws {
        for text in Self.texts {
            var parser = ArgumentParser(limits: StreamLimits())
            Array(text.utf8).withUnsafeBytes { parser.feed($0) }
            guard parser.isComplete, case .value(let value) = parser.outcome() else { continue }
            let whole = try JSONParser.parse(text)
            #expect(value == nil || value == whole, "\(text)")
            let call = ToolCall(index: 0, id: "c", name: "f", arguments: text, status: .complete, value: nil)
            var deferred = call
            deferred.parsed = .deferred(DeferredJSON(text: text, limits: parser.limits))
            #expect(deferred.value == whole, "\(text): the deferred value")
            #expect(deferred.value == deferred.value, "\(text): read twice")
        }
    }
}

/// Random JSON texts with everything the lexer distinguishes: escapes (surrogate pairs too), raw
/// multi-byte UTF-8, number forms, literals, nesting, whitespace.
enum RandomJSON {
    static let strings = [
        "", "sku", "Grüße", "😀", #"\"q\""#, #"a\\b"#, #"\n\t\r\b\f\/"#, #"\u00e9"#, #"\ud83d\ude00"#,
        #"\u0041BC"#, "long text with spaces and more words to span fragments",
    ]
    static let numbers = ["0", "-0", "12", "-3.25", "1e400", "2.5E-3", "12345678901234567890", "0.1"]

    static func value(depth: Int, _ generator: inout SeededGenerator) -> String {
        let space = [" ", "", "", "\n  "].randomElement(using: &generator)!
        let pick = Int.random(in: 0..<(depth < 4 ? 8 : 5), using: &generator)
        switch pick {
        case 0: return "\"" + strings.randomElement(using: &generator)! + "\""
        case 1: return numbers.randomElement(using: &generator)!
        case 2: return ["true", "false", "null"].randomElement(using: &generator)!
        case 3, 4: return "\"" + strings.randomElement(using: &generator)! + strings.randomElement(using: &generator)! + "\""
        case 5:
            let items = (0..<Int.random(in: 0...4, using: &generator)).map { _ in value(depth: depth + 1, &generator) }
            return "[" + space + items.joined(separator: "," + space) + "]"
        default:
            let members = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                "\"" + strings.randomElement(using: &generator)! + "\":" + space + value(depth: depth + 1, &generator)
            }
            return "{" + space + members.joined(separator: ",") + space + "}"
        }
    }
}
