import Testing
import ToolRuntime

struct SSEParserTests {
    /// Feeds `text` in the given chunk sizes (cycled) and returns the events, owned.
    private func events(_ text: String, chunks: [Int] = [], limits: SSELimits = SSELimits()) throws -> [SSEEvent] {
        var parser = SSEParser(limits: limits)
        let bytes = Array(text.utf8)
        var events: [SSEEvent] = []
        var offset = 0
        var turn = 0
        while offset < bytes.count {
            let size = chunks.isEmpty ? bytes.count : chunks[turn % chunks.count]
            let end = min(bytes.count, offset + size)
            events += try parser.feed(Array(bytes[offset..<end]))
            offset = end
            turn += 1
        }
        return events + (try parser.finish())
    }

    @Test func splitsOnLFCRAndCRLFAlike() throws {
        let expected = [SSEEvent(type: "a", data: "1"), SSEEvent(data: "2")]
        #expect(try events("event: a\ndata: 1\n\ndata: 2\n\n") == expected)
        #expect(try events("event: a\rdata: 1\r\rdata: 2\r\r") == expected)
        #expect(try events("event: a\r\ndata: 1\r\n\r\ndata: 2\r\n\r\n") == expected)
    }

    @Test func crAtTheEndOfAChunkAndLFAtTheStartOfTheNextIsOneLineEnd() throws {
        // Split after every CR: a CRLF pair must not count as two line ends (which would dispatch early).
        let text = "data: a\r\ndata: b\r\n\r\n"
        let result = try events(text, chunks: [8, 9, 2, 1])
        #expect(result == [SSEEvent(data: "a\nb")])
        #expect(try events(text, chunks: [1]) == [SSEEvent(data: "a\nb")])
    }

    @Test func joinsDataLinesWithLF() throws {
        #expect(try events("data: {\"a\":\ndata: 1}\n\n") == [SSEEvent(data: "{\"a\":\n1}")])
        #expect(try events("data:\ndata\n\n") == [SSEEvent(data: "\n")])
    }

    @Test func ignoresCommentsAndUnknownFieldsAndAcceptsFieldsInAnyOrder() throws {
        let text = ": OPENROUTER PROCESSING\n\ndata: {}\nfoo: bar\nevent: response.created\nid: 7\nretry: 1500\n\n"
        var parser = SSEParser()
        let result = try parser.feed(Array(text.utf8))
        #expect(result == [SSEEvent(type: "response.created", data: "{}", lastEventID: "7")])
        #expect(parser.retry == 1500)
        #expect(parser.sawField)
    }

    @Test func fieldNamesMatchExactlyNotByLengthOrPrefix() throws {
        // Names of a known field's length, or one byte off it, are unknown fields and ignored.
        let unknown = "dat: x\ndatA: x\ndatas: x\nDATA: x\neveny: x\nevent2: x\nix: x\ni: x\nretrY: 5\nretr: 5\n"
        let text = unknown + "data: kept\nevent: e\nid: 7\nretry: 30\n\n"
        var parser = SSEParser()
        let result = try parser.feed(Array(text.utf8))
        #expect(result == [SSEEvent(type: "e", data: "kept", lastEventID: "7")])
        #expect(parser.retry == 30)
        var noRetry = SSEParser()
        _ = try noRetry.feed(Array("retrY: 5\nretr: 5\nreTry: 5\ndata: x\n\n".utf8))
        #expect(noRetry.retry == nil)
    }

    @Test func dropsOneLeadingSpaceOnlyAndSkipsABOM() throws {
        #expect(try events("\u{FEFF}data:  two spaces\n\n") == [SSEEvent(data: " two spaces")])
        #expect(try events("\u{FEFF}data: x\n\n", chunks: [1]) == [SSEEvent(data: "x")])
    }

    @Test func anEventWithoutDataIsNotDispatched() throws {
        #expect(try events("event: ping\n\n: comment\n\n").isEmpty)
    }

    @Test func finishDispatchesAnEventLeftOpenAtTheEnd() throws {
        #expect(
            try events("event: message_stop\ndata: {\"type\":\"message_stop\"}") == [
                SSEEvent(type: "message_stop", data: "{\"type\":\"message_stop\"}")
            ]
        )
        #expect(try events("data: x\n") == [SSEEvent(data: "x")])
    }

    @Test func everySplitGivesTheSameEvents() throws {
        let text = "\u{FEFF}: hi\r\nevent: e\r\ndata: Grüße 🎁\r\ndata: zwei\r\n\r\ndata: [DONE]\n\ndata: x"
        let whole = try events(text)
        #expect(whole.count == 3)
        for size in 1...9 { #expect(try events(text, chunks: [size]) == whole, "chunks of \(size)") }
        for seed: UInt64 in 1...20 { #expect(try events(text, chunks: randomSplits(seed: seed, maximum: 12)) == whole) }
    }

    @Test func aLineLongerThanTheBoundIsAClearError() throws {
        let limits = SSELimits(maxLineBytes: 16, maxEventBytes: 1024)
        #expect(throws: SSEError.self) { try events("data: " + String(repeating: "x", count: 40) + "\n\n", limits: limits) }
        // Also when the line arrives in small pieces (it must not buffer without bound).
        do {
            _ = try events("data: " + String(repeating: "x", count: 40) + "\n\n", chunks: [3], limits: limits)
            Issue.record("expected lineTooLong")
        } catch let error as SSEError {
            #expect(error.kind == .lineTooLong)
        }
    }

    @Test func anEventLargerThanTheBoundIsAClearError() throws {
        let limits = SSELimits(maxLineBytes: 64, maxEventBytes: 20)
        do {
            _ = try events("data: 0123456789\ndata: 0123456789\n\n", limits: limits)
            Issue.record("expected eventTooLarge")
        } catch let error as SSEError {
            #expect(error.kind == .eventTooLarge)
            #expect(error.description.contains("20 bytes"))
        }
    }
}
