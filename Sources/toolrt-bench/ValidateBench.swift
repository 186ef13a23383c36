import ArgumentParser
import Foundation
import ToolRuntime

/// Validation alone, per call, on a `gen_workload.py` workload, every verdict checked against
/// `expected.jsonl`: from bytes (``JSONSchema/isValid(json:limits:)``, the byte walk with the tree
/// as fallback), and the tree path it replaces (bytes → ``JSONValue`` → verdict) for comparison.
struct ValidateBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "CPU ns per call to parse + validate tool-call arguments (from bytes), verdicts checked."
    )

    @Option(name: .long, help: "Workload folder(s) written by gen_workload.py (tools.json + expected.jsonl).")
    var workload: [String]

    @Option(name: .customLong("repeat"), help: "Timed passes over all calls (the median is reported).")
    var repeats: Int = 7

    @Option(name: .long, help: "Calls per timed pass at least (small workloads are looped).")
    var minCalls: Int = 200_000

    @Flag(name: .long, help: "Time the bytes path only (for a profiler).")
    var bytesOnly = false

    private struct Call {
        var tool: Int
        var bytes: [UInt8]
        var valid: Bool
        var kind: String
    }

    func run() throws {
        var summary: [JSONValue] = []
        for folder in workload {
            summary.append(try measure(folder))
        }
        print(JSONValue.array(summary).jsonText)
    }

    /// This thread's CPU time: the machine is shared, and time spent descheduled is not ours.
    static func cpuNanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// Unbuffered, so each workload's line shows as soon as it is measured.
    private func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    private func measure(_ folder: String) throws -> JSONValue {
        guard let toolsData = FileManager.default.contents(atPath: folder + "/tools.json"),
            let expectedData = FileManager.default.contents(atPath: folder + "/expected.jsonl")
        else { throw ValidationError("cannot read \(folder)/tools.json or expected.jsonl") }
        var schemas: [JSONSchema] = []
        var toolIndex: [String: Int] = [:]
        for tool in try JSONParser.parse([UInt8](toolsData)).array ?? [] {
            guard let name = tool["function"]?["name"]?.string, let parameters = tool["function"]?["parameters"] else { continue }
            toolIndex[name] = schemas.count
            schemas.append(try JSONSchema(compiling: parameters))
        }
        var calls: [Call] = []
        for line in [UInt8](expectedData).split(separator: UInt8(ascii: "\n")) {
            let stream = try JSONParser.parse(Array(line))
            for call in stream["calls"]?.array ?? [] {
                guard let name = call["name"]?.string, let tool = toolIndex[name],
                    let arguments = call["arguments"]?.string, let valid = call["valid"]?.bool
                else { continue }
                calls.append(Call(tool: tool, bytes: Array(arguments.utf8), valid: valid, kind: call["kind"]?.string ?? ""))
            }
        }
        guard !calls.isEmpty else { throw ValidationError("no calls in \(folder)") }

        // Verdicts first (with full error collection, as a tool message would need), by both paths.
        var wrong: [String: Int] = [:]
        var wrongFromBytes: [String: Int] = [:]
        for call in calls {
            let valid: Bool
            if let value = try? JSONParser.parse(call.bytes) {
                valid = schemas[call.tool].validate(value).isEmpty
            } else {
                valid = false
            }
            if valid != call.valid { wrong[call.kind, default: 0] += 1 }
            let validFromBytes = (try? schemas[call.tool].validate(json: call.bytes))?.isEmpty ?? false
            if validFromBytes != call.valid || schemas[call.tool].isValid(json: call.bytes) != call.valid {
                wrongFromBytes[call.kind, default: 0] += 1
            }
        }

        let argumentBytes = calls.reduce(0) { $0 + $1.bytes.count }
        // Loop small workloads up to minCalls calls, but never past ~50 MB of arguments per pass.
        let loops = max(1, min((minCalls + calls.count - 1) / calls.count, 50_000_000 / max(1, argumentBytes)))
        func timed(_ body: (Call) -> Bool) -> Double {
            var samples: [Double] = []
            var sink = 0
            for _ in 0..<max(1, repeats) {
                let start = Self.cpuNanoseconds()
                for _ in 0..<loops {
                    for call in calls where body(call) { sink &+= 1 }
                }
                samples.append(Double(Self.cpuNanoseconds() - start) / Double(loops * calls.count))
            }
            if sink == -1 { print(sink) }
            return samples.sorted()[samples.count / 2]
        }
        let fromBytes = timed { call in schemas[call.tool].isValid(json: call.bytes) }
        let name = URL(fileURLWithPath: folder).lastPathComponent
        if bytesOnly {
            say("\(name): from bytes " + String(format: "%.0f", fromBytes) + " ns/call")
            return ["workload": .string(name), "bytes_validate_ns": .number(JSONNumber(fromBytes.rounded()))]
        }
        let parseOnly = timed { call in (try? JSONParser.parse(call.bytes)) != nil }
        let parseAndValidate = timed { call in
            guard let value = try? JSONParser.parse(call.bytes) else { return false }
            return schemas[call.tool].isValid(value)
        }
        let values = calls.map { try? JSONParser.parse($0.bytes) }
        var validateOnlySamples: [Double] = []
        for _ in 0..<max(1, repeats) {
            var sink = 0
            let start = Self.cpuNanoseconds()
            for _ in 0..<loops {
                for (i, call) in calls.enumerated() {
                    if let value = values[i], schemas[call.tool].isValid(value) { sink &+= 1 }
                }
            }
            validateOnlySamples.append(Double(Self.cpuNanoseconds() - start) / Double(loops * calls.count))
            if sink == -1 { print(sink) }
        }
        let validateOnly = validateOnlySamples.sorted()[validateOnlySamples.count / 2]
        let correct = calls.count - wrong.values.reduce(0, +)
        let correctFromBytes = calls.count - wrongFromBytes.values.reduce(0, +)
        say(
            "\(name): \(calls.count) calls, mean \(argumentBytes / calls.count) B: from bytes "
                + String(format: "%.0f", fromBytes) + " ns/call, verdicts right \(correctFromBytes)/\(calls.count)"
                + (wrongFromBytes.isEmpty ? "" : " wrong: \(wrongFromBytes)")
                + "; tree: parse+validate " + String(format: "%.0f", parseAndValidate) + " ns/call (parse alone "
                + String(format: "%.0f", parseOnly) + ", validate alone " + String(format: "%.0f", validateOnly)
                + "), verdicts right \(correct)/\(calls.count)" + (wrong.isEmpty ? "" : " wrong: \(wrong)")
        )
        return [
            "workload": .string(name),
            "calls": .number(JSONNumber(calls.count)),
            "mean_bytes": .number(JSONNumber(argumentBytes / calls.count)),
            "bytes_validate_ns": .number(JSONNumber(fromBytes.rounded())),
            "bytes_verdicts_right": .number(JSONNumber(correctFromBytes)),
            "parse_validate_ns": .number(JSONNumber(parseAndValidate.rounded())),
            "parse_ns": .number(JSONNumber(parseOnly.rounded())),
            "validate_ns": .number(JSONNumber(validateOnly.rounded())),
            "verdicts_right": .number(JSONNumber(correct)),
        ]
    }
}
