import OrderedCollections
import Testing

@testable import ToolRuntime

/// Records events, merging consecutive string fragments (how a string is chunked depends on the
/// split points; their concatenation does not).
private struct EventRecorder: JSONEventSink {
    var events: [JSONEvent] = []
    var fragments: [String] = []

    mutating func receive(_ event: JSONEvent) {
        if case .stringFragment(let text) = event {
            fragments.append(text)
            if case .stringFragment(let previous) = events.last {
                events[events.count - 1] = .stringFragment(previous + text)
                return
            }
        }
        events.append(event)
    }
}

/// The ways a text is fed: whole, one byte at a time, and at seeded random split points.
private func splittings(of count: Int, seeds: Int = 12) -> [[Int]] {
    var result: [[Int]] = [[count], Array(repeating: 1, count: count)]
    for seed in 0..<seeds {
        var random = SeededGenerator(seed: UInt64(seed) &* 7919 &+ UInt64(count))  // StreamingTestSupport.swift
        var sizes: [Int] = []
        var left = count
        while left > 0 {
            let size = min(left, Int.random(in: 0...max(1, seed % 3 == 0 ? 3 : 17), using: &random))
            sizes.append(size)  // empty fragments are allowed and must change nothing
            left -= size
        }
        result.append(sizes)
    }
    return result
}

private enum FeedOutcome: Equatable {
    case value(JSONValue, [JSONEvent])
    case failure(JSONParseError.Kind, Int)
}

/// Feeds `bytes` in pieces of the given sizes, with events, then finishes.
private func feedIncrementally(_ bytes: [UInt8], sizes: [Int], limits: JSONLimits = .default) -> FeedOutcome {
    var parser = IncrementalJSONParser(limits: limits)
    var recorder = EventRecorder()
    var start = 0
    do {
        for size in sizes {
            try bytes[start..<start + size].withUnsafeBytes { buffer in
                Result { () throws(JSONParseError) in try parser.feed(buffer, events: &recorder) }
            }.get()
            start += size
        }
        let value = try parser.finish(events: &recorder)
        for fragment in recorder.fragments {
            #expect(!fragment.isEmpty, "empty string fragment")
            #expect(!fragment.unicodeScalars.contains("\u{FFFD}"), "a fragment split a scalar: \(fragment)")
        }
        return .value(value, recorder.events)
    } catch {
        return .failure(error.kind, error.offset)
    }
}

/// The events a document must produce, derived from its value (an oracle independent of the parser).
private func expectedEvents(_ value: JSONValue) -> [JSONEvent] {
    var events: [JSONEvent] = []
    enum Work {
        case value(JSONValue)
        case event(JSONEvent)
    }
    var work: [Work] = [.value(value)]
    while let item = work.popLast() {
        switch item {
        case .event(let event): events.append(event)
        case .value(let value):
            switch value {
            case .null, .bool:
                events.append(.literalStart(value))
                events.append(.literal(value))
            case .number(let number):
                events.append(.numberStart)
                events.append(.number(number))
            case .string(let text):
                events.append(.stringStart)
                if !text.isEmpty { events.append(.stringFragment(text)) }
                events.append(.stringEnd(text))
            case .array(let elements):
                events.append(.arrayStart)
                work.append(.event(.arrayEnd))
                for element in elements.reversed() { work.append(.value(element)) }
            case .object(let object):
                events.append(.objectStart)
                work.append(.event(.objectEnd))
                for (key, member) in object.members.elements.reversed() {
                    work.append(.value(member))
                    work.append(.event(.key(key)))
                }
            }
        }
    }
    return events
}

private let validCorpus: [String] = [
    #"{"a":1}"#,
    #"  {"cart_id" : "CART-1", "items" : [ {"sku":"SKU-2024-BF","quantity":2,"unit_price":89.99}, {"sku":"X","quantity":1} ] }  "#,
    "[]",
    "{}",
    "[[],{},[{}],{\"a\":[]}]",
    #""""#,
    #""plain""#,
    "\"Größe Köpfhörer – 東京 🎄👟 naïve\"",
    #""K\u00f6pfh\u00F6rer \u6771\u4eac \ud83d\ude00 \uD83C\uDF84 \u0000 \u001f \u007F""#,
    #""\" \\ \/ \b \f \n \r \t""#,
    #"["\u00e9\u00E9", "a\"b", "\\", "\/\/"]"#,
    "0", "-0", "1", "-1", "12345678901234567890123", "0.5", "-0.0", "1e400", "1E+2", "1e-7", "2.50",
    "-123.456e-789", "18446744073709551615", "9223372036854775807",
    "[0,-0,1,-1,0.5,1e2,1E-2,1.5e+3,-0.0e0,10,100]",
    "true", "false", "null",
    "[true,false,null]",
    #"{"t":true,"f":false,"n":null}"#,
    " \t\r\n[ \t\r\n1 \t\r\n, \t\r\n{ \t\r\n\"k\" \t\r\n: \t\r\n\"v\" \t\r\n} \t\r\n] \t\r\n",
    "\n\n  42  \n",
    #"{"nested":{"deeper":{"deepest":[1,[2,[3,[4,{"x":"y"}]]]]}}}"#,
    String(repeating: "[", count: 511) + "\"bottom\"" + String(repeating: "]", count: 511),
    String(repeating: "{\"a\":", count: 300) + "[]" + String(repeating: "}", count: 300),
    #"{"title":"T-Shirt Größe M \"Bär\"","tags":["neu","günstig","限定","🔥"],"price":{"cents":1999,"currency":"EUR"}}"#,
    #"{"":""}"#,
    #"{"emoji key 🎉":"\ud83c\udf89","üml":"\u00fc"}"#,
    "[" + (0..<200).map { "{\"i\":\($0),\"s\":\"item \\u00e4 \($0) 👍\"}" }.joined(separator: ",") + "]",
]

private let invalidCorpus: [[UInt8]] =
    [
        #""\ud83d""#, #""\ude00""#, #""\ud83d\u0041""#, #""\ud83d x""#, #""\ud83d\n""#, "\"a\u{01}\"", #""\x""#,
        #""\u12G4""#, "[1,]", "{\"a\" 1}", "[1 2]", "01", "-", "-a", "1.e3", "1.", "1e", "1e+", "tru", "nul1",
        "fals", "truex", "[", "{", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,", "{\"a\":1,}", "\"abc", "{} x",
        "1 2", "", "   ", "]", "}", "[}", "{]", ":", ",", "[1,2", "{\"a\"::1}", "{1:2}", "{\"a\":1 \"b\":2}",
        "[\"a\" \"b\"]", "nan", "Infinity", "+1", ".5", "[-]", "[01]", "\"tab\there\"", "\"\\\"", "[\"\\u\"]",
        "{\"a\":\"\\ud800\\udbff\"}",
    ].map { Array($0.utf8) } + [
        [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
        [0x22, 0xE2, 0x82, 0x22], [0x22, 0x80, 0x22], [0x22, 0xFF, 0x22], [0x22, 0xF0, 0x9F, 0x98, 0x22],
        [0x22, 0xC3, 0xA4, 0xC3, 0x01, 0x22], [0x5B, 0xC3, 0xA4, 0x5D], [0xEF, 0xBB, 0xBF, 0x31],
        [0x22, 0xC3, 0xA4, 0xC3, 0x5C, 0x6E, 0x22],
    ]

struct IncrementalJSONParserTests {
    @Test(arguments: validCorpus)
    func anySplitGivesTheWholeDocumentValueAndEvents(text: String) async throws {
        let bytes = Array(text.utf8)
        let expected = try JSONParser.parse(bytes)
        let events = expectedEvents(expected)
        for sizes in splittings(of: bytes.count) {
            await Task.yield()  // CPU-heavy: let timing-sensitive tests running in parallel get a thread
            let outcome = feedIncrementally(bytes, sizes: sizes)
            #expect(outcome == .value(expected, events), "split \(sizes.prefix(20)) of \(text.prefix(80))")
        }
        // The no-events path builds the same value.
        var parser = IncrementalJSONParser()
        for byte in bytes { try parser.feed([byte]) }
        #expect(try parser.finish() == expected)
    }

    @Test(arguments: invalidCorpus)
    func anySplitRejectsLikeTheWholeDocumentParser(bytes: [UInt8]) async {
        let whole: JSONParseError
        do {
            let value = try JSONParser.parse(bytes)
            Issue.record("whole-document parser accepted \(bytes): \(value)")
            return
        } catch {
            whole = error
        }
        for sizes in splittings(of: bytes.count) {
            await Task.yield()  // CPU-heavy: let timing-sensitive tests running in parallel get a thread
            let outcome = feedIncrementally(bytes, sizes: sizes)
            #expect(
                outcome == .failure(whole.kind, whole.offset),
                "\(String(decoding: bytes, as: UTF8.self)) split \(sizes): \(outcome) vs \(whole)"
            )
        }
    }

    @Test func utf8AndEscapesSplitEverywhereStillDecode() async throws {
        // Every split point of a string holding raw multi-byte scalars, escapes and a surrogate pair.
        let text = "\"ä東🎄\\u00fc\\uD83D\\uDE00\\n\""
        let bytes = Array(text.utf8)
        for cut in 0...bytes.count {
            await Task.yield()  // CPU-heavy: let timing-sensitive tests running in parallel get a thread
            for secondCut in cut...bytes.count {
                var parser = IncrementalJSONParser()
                var recorder = EventRecorder()
                try parser.feed(Array(bytes[..<cut]), events: &recorder)
                try parser.feed(Array(bytes[cut..<secondCut]), events: &recorder)
                try parser.feed(Array(bytes[secondCut...]), events: &recorder)
                #expect(try parser.finish() == .string("ä東🎄ü😀\n"))
                #expect(recorder.fragments.joined() == "ä東🎄ü😀\n")
            }
        }
    }

    @Test func fragmentsArriveWhileTheStringIsOpen() throws {
        var parser = IncrementalJSONParser()
        var recorder = EventRecorder()
        try parser.feed(#"{"note":"Gr"#, events: &recorder)
        try parser.feed([0xC3], events: &recorder)  // half of 'ö': held back
        #expect(recorder.fragments == ["Gr"])
        try parser.feed([0xB6] + Array(#"ße \u00"#.utf8), events: &recorder)  // half an escape: held back
        #expect(recorder.fragments == ["Gr", "öße "])
        try parser.feed(#"e4\ud83d"#, events: &recorder)  // a high surrogate alone: held back
        #expect(recorder.fragments == ["Gr", "öße ", "ä"])
        try parser.feed(#"\ude00""#, events: &recorder)
        #expect(recorder.fragments == ["Gr", "öße ", "ä", "😀"])
        let tail: [JSONEvent] = [.stringFragment("Größe ä😀"), .stringEnd("Größe ä😀")]
        #expect(Array(recorder.events.suffix(2)) == tail)
    }

    @Test func eachValueAnnouncesItsKindAtItsFirstByte() throws {
        var parser = IncrementalJSONParser()
        var recorder = EventRecorder()
        try parser.feed("[{", events: &recorder)
        #expect(recorder.events == [.arrayStart, .objectStart])
        try parser.feed(#""k":""#, events: &recorder)
        #expect(recorder.events.last == .stringStart)
        try parser.feed(#"","n":-"#, events: &recorder)
        #expect(Array(recorder.events.suffix(2)) == [JSONEvent.key("n"), .numberStart])
        try parser.feed("1", events: &recorder)
        #expect(recorder.events.last == .numberStart)  // a number emits when it closes
        try parser.feed(",\"t\":t", events: &recorder)
        let expectedTail: [JSONEvent] = [.number(JSONNumber(-1)), .key("t"), .literalStart(.bool(true))]
        #expect(Array(recorder.events.suffix(3)) == expectedTail)
        try parser.feed("rue}]", events: &recorder)
        let closing: [JSONEvent] = [.literal(.bool(true)), .objectEnd, .arrayEnd]
        #expect(Array(recorder.events.suffix(3)) == closing)
        #expect(parser.isComplete)
    }

    @Test func topLevelNumberClosesAtWhitespaceOrFinish() throws {
        var parser = IncrementalJSONParser()
        var recorder = EventRecorder()
        try parser.feed("12", events: &recorder)
        #expect(!parser.isComplete)
        try parser.feed("3", events: &recorder)
        #expect(!parser.isComplete)
        #expect(try parser.finish(events: &recorder) == .number(JSONNumber(123)))
        #expect(recorder.events == [.numberStart, .number(JSONNumber(123))])
        #expect(parser.isComplete)

        var spaced = IncrementalJSONParser()
        try spaced.feed("7 ")
        #expect(spaced.isComplete)
        try spaced.feed("\n\t ")
        #expect(spaced.bytesConsumed == 5)
        #expect(try spaced.finish() == .number(JSONNumber(7)))
    }

    @Test func trailingContentAfterTheValue() {
        var parser = IncrementalJSONParser()
        #expect(throws: Never.self) { try parser.feed("{\"a\":1}  ") }
        #expect(parser.isComplete)
        do {
            try parser.feed(" x")
            Issue.record("accepted trailing content")
        } catch {
            #expect(error.kind == .trailingContent)
            #expect(error.offset == 10)
        }
    }

    @Test func depthLimitWith100000OpenBrackets() {
        var parser = IncrementalJSONParser()
        let deep = String(repeating: "[", count: 100_000)
        do {
            for chunk in stride(from: 0, to: deep.utf8.count, by: 999) {
                let end = min(chunk + 999, deep.utf8.count)
                try parser.feed(Array(deep.utf8)[chunk..<end].map { $0 })
            }
            Issue.record("accepted nesting beyond the limit")
        } catch {
            #expect(error.kind == .depthLimitExceeded)
            #expect(error.offset == JSONLimits.default.maxDepth)
            #expect(error.message.contains("\(JSONLimits.default.maxDepth)"))
        }
        var shallow = IncrementalJSONParser(limits: JSONLimits(maxDepth: 3))
        #expect(throws: Never.self) { try shallow.feed("[[[]]]") }
        var tooDeep = IncrementalJSONParser(limits: JSONLimits(maxDepth: 3))
        #expect(throws: JSONParseError.self) { try tooDeep.feed("[[[{}]]]") }
    }

    @Test func byteLimitCountsEveryFragment() throws {
        let limits = JSONLimits(maxBytes: 10)
        var parser = IncrementalJSONParser(limits: limits)
        try parser.feed("[1,2,")
        try parser.feed("3,4,")
        do {
            try parser.feed("5]")
            Issue.record("accepted 11 bytes with a limit of 10")
        } catch {
            #expect(error.kind == .sizeLimitExceeded)
            #expect(error.offset == 10)
            #expect(error.message.contains("10 bytes"))
        }
        #expect(parser.bytesConsumed == 10)
        // Exactly at the limit is fine.
        var exact = IncrementalJSONParser(limits: limits)
        try exact.feed("[1,2,3,44]")
        #expect(try exact.finish() == [1, 2, 3, 44])
        // The whole-document parser agrees.
        #expect(throws: JSONParseError.self) { try JSONParser.parse("[1,2,3,4,5]", limits: limits) }
    }

    @Test(arguments: ["", " ", "{", "[1,", "\"abc", "\"ab\\u00", "tr", "-", "1.", "1e", "{\"a\"", "{\"a\":", "[[1,2],", "{\"a\":{\"b\":\"c\"}"])
    func unfinishedInputAtFinishIsUnexpectedEnd(text: String) throws {
        var parser = IncrementalJSONParser()
        try parser.feed(text)
        #expect(!parser.isComplete)
        do {
            let value = try parser.finish()
            Issue.record("finish accepted \(text): \(value)")
        } catch {
            #expect(error.kind == .unexpectedEnd, "\(text): \(error)")
            #expect(error.offset == text.utf8.count)
            #expect(error.message.hasPrefix("unexpected end") || error.message.hasPrefix("unterminated"))
        }
    }

    @Test func errorsAreSticky() {
        var parser = IncrementalJSONParser()
        var first: JSONParseError?
        do { try parser.feed("[1,,") } catch { first = error }
        #expect(first?.kind == .unexpectedByte)
        #expect(first?.offset == 3)
        do {
            try parser.feed("2]")
            Issue.record("fed after an error")
        } catch {
            #expect(error == first)
        }
        do {
            _ = try parser.finish()
            Issue.record("finished after an error")
        } catch {
            #expect(error == first)
        }
        // An error at finish sticks too.
        var open = IncrementalJSONParser()
        #expect(throws: Never.self) { try open.feed("[") }
        #expect(throws: JSONParseError.self) { try open.finish() }
        #expect(throws: JSONParseError.self) { try open.feed("]") }
    }

    @Test func errorOffsetsCountFromTheFirstByteEverFed() {
        var parser = IncrementalJSONParser()
        do {
            try parser.feed("{\"a\":")
            try parser.feed("  ")
            try parser.feed(" \"x\u{01}")
            Issue.record("accepted a control character")
        } catch {
            #expect(error.kind == .controlCharacter)
            #expect(error.offset == 10)
        }
    }

    @Test func partialValueShowsTheValueSoFar() throws {
        var parser = IncrementalJSONParser()
        #expect(parser.partialValue() == nil)
        try parser.feed(#"{"cart_id":"CA"#)
        #expect(parser.partialValue() == ["cart_id": "CA"])
        try parser.feed(#"RT-1","items":[{"sku":"A","qty":1"#)
        // The number 1 may still grow: it is omitted.
        let first: JSONValue = ["cart_id": "CART-1", "items": [["sku": "A"]]]
        #expect(parser.partialValue() == first)
        try parser.feed(#"2},{"sku":"Gr"#)
        try parser.feed([0xC3])
        let item: JSONValue = ["sku": "A", "qty": 12]
        var expected: JSONValue = ["cart_id": "CART-1", "items": [item, ["sku": "Gr"]]]
        #expect(parser.partialValue() == expected)
        try parser.feed([0xB6] + Array(#"\u00"#.utf8))
        expected = ["cart_id": "CART-1", "items": [item, ["sku": "Grö"]]]
        #expect(parser.partialValue() == expected)
        try parser.feed(#"df"}, {"sku""#)
        // A key without its value yet is not shown.
        expected = ["cart_id": "CART-1", "items": [item, ["sku": "Größ"], [:]]]
        #expect(parser.partialValue() == expected)
        try parser.feed(#": tr"#)
        #expect(parser.partialValue() == expected)
        try parser.feed(#"ue}]}"#)
        let final = try parser.finish()
        #expect(parser.partialValue() == final)
        expected = ["cart_id": "CART-1", "items": [item, ["sku": "Größ"], ["sku": true]]]
        #expect(final == expected)
    }

    @Test func repeatedKeysKeepTheirFirstPositionAndLastValue() throws {
        let small = try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(small.object?.keys == ["a", "b"])
        #expect(small["a"] == 3)
        let manyKeys = (0..<20).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        let large = try JSONParser.parse("{" + manyKeys + ",\"k3\":\"last\"}")
        #expect(large.object?.count == 20)
        #expect(large.object?.keys[3] == "k3")
        #expect(large["k3"] == "last")
        let unique = try JSONParser.parse("{" + manyKeys + "}")
        #expect(unique.object?.keys == (0..<20).map { "k\($0)" })
    }

    @Test(arguments: validCorpus)
    func snapshotsAfterEveryFragmentMatchTheValueSoFarAndNeverChange(text: String) async throws {
        let bytes = Array(text.utf8)
        // partialValue() is O(size) per call: byte by byte only where that stays cheap.
        for sizes in splittings(of: bytes.count, seeds: 4) where sizes.count < 1500 {
            await Task.yield()  // CPU-heavy: let timing-sensitive tests running in parallel get a thread
            var parser = IncrementalJSONParser()
            var taken: [(PartialJSON, JSONValue?)] = []
            var start = 0
            for size in sizes {
                try parser.feed(Array(bytes[start..<start + size]))
                start += size
                let snapshot = parser.partialSnapshot()
                // The incrementally published snapshot agrees with one built from scratch.
                let fresh = parser.partialValue()
                #expect(snapshot.value == fresh, "after \(start) bytes of \(text.prefix(60))")
                taken.append((snapshot, fresh))
            }
            let final = try parser.finish()
            #expect(parser.partialSnapshot().value == final)
            #expect(parser.partialSnapshot().isComplete)
            // Later fragments never changed what an earlier snapshot shows.
            for (snapshot, value) in taken { #expect(snapshot.value == value) }
        }
    }

    /// A UI that drops most snapshots and keeps a few: whatever storage the parser may reuse once
    /// no snapshot holds it, a snapshot still held shows what it showed when taken.
    @Test(arguments: validCorpus)
    func snapshotsKeptAmongDroppedOnesNeverChange(text: String) throws {
        let bytes = Array(text.utf8)
        for sizes in splittings(of: bytes.count, seeds: 3) where sizes.count < 1500 {
            var parser = IncrementalJSONParser()
            var kept: [(PartialJSON, JSONValue?)] = []
            var start = 0
            for (step, size) in sizes.enumerated() {
                try parser.feed(Array(bytes[start..<start + size]))
                start += size
                let snapshot = parser.partialSnapshot()
                let fresh = parser.partialValue()
                #expect(snapshot.value == fresh, "after \(start) bytes of \(text.prefix(60))")
                if step % 3 == 1 { kept.append((snapshot, fresh)) }
            }
            _ = try parser.finish()
            for (snapshot, value) in kept { #expect(snapshot.value == value) }
        }
    }

    @Test func aStringSnapshotKeptWhileTheNextStringsStreamStaysAsTaken() throws {
        var parser = IncrementalJSONParser()
        try parser.feed(#"["abc"#)
        let kept = parser.partialSnapshot()
        try parser.feed(#"def","xy"#)
        _ = parser.partialSnapshot()  // dropped at once, as a UI that redrew from it would
        try parser.feed(#"z","Q"#)
        let last = parser.partialSnapshot()
        #expect(kept.openString == "abc")
        #expect(last.openString == "Q")
        #expect(last.value == ["abcdef", "xyz", "Q"])
    }

    @Test func snapshotShowsOpenContainersAndTheOpenString() throws {
        var parser = IncrementalJSONParser()
        try parser.feed(#"{"cart_id":"C1","items":[{"sku":"A"},{"sku":"B"},{"title":"Gr\u00f6"#)
        let snapshot = parser.partialSnapshot()
        #expect(snapshot.openContainers.map(\.isObject) == [true, false, true])
        #expect(Array(snapshot.openContainers[0].keys) == ["cart_id"])
        #expect(snapshot.openContainers[0].pendingKey == "items")
        #expect(snapshot.openContainers[1].values.count == 2)
        #expect(snapshot.openContainers[1].values.last == ["sku": "B"])
        #expect(snapshot.openContainers[2].pendingKey == "title")
        #expect(snapshot.openString == "Grö")
        try parser.feed(#"ße"}]}"#)
        #expect(snapshot.openString == "Grö")
        #expect(snapshot.openContainers[1].values.count == 2)
        #expect(parser.partialSnapshot().value?["items"]?[2] == ["title": "Größe"])
    }

    @Test func copiesOfAParserPublishIndependently() throws {
        var first = IncrementalJSONParser()
        try first.feed(#"[1,2,"ab"#)
        let early = first.partialSnapshot()
        var second = first
        try first.feed(#"c",3]"#)
        try second.feed(#"x",{"k":[true"#)
        let firstSnapshot = first.partialSnapshot()
        let secondSnapshot = second.partialSnapshot()
        #expect(firstSnapshot.value == [1, 2, "abc", 3])
        #expect(secondSnapshot.value == [1, 2, "abx", ["k": [true]]])
        #expect(early.value == [1, 2, "ab"])
        try second.feed("]}]")
        #expect(second.partialSnapshot().value == [1, 2, "abx", ["k": [true]]])
        #expect(firstSnapshot.value == [1, 2, "abc", 3])
    }

    @Test func longListsSpanManyChunks() throws {
        var parser = IncrementalJSONParser()
        try parser.feed("[")
        var snapshots: [PartialJSON] = []
        for index in 0..<1000 {
            try parser.feed("\(index),")
            if index % 37 == 0 { snapshots.append(parser.partialSnapshot()) }
        }
        for snapshot in snapshots {
            let members = snapshot.openContainers[0].values
            #expect(Array(members) == (0..<members.count).map { JSONValue.number(JSONNumber($0)) })
            #expect(members.indices.allSatisfy { members[$0] == .number(JSONNumber($0)) })
        }
        #expect(snapshots.last?.openContainers[0].values.count == 1000)
    }

    /// The container walk (``PartialJSON/innermostContainer``, ``PartialJSON/Container/enclosing``)
    /// shows what the parser's own stacks hold at that moment, level by level, and agrees with
    /// ``PartialJSON/forEachOpenContainer(_:)`` and ``PartialJSON/openContainers``; earlier
    /// snapshots keep showing what they showed.
    @Test(arguments: validCorpus)
    func containerWalkMatchesTheParsersStacks(text: String) throws {
        let bytes = Array(text.utf8)
        for sizes in splittings(of: bytes.count, seeds: 3) where sizes.count < 1500 {
            var parser = IncrementalJSONParser()
            var kept: [(PartialJSON, [[JSONValue]])] = []
            var start = 0
            for (step, size) in sizes.enumerated() {
                try parser.feed(Array(bytes[start..<start + size]))
                start += size
                let snapshot = parser.partialSnapshot()
                let levels = Self.openLevels(of: parser)
                var walked: [PartialJSON.Container] = []
                var container = snapshot.innermostContainer
                while let current = container {
                    walked.append(current)
                    container = current.enclosing
                }
                var visited: [(count: Int, pendingKey: String?, newest: JSONValue?)] = []
                snapshot.forEachOpenContainer { visited.append(($0.count, $0.pendingKey, $0.values.last)) }
                #expect(visited.map(\.count) == walked.map(\.count))
                #expect(visited.map(\.pendingKey) == walked.map(\.pendingKey))
                #expect(visited.map(\.newest) == walked.map(\.values.last))
                walked.reverse()
                #expect(snapshot.depth == (parser.isComplete ? 0 : parser.depth))
                #expect(walked.count == snapshot.depth)
                // Every member now and then; the counts, newest members and pending keys each time
                // (comparing everything after every byte would make this test quadratic).
                let complete = step % 16 == 0
                let listed = snapshot.openContainers
                for (level, container) in walked.enumerated() where level < levels.count {
                    let expected = levels[level]
                    #expect(container.isObject == expected.isObject)
                    #expect(container.count == expected.values.count)
                    #expect(container.values.last == expected.values.last)
                    #expect(container.keys.last == expected.keys.last)
                    #expect(container.pendingKey == expected.pendingKey)
                    #expect(listed[level].count == container.count && listed[level].pendingKey == container.pendingKey)
                    if complete {
                        let values = Array(expected.values)
                        #expect(Array(container.values) == values)
                        #expect(Array(container.keys) == Array(expected.keys))
                        #expect(container.values.indices.allSatisfy { container.values[$0] == values[$0] })
                    }
                }
                #expect(walked.count == levels.count && listed.count == levels.count)
                if step % 64 == 1 { kept.append((snapshot, levels.map { Array($0.values) })) }
            }
            _ = try parser.finish()
            for (snapshot, values) in kept {
                #expect(snapshot.openContainers.map { Array($0.values) } == values)
            }
        }
    }

    /// Each open container's members, keys and pending key, read from the parser's stacks.
    private static func openLevels(
        of parser: IncrementalJSONParser
    ) -> [(isObject: Bool, values: ArraySlice<JSONValue>, keys: ArraySlice<String>, pendingKey: String?)] {
        parser.frames.indices.map { index in
            let frame = parser.frames[index]
            let isInnermost = index == parser.frames.count - 1
            let valueEnd = isInnermost ? parser.values.count : parser.frames[index + 1].valueStart
            let keyEnd = isInnermost ? parser.keys.count : parser.frames[index + 1].keyStart
            let values = parser.values[frame.valueStart..<valueEnd]
            guard frame.isObject else { return (false, values, [], nil) }
            let keys = parser.keys[frame.keyStart..<frame.keyStart + values.count]
            return (true, values, keys, keyEnd > frame.keyStart + values.count ? parser.keys[keyEnd - 1] : nil)
        }
    }

    /// Randomly generated documents (nesting, long strings with escapes and emoji, long member
    /// lists that span several log chunks, sibling containers that share a level's logs), split at
    /// random: every snapshot shows what the parser's stacks say, then and after the parser moved on.
    @Test(arguments: 0..<24)
    func snapshotsOfRandomDocumentsMatchThePartialValue(seed: Int) throws {
        var random = SeededGenerator(seed: UInt64(seed) &* 104_729 &+ 17)
        let text = Self.randomJSON(depth: 0, using: &random)
        let bytes = Array(text.utf8)
        let expected = try JSONParser.parse(bytes)
        var parser = IncrementalJSONParser()
        var kept: [(PartialJSON, JSONValue?)] = []
        var start = 0
        while start < bytes.count {
            let size = min(bytes.count - start, Int.random(in: 0...(seed % 2 == 0 ? 4 : 40), using: &random))
            try parser.feed(Array(bytes[start..<start + size]))
            start += size
            // Not after every fragment: several containers and strings open and close unseen in between.
            guard Int.random(in: 0..<3, using: &random) != 0 else { continue }
            let snapshot = parser.partialSnapshot()
            let fresh = parser.partialValue()
            #expect(snapshot.value == fresh, "seed \(seed) after \(start) bytes")
            if Int.random(in: 0..<5, using: &random) == 0 { kept.append((snapshot, fresh)) }
        }
        #expect(try parser.finish() == expected)
        #expect(parser.partialSnapshot().value == expected)
        for (snapshot, value) in kept { #expect(snapshot.value == value, "seed \(seed)") }
    }

    private static func randomJSON(depth: Int, using random: inout SeededGenerator) -> String {
        let pick = depth >= 4 ? Int.random(in: 0..<4, using: &random) : Int.random(in: 0..<7, using: &random)
        switch pick {
        case 0: return ["true", "false", "null"][Int.random(in: 0..<3, using: &random)]
        case 1: return ["0", "-12", "3.25", "1e400", "18446744073709551615", "-0.5E-3"][Int.random(in: 0..<6, using: &random)]
        case 2, 3: return randomString(using: &random)
        case 4:
            let count = Int.random(in: 0..<(depth == 0 ? 40 : 12), using: &random)
            return "[" + (0..<count).map { _ in randomJSON(depth: depth + 1, using: &random) }.joined(separator: ",") + "]"
        default:
            let count = Int.random(in: 0..<(depth == 0 ? 30 : 8), using: &random)
            let members = (0..<count).map { _ in
                randomString(using: &random) + ":" + randomJSON(depth: depth + 1, using: &random)
            }
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    private static func randomString(using random: inout SeededGenerator) -> String {
        let pieces = ["a", "key", "Größe", "東京", "🎄", #"\u00e4"#, #"\ud83d\ude00"#, #"\n"#, #"\""#, " ", "item-42"]
        let length = Int.random(in: 0..<(Int.random(in: 0..<8, using: &random) == 0 ? 120 : 6), using: &random)
        return "\"" + (0..<length).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined() + "\""
    }

    @Test func emptyFragmentsChangeNothing() throws {
        var parser = IncrementalJSONParser()
        try parser.feed("")
        try parser.feed("[\"a")
        try parser.feed([])
        try parser.feed("\"]")
        try parser.feed("")
        #expect(try parser.finish() == ["a"])
    }
}
