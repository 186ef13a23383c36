import Testing
import ToolRuntime

/// The assembler's incremental verdicts against the whole-document parser: over every recording,
/// fed at random splits, each call's arguments are the concatenation of the fragments it reported,
/// and its status and value are what `JSONParser` says about that text parsed at once.
@Suite(.enabled(if: SharedFixtures.streamsAvailable, "../shared/streams is absent (set TOOLRUNTIME_SHARED): skipped"))
struct AssemblerDifferentialTests {
    struct Key: Hashable {
        var choice: Int
        var index: Int
    }

    static func check(_ call: ToolCall, fragments: String, _ context: String) {
        #expect(call.arguments == fragments, "\(context): arguments are the fragments joined")
        let isBlank = call.arguments.utf8.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        let parsed = Result { () throws(JSONParseError) in try JSONParser.parse(call.arguments) }
        switch call.status {
        case .complete:
            let expected = isBlank ? JSONValue.object(JSONObject()) : try? parsed.get()
            #expect(call.value == expected, "\(context): value is JSONParser's")
        case .malformed(let error):
            guard case .failure(let whole) = parsed else {
                Issue.record("\(context): malformed, but JSONParser accepts the text")
                return
            }
            if error.kind != .sizeLimitExceeded {
                #expect(whole.kind == error.kind && whole.offset == error.offset, "\(context): same error")
            }
        case .truncated:
            if case .failure(let whole) = parsed {
                #expect(whole.kind == .unexpectedEnd, "\(context): truncated means unfinished")
            } else {
                #expect(isBlank, "\(context): a truncated call with JSON text must be blank")
            }
        }
    }

    @Test(arguments: SharedFixtures.recordings)
    func verdictsMatchParsingTheWholeText(_ name: String) throws {
        let bytes = try SharedFixtures.bytes(name + ".sse")
        for seed: UInt64 in [11, 12] {
            let (response, actions) = assemble(bytes, chunkSizes: randomSplits(seed: seed))
            var fragments: [Key: String] = [:]
            for action in actions {
                switch action {
                case .argumentsGrew(let choice, let index, let fragment):
                    fragments[Key(choice: choice, index: index), default: ""] += fragment
                case .callClosed(let call):
                    let key = Key(choice: call.choiceIndex, index: call.index)
                    Self.check(call, fragments: fragments[key] ?? "", "\(name) seed \(seed) call \(call.index)")
                case .callChanged(let call):
                    // The provider's whole text may replace the fragments (Responses `done`).
                    let key = Key(choice: call.choiceIndex, index: call.index)
                    fragments[key] = call.arguments
                    Self.check(call, fragments: call.arguments, "\(name) seed \(seed) call \(call.index) changed")
                default:
                    break
                }
            }
            for call in response.toolCalls {
                let key = Key(choice: call.choiceIndex, index: call.index)
                Self.check(call, fragments: fragments[key] ?? "", "\(name) seed \(seed) final call \(call.index)")
            }
        }
    }
}
