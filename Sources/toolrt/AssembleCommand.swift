import ArgumentParser
import ToolRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `toolrt assemble`: a streamed response body in, the assembled response out as one JSON document.
struct AssembleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assemble",
        abstract: "Assemble the tool calls of a streamed (SSE) model response.",
        discussion: """
            Reads the SSE body from FILE or standard input as it arrives and prints one JSON document:
            {"format","choices":[{"index","content","reasoning","finish_reason","tool_calls":[{"index","id",
            "type","name","arguments","status"}]}],"usage","error"}. Exit code 2: the file cannot be read or
            the body is not an event stream of a known format.
            """
    )

    enum FormatOption: String, ExpressibleByArgument, CaseIterable {
        case openAIChat = "openai-chat"
        case anthropicMessages = "anthropic-messages"
        case openAIResponses = "openai-responses"
        case auto
    }

    @Option(help: "The wire format: openai-chat, anthropic-messages, openai-responses or auto.")
    var format: FormatOption = .auto

    @Argument(help: "The SSE body (default: standard input).")
    var file: String?

    func run() throws {
        let wireFormat = format == .auto ? nil : WireFormat(rawValue: format.rawValue)
        let descriptor: Int32
        if let file {
            descriptor = open(file, O_RDONLY)
            guard descriptor >= 0 else {
                throw fail("cannot open \(file): \(String(cString: strerror(errno)))")
            }
        } else {
            descriptor = 0
        }
        defer { if descriptor != 0 { close(descriptor) } }

        var pipeline = ToolCallPipeline(format: wireFormat)
        var actions: [ToolCallAssembler.Action] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw fail("cannot read \(file ?? "standard input"): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            do {
                try buffer.withUnsafeBytes { bytes in
                    Result { () throws(SSEError) in
                        try pipeline.feed(UnsafeRawBufferPointer(rebasing: bytes[0..<count]), into: &actions)
                    }
                }.get()
            } catch {
                throw fail("the event stream exceeds a bound: \(error)")
            }
            // Actions matter to embedders; the command prints the whole response at the end.
            actions.removeAll(keepingCapacity: true)
        }
        let response = pipeline.finish()
        if let problem = pipeline.inputProblem {
            throw fail(problem)
        }
        print(response.jsonValue.jsonText)
    }

    /// Prints a one-line error and returns exit code 2, to be thrown.
    private func fail(_ message: String) -> ExitCode {
        writeStandardError("toolrt assemble: \(message)\n")
        return ExitCode(2)
    }
}

func writeStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}
