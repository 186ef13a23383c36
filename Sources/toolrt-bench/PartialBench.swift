import ArgumentParser
import Foundation
import ToolRuntime

/// `toolrt-bench partial WORKLOAD...`: the cost of a partial-argument view kept current after
/// every streamed delta, against parsing each call's final argument text once.
///
/// The argument deltas are taken from the workload's `streams.sse` (made by
/// `../shared/bench/gen_workload.py`) in an untimed setup step; the timed runs see only bytes.
struct PartialBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partial",
        abstract: "Partial-argument view cost vs. parsing the final argument text once."
    )

    @Argument(help: "Workload directories (each with streams.sse), e.g. /tmp/wl/large-args.")
    var workloads: [String]

    @Option(help: "Timed repetitions per measurement; the best is reported.")
    var repeats = 7

    @Flag(help: "Skip (d), the naive full copy of the value after every delta (quadratic, slow).")
    var skipNaive = false

    @Option(help: "Run only these measurements (letters a-f, e.g. 'ab'), for profiling one under callgrind.")
    var only = "abcdef"

    func run() throws {
        for directory in workloads {
            let calls = try ArgumentDeltas.load(sse: directory + "/streams.sse")
            try measure(name: (directory as NSString).lastPathComponent, calls: calls)
        }
    }

    private func measure(name: String, calls: [CallDeltas]) throws {
        let finals = calls.map(\.text)
        let bytes = finals.reduce(0) { $0 + $1.count }
        let deltas = calls.reduce(0) { $0 + $1.ends.count }
        print(
            "\(name): \(calls.count) calls, \(bytes) argument bytes, \(deltas) deltas (mean \(format(Double(bytes) / Double(max(deltas, 1)), 1)) B)"
        )

        let expected = try finals.map { text throws(JSONParseError) in try JSONParser.parse(text) }
        var check = 0

        let whole = try best("a") { () throws(JSONParseError) in
            for text in finals {
                let value = try text.withUnsafeBytes { buffer in
                    Result { () throws(JSONParseError) in try JSONParser.parse(bytes: buffer) }
                }.get()
                check &+= value.object?.count ?? 1
            }
        }
        report("(a) JSONParser.parse, final text once", whole, base: whole, bytes: bytes)

        var viewValues: [JSONValue] = []
        let withView = try best("b") { () throws(JSONParseError) in
            viewValues.removeAll(keepingCapacity: true)
            for call in calls {
                var parser = IncrementalJSONParser()
                try call.forEachDelta { delta throws(JSONParseError) in
                    try parser.feed(delta)
                    // What a UI reads to redraw incrementally: how many members each open
                    // container has, the newest member, the open string. Walked from the innermost
                    // container outwards, which allocates nothing (`openContainers` builds an array).
                    let snapshot = parser.partialSnapshot()
                    snapshot.forEachOpenContainer { container in
                        let count = container.count
                        check &+= count
                        if count > 0, case .object = container.values[count - 1] { check &+= 1 }
                    }
                    check &+= snapshot.openStringBytes?.count ?? 0
                }
                viewValues.append(try parser.finish())
            }
        }
        report("(b) deltas + partialSnapshot() after each", withView, base: whole, bytes: bytes)

        let snapshotsOnly = try best("f") { () throws(JSONParseError) in
            for call in calls {
                var parser = IncrementalJSONParser()
                try call.forEachDelta { delta throws(JSONParseError) in
                    try parser.feed(delta)
                    check &+= parser.partialSnapshot().depth
                }
                check &+= try parser.finish().object?.count ?? 0
            }
        }
        report("(f) deltas + partialSnapshot() after each, unread", snapshotsOnly, base: whole, bytes: bytes)

        var plainValues: [JSONValue] = []
        let plain = try best("c") { () throws(JSONParseError) in
            plainValues.removeAll(keepingCapacity: true)
            for call in calls {
                var parser = IncrementalJSONParser()
                try call.forEachDelta { delta throws(JSONParseError) in try parser.feed(delta) }
                plainValues.append(try parser.finish())
            }
        }
        report("(c) deltas, no view", plain, base: whole, bytes: bytes)

        let withEvents = try best("e") { () throws(JSONParseError) in
            for call in calls {
                var parser = IncrementalJSONParser()
                var counter = EventCounter()
                try call.forEachDelta { delta throws(JSONParseError) in try parser.feed(delta, events: &counter) }
                _ = try parser.finish(events: &counter)
                check &+= counter.count
            }
        }
        report("(e) deltas with events (a counting sink)", withEvents, base: whole, bytes: bytes)

        if !skipNaive {
            let naive = try best("d", repeats: 1) { () throws(JSONParseError) in
                for call in calls {
                    var parser = IncrementalJSONParser()
                    try call.forEachDelta { delta throws(JSONParseError) in
                        try parser.feed(delta)
                        check &+= parser.partialValue()?.object?.count ?? 0
                    }
                }
            }
            report("(d) deltas + partialValue() after each (copies)", naive, base: whole, bytes: bytes)
        }
        guard viewValues == expected || !only.contains("b"), plainValues == expected || !only.contains("c") else {
            throw ValidationError("incremental results differ from JSONParser's")
        }
        if !withView.isNaN && !whole.isNaN { print("   ratio b/a = \(format(withView / whole, 2))") }
        print("   (checksum \(check & 0xFFFF))")
    }

    /// The best of `repeats` timed runs, in seconds of this thread's CPU time (the machine is
    /// shared: wall time would count other processes' turns), NaN when not selected.
    private func best(
        _ letter: Character,
        repeats: Int? = nil,
        _ body: () throws(JSONParseError) -> Void
    ) throws(JSONParseError) -> Double {
        guard only.contains(letter) else { return .nan }
        var best = Double.infinity
        for _ in 0..<max(1, repeats ?? self.repeats) {
            let start = threadCPUNanoseconds()
            try body()
            best = min(best, Double(threadCPUNanoseconds() - start) / 1e9)
        }
        return best
    }

    private func report(_ label: String, _ seconds: Double, base: Double, bytes: Int) {
        guard !seconds.isNaN else { return }  // not selected with --only
        let padded = label.padding(toLength: 50, withPad: " ", startingAt: 0)
        print(
            "   \(padded) \(format(seconds * 1e3, 2)) ms  \(format(Double(bytes) / seconds / 1e6, 0)) MB/s  x\(format(seconds / base, 2))"
        )
    }

    private func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}

/// Counts events: the cheapest real consumer of the events path.
private struct EventCounter: JSONEventSink {
    var count = 0
    mutating func receive(_ event: JSONEvent) { count &+= 1 }
}

/// One call's argument text and where each of its deltas ends in it. The deltas are slices of one
/// buffer, as the fragments of a received body are: an array per delta cost a retain and a release
/// per delta (~10 ns) that parsing the final text does not pay, in every timed loop but (a).
struct CallDeltas {
    let text: [UInt8]
    let ends: [Int]

    init(_ deltas: [[UInt8]]) {
        text = Array(deltas.joined())
        var end = 0
        ends = deltas.map { delta in
            end += delta.count
            return end
        }
    }

    /// Calls `body` with each delta's bytes in order.
    @inline(__always)
    func forEachDelta(_ body: (UnsafeRawBufferPointer) throws(JSONParseError) -> Void) throws(JSONParseError) {
        try text.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in
                var start = 0
                for end in ends {
                    try body(UnsafeRawBufferPointer(rebasing: buffer[start..<end]))
                    start = end
                }
            }
        }.get()
    }
}

/// Argument fragments per tool call, read from a workload's SSE file (bench setup, not timed).
enum ArgumentDeltas {
    /// Each call's argument deltas in stream order; calls keyed by (stream, tool-call index).
    static func load(sse path: String) throws -> [CallDeltas] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var calls: [[[UInt8]]] = []
        var callSlots: [Int: Int] = [:]  // tool-call index -> slot in `calls`, for the current stream
        var data: [Substring] = []
        func dispatch() throws {
            defer { data.removeAll() }
            guard !data.isEmpty else { return }
            let payload = data.joined(separator: "\n")
            guard payload != "[DONE]" else { return }
            let chunk = try JSONParser.parse(payload)
            for choice in chunk["choices"]?.array ?? [] {
                for call in choice["delta"]?["tool_calls"]?.array ?? [] {
                    let index = Int(call["index"]?.number?.int64Value ?? 0)
                    let fragment = call["function"]?["arguments"]?.string ?? ""
                    let slot: Int
                    if let known = callSlots[index] {
                        slot = known
                    } else {
                        slot = calls.count
                        callSlots[index] = slot
                        calls.append([])
                    }
                    if !fragment.isEmpty { calls[slot].append(Array(fragment.utf8)) }
                }
            }
        }
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.isEmpty {
                try dispatch()
            } else if line.hasPrefix(": stream") {
                try dispatch()
                callSlots = [:]
            } else if line.hasPrefix("data:") {
                let value = line.dropFirst(5)
                data.append(value.hasPrefix(" ") ? value.dropFirst() : value)
            }
        }
        try dispatch()
        return calls.filter { !$0.isEmpty }.map(CallDeltas.init)
    }
}
