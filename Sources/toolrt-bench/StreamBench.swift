import ArgumentParser
import Foundation
import ToolRuntime

/// `toolrt-bench stream`: the Swift side of `../shared/bench` (`peers.py run W --external …`).
///
/// Does what the Python stream peers do: loads `streams.sse` into memory, slices it by the offsets
/// of `expected.jsonl`, feeds each stream to a ``ToolCallPipeline`` one read at a time (one SSE
/// event, the whole stream, or N bytes), and times from the first byte to the last dispatch. A call
/// is dispatched the moment the pipeline closes it. Prints one JSON line (the external-peer contract).
struct StreamBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "SSE bytes -> assembled (and optionally validated) tool calls, on a ../shared/bench workload."
    )

    @Option(help: "Workload folder (streams.sse, expected.jsonl, tools.json).")
    var workload: String

    @Option(help: "Reads handed to the pipeline: event, whole, or a byte count.")
    var reads: String = "event"

    @Option(name: .customLong("repeat"), help: "Timed runs.")
    var repeatCount: Int = 5

    @Flag(help: "Validate each call's arguments against its tool's JSON Schema when it closes.")
    var validate = false

    @Flag(help: "Also read each complete call's value (the parsed tree), as an executor does before running it.")
    var values = false

    @Flag(help: "One pipeline for all streams, reset before each (as a server does per connection or worker).")
    var reuse = false

    struct ExpectedCall {
        var id: String
        var name: String
        var arguments: String
        var valid: Bool
        var kind: String
        var lastDeltaEnd: Int
    }

    struct Stream {
        var bytes: ArraySlice<UInt8>
        /// End offset (in the stream) of each read.
        var readEnds: [Int]
        var finishRead: Int
        var calls: [ExpectedCall]
        /// Call id -> read index holding its last delta.
        var lastDeltaRead: [String: Int]
        /// Per read: whether its hand-over time is recorded (a last delta's or the finish read),
        /// worked out in the untimed setup as the Python harness does.
        var marked: [Bool]
    }

    struct Dispatch {
        var id: String
        var time: UInt64
        var valid: Bool
    }

    func run() throws {
        let folder = URL(fileURLWithPath: workload)
        let data = [UInt8](try Data(contentsOf: folder.appendingPathComponent("streams.sse")))
        let expectedText = try String(contentsOf: folder.appendingPathComponent("expected.jsonl"), encoding: .utf8)
        var schemas: [String: JSONSchema] = [:]
        if validate {
            let tools = try JSONParser.parse(Array(try Data(contentsOf: folder.appendingPathComponent("tools.json"))))
            for tool in tools.array ?? [] {
                guard let name = tool["function"]?["name"]?.string, let parameters = tool["function"]?["parameters"]
                else { continue }
                schemas[name] = try JSONSchema(compiling: parameters)
            }
        }

        var streams: [Stream] = []
        for line in expectedText.split(separator: "\n") where !line.isEmpty {
            let record = try JSONParser.parse(String(line))
            let offset = Int(record["offset"]?.number?.int64Value ?? 0)
            let length = Int(record["length"]?.number?.int64Value ?? 0)
            let bytes = data[offset..<(offset + length)]
            let ends = Self.readEnds(bytes, mode: reads)
            var calls: [ExpectedCall] = []
            var lastDeltaRead: [String: Int] = [:]
            for call in record["calls"]?.array ?? [] {
                let expected = ExpectedCall(
                    id: call["id"]?.string ?? "",
                    name: call["name"]?.string ?? "",
                    arguments: call["arguments"]?.string ?? "",
                    valid: call["valid"]?.bool ?? false,
                    kind: call["kind"]?.string ?? "",
                    lastDeltaEnd: Int(call["last_delta_end"]?.number?.int64Value ?? 0)
                )
                calls.append(expected)
                lastDeltaRead[expected.id] = Self.readIndex(ends, expected.lastDeltaEnd)
            }
            let finishEnd = Int(record["finish_end"]?.number?.int64Value ?? Int64(length))
            let finishRead = Self.readIndex(ends, finishEnd)
            var marked = [Bool](repeating: false, count: ends.count)
            for read in lastDeltaRead.values { marked[read] = true }
            marked[finishRead] = true
            streams.append(
                Stream(
                    bytes: bytes,
                    readEnds: ends,
                    finishRead: finishRead,
                    calls: calls,
                    lastDeltaRead: lastDeltaRead,
                    marked: marked
                )
            )
        }

        // Warm-up (untimed), as the Python harness does.
        let settings = Settings(validate: validate, values: values, reuse: reuse)
        var scratch = RunState()
        for stream in streams.prefix(3) { Self.process(stream, schemas: schemas, settings: settings, state: &scratch) }
        let callCount = streams.reduce(0) { $0 + $1.calls.count }
        let markedCount = streams.reduce(0) { $0 + $1.marked.count { $0 } }

        var runs: [Double] = []
        var cpuRuns: [Double] = []
        var lastDelta: [Double] = []
        var finish: [Double] = []
        var validateShares: [Double] = []
        var finalState = RunState()
        for _ in 0..<max(1, repeatCount) {
            var state = RunState()
            state.responses.reserveCapacity(streams.count)
            state.dispatches.reserveCapacity(callCount)
            state.handovers.reserveCapacity(markedCount)
            let start = monotonicNanoseconds()
            let cpuStart = threadCPUNanoseconds()
            for stream in streams { Self.process(stream, schemas: schemas, settings: settings, state: &state) }
            let elapsed = Double(monotonicNanoseconds() - start) / 1e9
            runs.append(elapsed)
            cpuRuns.append(Double(threadCPUNanoseconds() - cpuStart) / 1e9)
            validateShares.append(Double(state.validateNanoseconds) / 1e9 / elapsed)
            // Latencies and verdicts are worked out after the timed region, as the Python harness does.
            state.settle(streams)
            lastDelta += state.lastDeltaLatencies
            finish += state.finishLatencies
            finalState = state
        }

        // Correctness, from the last run: assembled text from the final response, verdict at dispatch.
        var total = 0
        var assembledOK = 0
        var verdictOK = 0
        var missing = 0
        var extra = 0
        var mismatches: [String: Int] = [:]
        for (stream, outcome) in zip(streams, finalState.responses) {
            var byID: [String: ToolCall] = [:]
            for call in outcome.response.toolCalls {
                if byID[call.id] != nil { extra += 1 }
                byID[call.id] = call
            }
            for expected in stream.calls {
                total += 1
                guard let call = byID[expected.id] else {
                    missing += 1
                    mismatches["missing", default: 0] += 1
                    continue
                }
                if call.name == expected.name && call.arguments == expected.arguments {
                    assembledOK += 1
                } else {
                    mismatches["assembly", default: 0] += 1
                }
                let verdict = outcome.verdicts[expected.id] ?? false
                if verdict == expected.valid {
                    verdictOK += 1
                } else {
                    mismatches[expected.kind, default: 0] += 1
                }
            }
            extra += Set(byID.keys).subtracting(stream.calls.map(\.id)).count
        }

        var result = JSONObject()
        result["peer"] = "swift-toolruntime"
        result["version"] = "0.1.0"
        result["reads"] = .string(reads)
        result["runs_s"] = .array(runs.map { .number(JSONNumber($0)) })
        // CPU time of the same runs: on a shared, loaded machine wall time overstates the cost.
        result["runs_cpu_s"] = .array(cpuRuns.map { .number(JSONNumber($0)) })
        result["latency_us"] = .object([
            "last_delta": Self.percentiles(lastDelta),
            "finish": Self.percentiles(finish),
        ])
        var mismatchObject = JSONObject()
        for (kind, count) in mismatches.sorted(by: { $0.key < $1.key }) { mismatchObject[kind] = .number(JSONNumber(count)) }
        result["correct"] = .object([
            "total": .number(JSONNumber(total)),
            "assembled_ok": .number(JSONNumber(assembledOK)),
            "verdict_ok": .number(JSONNumber(verdictOK)),
            "missing": .number(JSONNumber(missing)),
            "extra": .number(JSONNumber(extra)),
            "mismatch_by_kind": .object(mismatchObject),
        ])
        let shares = validateShares.sorted()
        result["validate_share"] = .number(JSONNumber(shares[shares.count / 2]))
        print(JSONValue.object(result).jsonText)
    }

    struct Outcome {
        var response: AssembledResponse
        /// Filled in by ``RunState/settle(_:)`` after the timed region.
        var verdicts: [String: Bool] = [:]
        /// This stream's entries in ``RunState/dispatches``.
        var dispatches: Range<Int>
        /// This stream's entries in ``RunState/handovers``.
        var handovers: Range<Int>
    }

    /// The flags the timed loop reads, as plain stored values: reading an `@Flag` property goes
    /// through ArgumentParser's property wrapper, which showed up as 2 % of a many-streams run.
    struct Settings {
        var validate: Bool
        var values: Bool
        var reuse: Bool
    }

    struct RunState {
        var responses: [Outcome] = []
        var lastDeltaLatencies: [Double] = []
        var finishLatencies: [Double] = []
        var validateNanoseconds: UInt64 = 0
        /// Members of the values read with `--values`, so that reading them is not optimized away.
        var valueMembers = 0
        var actions: [ToolCallAssembler.Action] = []
        /// Every stream's dispatches and (read, time) hand-overs of marked reads, in one array each
        /// for the run: two arrays per stream were as many allocations per stream as the runtime's
        /// own work on a short response has calls.
        var dispatches: [Dispatch] = []
        var handovers: [(read: Int, time: UInt64)] = []
        /// With `--reuse`: the pipeline kept from one stream to the next.
        var pipeline: ToolCallPipeline?

        /// Empties `actions`, keeping its buffer. Element by element, as the pipeline does: the
        /// generic `removeAll(keepingCapacity:)` is a range replacement with a cost per call that
        /// showed in the bench's own share, once per read.
        @inline(__always)
        mutating func clearActions() {
            while !actions.isEmpty { actions.removeLast() }
        }

        /// Verdicts by call id and latencies, from what the timed run recorded.
        mutating func settle(_ streams: [Stream]) {
            for (stream, position) in zip(streams, responses.indices) {
                var handovers = [UInt64](repeating: 0, count: stream.readEnds.count)
                for handover in self.handovers[responses[position].handovers] { handovers[handover.read] = handover.time }
                for dispatched in dispatches[responses[position].dispatches] {
                    responses[position].verdicts[dispatched.id] = dispatched.valid
                    if let read = stream.lastDeltaRead[dispatched.id], handovers[read] != 0 {
                        lastDeltaLatencies.append(Double(dispatched.time &- handovers[read]) / 1e3)
                    }
                    // A call dispatched before the finish chunk was handed over waited 0 us for it.
                    let finishHandover = handovers[stream.finishRead]
                    if finishHandover != 0 {
                        let waited = dispatched.time > finishHandover ? dispatched.time - finishHandover : 0
                        finishLatencies.append(Double(waited) / 1e3)
                    }
                }
            }
        }
    }

    /// Feeds one stream read by read; dispatches (and validates) each call as it closes.
    private static func process(
        _ stream: Stream,
        schemas: [String: JSONSchema],
        settings: Settings,
        state: inout RunState
    ) {
        var pipeline: ToolCallPipeline
        if settings.reuse, var kept = state.pipeline.take() {
            kept.reset()
            pipeline = kept
        } else {
            pipeline = ToolCallPipeline(format: .openAIChat)
        }
        defer { if settings.reuse { state.pipeline = pipeline } }
        let firstDispatch = state.dispatches.count
        let firstHandover = state.handovers.count
        stream.bytes.withUnsafeBytes { buffer in
            var start = 0
            for (read, end) in stream.readEnds.enumerated() {
                if stream.marked[read] { state.handovers.append((read, monotonicNanoseconds())) }
                state.clearActions()
                try? pipeline.feed(UnsafeRawBufferPointer(rebasing: buffer[start..<end]), into: &state.actions)
                dispatch(&state, schemas: schemas, settings: settings)
                start = end
            }
        }
        state.clearActions()
        let response = pipeline.finish(into: &state.actions)
        dispatch(&state, schemas: schemas, settings: settings)
        state.responses.append(
            Outcome(
                response: response,
                dispatches: firstDispatch..<state.dispatches.count,
                handovers: firstHandover..<state.handovers.count
            )
        )
    }

    @inline(__always)
    private static func dispatch(_ state: inout RunState, schemas: [String: JSONSchema], settings: Settings) {
        for action in state.actions {
            guard case .callClosed(let call) = action else { continue }
            var valid = call.status == .complete
            if valid, settings.validate {
                // From the argument bytes: the tree is built only where the byte walk cannot
                // decide (same verdicts as validating the value, see JSONSchema+Bytes).
                let before = monotonicNanoseconds()
                valid = schemas[call.name]?.isValid(json: call.arguments) ?? false
                state.validateNanoseconds += monotonicNanoseconds() - before
            }
            if settings.values, call.status == .complete, case .object(let members)? = call.value {
                state.valueMembers += members.count
            }
            state.dispatches.append(Dispatch(id: call.id, time: monotonicNanoseconds(), valid: valid))
        }
    }

    /// Read boundaries as the Python harness makes them.
    static func readEnds(_ bytes: ArraySlice<UInt8>, mode: String) -> [Int] {
        let count = bytes.count
        if mode == "whole" { return [count] }
        if mode == "event" {
            let crlf = Array("\r\n\r\n".utf8)
            let lf = Array("\n\n".utf8)
            let head = bytes.prefix(4096)
            let separator = Self.find(crlf, in: head, from: head.startIndex) != nil ? crlf : lf
            var ends: [Int] = []
            var position = bytes.startIndex
            while let found = Self.find(separator, in: bytes, from: position) {
                position = found + separator.count
                ends.append(position - bytes.startIndex)
            }
            if position < bytes.endIndex { ends.append(count) }
            return ends
        }
        let size = max(1, Int(mode) ?? 1)
        return Array(stride(from: size, to: count, by: size)) + [count]
    }

    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, from: Int) -> Int? {
        var i = from
        while i + needle.count <= haystack.endIndex {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// The index of the read that holds byte `offset - 1` (bisect_left over the read ends).
    static func readIndex(_ ends: [Int], _ offset: Int) -> Int {
        var low = 0
        var high = ends.count
        while low < high {
            let middle = (low + high) / 2
            if ends[middle] < offset { low = middle + 1 } else { high = middle }
        }
        return min(low, max(0, ends.count - 1))
    }

    static func percentiles(_ values: [Double]) -> JSONValue {
        guard !values.isEmpty else { return .null }
        let sorted = values.sorted()
        func at(_ q: Double) -> JSONValue {
            let k = Double(sorted.count - 1) * q
            let f = Int(k)
            let c = min(f + 1, sorted.count - 1)
            let value = sorted[f] + (sorted[c] - sorted[f]) * (k - Double(f))
            return .number(JSONNumber((value * 100).rounded() / 100))
        }
        return .object(["p50": at(0.5), "p90": at(0.9), "p99": at(0.99), "max": at(1)])
    }
}

func monotonicNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

func threadCPUNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}
