import ArgumentParser
import CatalogTools
import ToolRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The tool modules `toolrt run --tools NAME` can load, by name. A module joins with one line.
let runModules: [String: @Sendable (RunCommand) throws -> any ToolModule] = [
    "echo": { _ in EchoModule() },
    "catalog": { CatalogModule(store: try CatalogStore.open(path: $0.db)) },
]

/// A small module for trying the runtime without a backend: `echo` returns its arguments.
struct EchoModule: ToolModule {
    func register(into builder: inout ToolRegistry.Builder) {
        builder.add(
            name: "echo",
            description: "Returns its arguments unchanged.",
            parameters: ["type": "object"],
            safety: .readOnly
        ) { arguments, _ in arguments }
    }
}

/// `toolrt run`: replays a recorded response through the assembler and the executor against the
/// named modules and prints the follow-up messages, to see why a tool call failed.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Replay a streamed (SSE) model response: assemble, validate and run its tool calls.",
        discussion: """
            Reads the SSE body from FILE or standard input, runs its calls against the tools of the given \
            modules (read-only calls start as soon as their arguments close, as in a live turn) and prints \
            {"messages":[…the follow-up messages…],"outcomes":[{"id","name","status","duration_ms"}]}.

            Modules: \(runModules.keys.sorted().joined(separator: ", ")). Exit code 2: unknown module, the \
            file cannot be read, or the body is not an event stream of a known format.
            """
    )

    @Option(
        name: .customLong("tools"),
        help: "Tool modules to load: repeat the option or separate names with commas (--tools echo,catalog)."
    )
    var moduleLists: [String] = ["echo"]

    private var modules: [String] {
        moduleLists.flatMap { $0.split(separator: ",").map(String.init) }
    }

    @Option(help: "The wire format: openai-chat, anthropic-messages, openai-responses or auto.")
    var format: AssembleCommand.FormatOption = .auto

    @Option(help: "The customer the calls act for (ToolContext.customerID).")
    var customer: String?

    @Option(help: "The catalog's SQLite file for --tools catalog (created and seeded when absent).")
    var db: String = "catalog.sqlite"

    @Argument(help: "The SSE body (default: standard input).")
    var file: String?

    func run() async throws {
        var builder = ToolRegistry.Builder()
        for name in modules {
            guard let make = runModules[name] else {
                throw fail("unknown module \(name); known: \(runModules.keys.sorted().joined(separator: ", "))")
            }
            do {
                builder.add(try make(self))
            } catch {
                throw fail("module \(name) failed to start: \(error)")
            }
        }
        let registry: ToolRegistry
        do {
            registry = try builder.build()
        } catch {
            throw fail("\(error)")
        }
        let body = try readInput()
        var pipeline = ToolCallPipeline(format: format == .auto ? nil : WireFormat(rawValue: format.rawValue))
        let executor = ToolExecutor(registry: registry)
        let outcomes = await executor.execute(context: ToolContext(customerID: customer)) {
            (submit) async throws(Never) -> FinishReason? in
            var actions: [ToolCallAssembler.Action] = []
            func forward() {
                for case .callClosed(let call) in actions where call.choiceIndex == 0 { submit(call) }
                actions.removeAll(keepingCapacity: true)
            }
            // Chunked as a live body would be, so eager calls start before the last byte.
            for start in stride(from: 0, to: body.count, by: 16 * 1024) {
                let chunk = body[start..<min(start + 16 * 1024, body.count)]
                do {
                    actions += try pipeline.feed(chunk)
                } catch {
                    // The pipeline records the bound in the response; calls still open end truncated.
                    writeStandardError("toolrt run: \(error)\n")
                    break
                }
                forward()
            }
            let response = pipeline.finish(into: &actions)
            forward()
            if response.error != nil { return FinishReason(raw: "error", category: .error) }
            return response.choices.first { $0.index == 0 }?.finishReason
        }
        if let problem = pipeline.inputProblem { throw fail(problem) }
        let response = pipeline.response
        let text = response.choices.first { $0.index == 0 }?.content ?? ""
        let messages = FollowUpMessages.messages(
            format: pipeline.format ?? .openAIChat,
            text: text,
            outcomes: outcomes
        )
        let report: JSONValue = [
            "messages": .array(messages),
            "outcomes": .array(
                outcomes.map { outcome in
                    [
                        "id": .string(outcome.call.id), "name": .string(outcome.call.name),
                        "status": .string(outcome.status), "duration_ms": .number(millisecondsNumber(outcome.duration)),
                    ]
                }
            ),
        ]
        print(report.jsonText)
    }

    private func readInput() throws -> [UInt8] {
        let descriptor: Int32
        if let file {
            descriptor = open(file, O_RDONLY)
            guard descriptor >= 0 else { throw fail("cannot open \(file): \(String(cString: strerror(errno)))") }
        } else {
            descriptor = 0
        }
        defer { if descriptor != 0 { close(descriptor) } }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw fail("cannot read \(file ?? "standard input"): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return bytes }
            bytes += buffer[0..<count]
        }
    }

    private func fail(_ message: String) -> ExitCode {
        writeStandardError("toolrt run: \(message)\n")
        return ExitCode(2)
    }
}

/// Milliseconds with microsecond precision as an exact JSON number (`12.345`), from integers only.
private func millisecondsNumber(_ duration: Duration) -> JSONNumber {
    let (seconds, attoseconds) = duration.components
    let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    let fraction = String(micros % 1000)
    let lexeme = "\(micros / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    return JSONNumber(lexeme: lexeme) ?? JSONNumber(micros / 1000)
}
