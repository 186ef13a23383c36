import ArgumentParser
import Foundation
import ToolRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `toolrt-bench exec`: the runtime's own cost per tool call: route + validate + run a trivial handler +
/// build the follow-up messages, for one call per turn and for batches of parallel calls.
struct ExecBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Per-call overhead of the executor (validate + route + trivial handler + result message)."
    )

    @Option(help: "Single-call turns to time.")
    var turns = 20_000

    @Option(help: "Calls per parallel batch.")
    var batch = 64

    @Option(help: "Parallel batches to time.")
    var batches = 500

    @Option(name: .customLong("repeat"), help: "Timed runs per row; the best is reported.")
    var repeatCount = 5

    @Option(help: "Rows to run: all, single (one call per turn) or parallel (batches).")
    var mode = "all"

    @Option(help: "Per-call timeout in ms for the timed rows; 0 runs the rows without a timeout only.")
    var timeoutMs = 30_000

    @Option(
        help: ArgumentHelp(
            "The trivial handler's kind: sync (a closure without await, run in place) or async (may suspend).",
            discussion: "Both add two integers; the async one is declared `async`, so the executor gives it "
                + "a task of its own wherever a timeout or a sibling needs one."
        )
    )
    var handler = "sync"

    @Option(
        help: ArgumentHelp(
            "Python interpreter (with jsonschema-rs) to run the asyncio peer with after the Swift rows.",
            discussion: "Example: /tmp/bench/.venv/bin/python. The peer does the same work per row; its rows "
                + "are printed with the ratio of its CPU time to the Swift row's."
        )
    )
    var python: String?

    @Option(help: "The asyncio peer script (default: bench/exec_peer.py of this checkout).")
    var peerScript: String?

    func run() async throws {
        let schema = try JSONParser.parse(
            #"{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"}},"required":["a","b"],"additionalProperties":false}"#
        )
        guard ["sync", "async"].contains(handler) else { throw ValidationError("--handler is sync or async") }
        @Sendable func add(_ arguments: JSONValue) -> Int64 {
            (arguments["a"]?.number?.int64Value ?? 0) &+ (arguments["b"]?.number?.int64Value ?? 0)
        }
        let registry = try ToolRegistry { builder in
            if handler == "sync" {
                builder.add(name: "add", description: "Adds two integers.", parameters: schema, safety: .readOnly) {
                    arguments,
                    _ in add(arguments)
                }
            } else {
                builder.add(name: "add", description: "Adds two integers.", parameters: schema, safety: .readOnly) {
                    (arguments, _) async -> Int64 in add(arguments)
                }
            }
        }
        func makeCall(_ index: Int) throws -> ToolCall {
            let text = #"{"a":\#(index),"b":2}"#
            return ToolCall(
                index: index,
                id: "call_\(index)",
                name: "add",
                arguments: text,
                status: .complete,
                value: try JSONParser.parse(text)
            )
        }
        let one = [try makeCall(0)]
        let many = try (0..<batch).map(makeCall)
        let context = ToolContext()

        print(
            "toolrt-bench exec: \(turns) single-call turns, \(batches) batches of \(batch), \(handler) handler; "
                + "best of \(repeatCount)"
        )
        print("row                                          wall µs/call  CPU µs/call")
        var rows: [(label: String, cpu: Duration)] = []
        func report(_ label: String, _ perCall: (wall: Duration, cpu: Duration)) {
            rows.append((label, perCall.cpu))
            self.report(label, perCall)
        }
        if mode != "parallel" {
            // The same work with no task, no timeout and no cap: what the concurrency machinery adds is
            // the difference to the rows below.
            guard let tool = registry["add"], let value = one[0].value else { return }
            let floor = await best {
                var sink = 0
                for _ in 0..<turns {
                    guard let routed = registry[one[0].name], routed.schema.validate(value).isEmpty,
                        let result = try? JSONValueEncoder().encode(add(value))
                    else { continue }
                    let outcome = ToolOutcome(call: one[0], result: .success(result), duration: .zero)
                    sink &+= FollowUpMessages.messages(format: .openAIChat, text: "", outcomes: [outcome]).count
                }
                return (turns, sink &+ tool.name.count)
            }
            report("floor: route+validate+result+message", floor)
        }
        var settings: [(String, Duration?)] = [("no timeout", nil)]
        if timeoutMs > 0 { settings.insert(("timeout \(timeoutMs) ms", .milliseconds(timeoutMs)), at: 0) }
        for (label, timeout) in settings {
            let executor = ToolExecutor(registry: registry, configuration: .init(defaultTimeout: timeout))
            if mode != "parallel" {
                let single = await best {
                    var sink = 0
                    for _ in 0..<turns {
                        let outcomes = await executor.execute(one, context: context)
                        sink &+= FollowUpMessages.messages(format: .openAIChat, text: "", outcomes: outcomes).count
                    }
                    return (turns, sink)
                }
                report("1 call/turn, \(label)", single)
            }
            guard mode != "single" else { continue }
            let parallel = await best {
                var sink = 0
                for _ in 0..<batches {
                    let outcomes = await executor.execute(many, context: context)
                    sink &+= FollowUpMessages.messages(format: .openAIChat, text: "", outcomes: outcomes).count
                }
                return (batches * batch, sink)
            }
            report("\(batch) parallel calls/turn, \(label)", parallel)
        }
        if let python { try runPeer(python: python, swiftRows: rows) }
    }

    /// Runs the Python asyncio peer with the same settings and prints its rows, each with the ratio of
    /// its CPU time per call to the Swift row of the same label.
    private func runPeer(python: String, swiftRows: [(label: String, cpu: Duration)]) throws {
        let script =
            peerScript
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("bench/exec_peer.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            script, "--turns", "\(turns)", "--batch", "\(batch)", "--batches", "\(batches)",
            "--repeat", "\(repeatCount)", "--timeout-ms", "\(timeoutMs)", "--mode", mode,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let line = String(decoding: data, as: UTF8.self)
                .split(separator: "\n").last
        else {
            throw ValidationError("the peer \(script) failed (exit \(process.terminationStatus))")
        }
        let report = try JSONParser.parse(String(line))
        let versions = report["versions"]?.object.map { $0.map { "\($0.key) \($0.value.string ?? "?")" } } ?? []
        print("python asyncio peer (\(versions.joined(separator: ", "))):")
        print("row                                          wall µs/call  CPU µs/call  CPU python/swift")
        for row in report["rows"]?.array ?? [] {
            guard let label = row["label"]?.string, let wall = row["wall_us"]?.number?.doubleValue,
                let cpu = row["cpu_us"]?.number?.doubleValue
            else { continue }
            let swift = swiftRows.first { $0.label == label }.map { Double(microseconds($0.cpu)) ?? 0 }
            let ratio = swift.map { $0 > 0 ? String(format: "%17.1f", cpu / $0) : "" } ?? ""
            print("\(label.padding(44)) \(String(format: "%9.2f", wall)) \(String(format: "%9.2f", cpu))  \(ratio)")
        }
    }

    /// Runs `body` `repeatCount` times; returns the fastest wall time and the least CPU time (all
    /// threads of the process) per call. CPU time is the steadier figure on a shared machine.
    private func best(_ body: () async -> (calls: Int, sink: Int)) async -> (wall: Duration, cpu: Duration) {
        let clock = ContinuousClock()
        var wall = Duration.seconds(1_000_000)
        var cpu = Duration.seconds(1_000_000)
        var sink = 0
        for _ in 0..<max(1, repeatCount) {
            let start = clock.now
            let cpuStart = processCPUTime()
            let (calls, value) = await body()
            sink &+= value
            wall = min(wall, (clock.now - start) / max(1, calls))
            cpu = min(cpu, (processCPUTime() - cpuStart) / max(1, calls))
        }
        if sink == -1 { print("unreachable") }  // keeps the work observable
        return (wall, cpu)
    }

    private func processCPUTime() -> Duration {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
    }

    private func report(_ label: String, _ perCall: (wall: Duration, cpu: Duration)) {
        print("\(label.padding(44)) \(microseconds(perCall.wall).leftPadded(9)) \(microseconds(perCall.cpu).leftPadded(9))")
    }

    /// Microseconds with two decimals.
    private func microseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let nanos = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        let hundredths = String(nanos % 1000 / 10)
        return "\(nanos / 1000)." + String(repeating: "0", count: 2 - hundredths.count) + hundredths
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
