import Testing

@testable import ToolRuntime

struct JSONParserTests {
    @Test func parsesNestedDocumentKeepingLexemesAndOrder() throws {
        let value = try JSONParser.parse(#" {"b": [1, 2.50, -0.0, 1e400, 18446744073709551615], "a": {"x": null, "y": true}} "#)
        #expect(value.object?.keys == ["b", "a"])
        #expect(value["b"]?[1]?.number?.lexeme == "2.50")
        #expect(value["b"]?[3]?.number?.lexeme == "1e400")
        #expect(value["b"]?[4]?.number?.lexeme == "18446744073709551615")
        #expect(value["a"]?["y"] == .bool(true))
        #expect(value.jsonText == #"{"b":[1,2.50,-0.0,1e400,18446744073709551615],"a":{"x":null,"y":true}}"#)
    }

    @Test func numbersCompareExactly() throws {
        #expect(JSONNumber(lexeme: "1.0") == JSONNumber(lexeme: "1"))
        #expect(JSONNumber(lexeme: "2.0")!.isInteger)
        #expect(JSONNumber(lexeme: "1e2")!.int64Value == 100)
        #expect(!JSONNumber(lexeme: "2.5")!.isInteger)
        #expect(JSONNumber(lexeme: "89.99")! < JSONNumber(lexeme: "90")!)
        #expect(JSONNumber(lexeme: "-3")! < JSONNumber(lexeme: "-2.5")!)
        #expect(JSONNumber(lexeme: "01") == nil)
        #expect(JSONNumber(lexeme: "1.") == nil)
    }

    /// `isInteger` decides plain lexemes on their bytes; it must agree with the exact decimal everywhere.
    @Test func integerCheckAgreesWithTheExactDecimal() throws {
        var lexemes = ["0", "-0", "7", "-42", "18446744073709551616", "2.0", "2.5", "-0.0", "1e2", "1E-2", "1.5e1", "12e-1", "0.0e0"]
        var generator = SeededGenerator(seed: 4)
        for _ in 0..<2000 {
            var text = Bool.random(using: &generator) ? "-" : ""
            text += String(Int.random(in: 0...99_999, using: &generator))
            if Bool.random(using: &generator) {
                text += "." + String(repeating: "0", count: Int.random(in: 0...2, using: &generator))
                text += String(Int.random(in: 0...50, using: &generator))
            }
            if Bool.random(using: &generator) {
                text += ["e", "E", "e-", "e+"].randomElement(using: &generator)!
                text += String(Int.random(in: 0...6, using: &generator))
            }
            lexemes.append(text)
        }
        for lexeme in lexemes {
            let number = try #require(JSONNumber(lexeme: lexeme), "\(lexeme)")
            #expect(number.isInteger == ExactDecimal(lexeme: lexeme).isInteger, "\(lexeme)")
        }
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(#""K\u00f6pfh\u00F6rer \ud83d\ude00 \"q\" \\ \/ \n""#)
        #expect(value == .string("Köpfhörer 😀 \"q\" \\ / \n"))
    }

    @Test(arguments: [
        (#""\ud83d""#, JSONParseError.Kind.loneSurrogate),
        (#""\ude00""#, .loneSurrogate),
        (#""\ud83d\u0041""#, .loneSurrogate),
        ("\"a\u{01}\"", .controlCharacter),
        (#""\x""#, .invalidEscape),
        ("[1,]", .unexpectedByte),
        ("{\"a\" 1}", .unexpectedByte),
        ("[1 2]", .unexpectedByte),
        ("01", .invalidNumber),
        ("-", .unexpectedEnd),
        ("1.e3", .invalidNumber),
        ("tru", .unexpectedEnd),
        ("nul1", .unexpectedByte),
        ("[", .unexpectedEnd),
        ("\"abc", .unexpectedEnd),
        ("{} x", .trailingContent),
        ("", .unexpectedEnd),
    ])
    func rejectsInvalidText(text: String, kind: JSONParseError.Kind) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        do {
            _ = try JSONParser.parse(text)
        } catch {
            #expect(error.kind == kind, "\(text): \(error)")
        }
    }

    @Test func rejectsInvalidUTF8() {
        for bytes: [UInt8] in [
            [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
        ] {
            do {
                _ = try JSONParser.parse(bytes)
                Issue.record("accepted invalid UTF-8 \(bytes)")
            } catch {
                #expect(error.kind == .invalidUTF8)
            }
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        do {
            _ = try JSONParser.parse(deep)
            Issue.record("accepted nesting beyond the limit")
        } catch {
            #expect(error.kind == .depthLimitExceeded)
        }
        let ok = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
    }

    @Test func serializesDeepValuesWithoutRecursion() throws {
        let text = String(repeating: "[", count: 400) + "\"\\u0001\"" + String(repeating: "]", count: 400)
        let value = try JSONParser.parse(text)
        #expect(value.jsonText == text)
    }
}
