import Testing

@testable import ToolRuntime

/// A pipeline reset between responses assembles each one exactly as a new pipeline does (same
/// response, same actions), while it reads the later responses' chunks through the shapes the
/// earlier ones taught it.
struct PipelineResetTests {
    /// Feeds `bytes` in chunks of the given sizes (cycled) and finishes.
    static func run(
        _ pipeline: inout ToolCallPipeline,
        _ bytes: [UInt8],
        chunkSizes: [Int]
    ) -> (AssembledResponse, [ToolCallAssembler.Action]) {
        var actions: [ToolCallAssembler.Action] = []
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            var turn = 0
            while offset < buffer.count {
                let end = min(buffer.count, offset + max(1, chunkSizes[turn % chunkSizes.count]))
                do { try pipeline.feed(UnsafeRawBufferPointer(rebasing: buffer[offset..<end]), into: &actions) } catch { break }
                offset = end
                turn += 1
            }
        }
        return (pipeline.finish(into: &actions), actions)
    }

    /// Random chat responses: each its own header (`id`), text and calls in a few shapes whose
    /// strings and indices change, sometimes usage, an error or a broken chunk.
    static func responses(seed: UInt64, count: Int) -> [[UInt8]] {
        var random = ChatPrefixDifferentialTests.Random(generator: SeededGenerator(seed: seed))
        let shapes = (0..<6).map { _ in random.chance(70) ? random.streamShape() : random.shape() }
        return (0..<count).map { number in
            let header = #"{"id":"chatcmpl-\#(number)-\#(random.int(0...999))","object":"chat.completion.chunk","choices":["#
            var text = ""
            for _ in 0..<random.int(1...30) {
                text += "data: " + random.chunk(header: header, shapes: shapes) + "\n\n"
            }
            if random.chance(50) { text += "data: " + header + #"],"usage":{"prompt_tokens":3,"completion_tokens":4}}"# + "\n\n" }
            if random.chance(80) { text += "data: [DONE]\n\n" }
            return Array(text.utf8)
        }
    }

    @Test(arguments: 0..<12)
    func aResetPipelineAssemblesLikeANewOne(_ seed: Int) {
        let responses = Self.responses(seed: UInt64(seed) &+ 500, count: 25)
        let chunkings: [[Int]] = [[Int.max], [1], [7, 13, 64], [300]]
        for format in [WireFormat.openAIChat, nil] {
            let chunkSizes = chunkings[seed % chunkings.count]
            var reused = ToolCallPipeline(format: format)
            var hitsBefore = 0
            var hitsInFirstChunks = 0
            for (number, bytes) in responses.enumerated() {
                if number > 0 { reused.reset() }
                var fresh = ToolCallPipeline(format: format)
                let expected = Self.run(&fresh, bytes, chunkSizes: chunkSizes)
                let actual = Self.run(&reused, bytes, chunkSizes: chunkSizes)
                #expect(actual.0 == expected.0, "seed \(seed) response \(number): response")
                #expect(actual.1 == expected.1, "seed \(seed) response \(number): actions")
                // Shapes learnt from earlier responses are used where a new pipeline learns them.
                hitsInFirstChunks += max(0, (reused.templateHits - hitsBefore) - fresh.templateHits)
                hitsBefore = reused.templateHits
            }
            #expect(hitsInFirstChunks > 0, "seed \(seed): no shape survived a reset")
        }
    }

    @Test(.enabled(if: SharedFixtures.streamsAvailable, "../shared/streams is absent: skipped"))
    func theFortyRecordingsOneAfterAnotherThroughOnePipeline() throws {
        let recordings = try SharedFixtures.recordings.map { try SharedFixtures.bytes($0 + ".sse") }
        for format in [WireFormat?.none] + WireFormat.allCases.map(Optional.some) {
            var reused = ToolCallPipeline(format: format)
            for (number, bytes) in (recordings + recordings).enumerated() {
                if number > 0 { reused.reset() }
                var fresh = ToolCallPipeline(format: format)
                let expected = Self.run(&fresh, bytes, chunkSizes: [5, 64])
                let actual = Self.run(&reused, bytes, chunkSizes: [5, 64])
                #expect(actual.0 == expected.0, "recording \(number % recordings.count), format \(String(describing: format))")
                #expect(actual.1 == expected.1, "recording \(number % recordings.count): actions")
            }
        }
    }
}
