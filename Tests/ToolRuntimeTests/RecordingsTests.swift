import Foundation
import Testing
import ToolRuntime

/// The 40 real provider recordings of `../shared/streams`, against the SDK oracles' results.
@Suite(.enabled(if: SharedFixtures.streamsAvailable, "../shared/streams is absent (set TOOLRUNTIME_SHARED): skipped"))
struct RecordingsTests {
    @Test func allFortyRecordingsArePresent() {
        #expect(SharedFixtures.recordings.count == 40)
    }

    @Test(arguments: SharedFixtures.recordings)
    func recordingMatchesExpected(_ name: String) throws {
        let bytes = try SharedFixtures.bytes(name + ".sse")
        let expectedData = try SharedFixtures.bytes(name + ".expected.json")
        let expected = try JSONParser.parse(expectedData)
        let format = try #require(WireFormat(rawValue: expected["format"]?.string ?? ""))

        for detect in [false, true] {
            let response = assemble(bytes, format: detect ? nil : format).response
            #expect(response.format == format, "\(name): format")
            let expectedChoices = expected["choices"]?.array ?? []
            #expect(response.choices.count == expectedChoices.count, "\(name): choice count")
            for (choice, want) in zip(response.choices, expectedChoices) {
                #expect(choice.index == want["index"]?.number?.int64Value.map(Int.init), "\(name): choice index")
                #expect(choice.content == (want["content"]?.string ?? ""), "\(name): content")
                #expect(choice.finishReason?.raw == want["finish_reason"]?.string, "\(name): finish_reason")
                let wantCalls = want["tool_calls"]?.array ?? []
                #expect(choice.toolCalls.count == wantCalls.count, "\(name): call count")
                for (call, wantCall) in zip(choice.toolCalls, wantCalls) {
                    #expect(call.id == wantCall["id"]?.string, "\(name): id")
                    #expect(call.name == wantCall["name"]?.string, "\(name): name")
                    #expect(call.arguments == wantCall["arguments"]?.string, "\(name): arguments")
                    if format == .anthropicMessages {
                        #expect(format.wireType(of: call.kind) == wantCall["type"]?.string, "\(name): type")
                    }
                }
            }
            #expect((response.error != nil) == !(expected["error"]?.isNull ?? true), "\(name): error")
            if let wantError = expected["error"], !wantError.isNull {
                #expect(response.error?.raw == wantError, "\(name): error object")
            }
        }
    }

    @Test(arguments: SharedFixtures.recordings)
    func recordingIsTheSameHoweverItIsSplit(_ name: String) throws {
        let bytes = try SharedFixtures.bytes(name + ".sse")
        let whole = assemble(bytes).response
        #expect(assemble(bytes, chunkSizes: [1]).response == whole, "\(name): one byte at a time")
        for seed: UInt64 in [1, 2, 3] {
            #expect(assemble(bytes, chunkSizes: randomSplits(seed: seed)).response == whole, "\(name): seed \(seed)")
        }
    }

    @Test func truncatedAnthropicCallIsNotComplete() throws {
        let bytes = try SharedFixtures.bytes("anthropic-messages/sonnet37-max-tokens-truncated-args.sse")
        let response = assemble(bytes).response
        let call = try #require(response.toolCalls.first)
        guard case .truncated = call.status else {
            Issue.record("expected truncated, got \(call.status)")
            return
        }
        #expect(response.choices.first?.finishReason?.allowsExecution == false)
    }

    @Test func serverToolUseIsReportedButNotForTheClient() throws {
        let bytes = try SharedFixtures.bytes("anthropic-messages/tool-search-server-then-client-tool.sse")
        let calls = assemble(bytes).response.toolCalls
        #expect(calls.map(\.kind) == [.serverTool, .function])
        #expect(calls.allSatisfy { $0.status == .complete })
    }
}
