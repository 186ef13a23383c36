import ArgumentParser

@main
struct ToolRT: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toolrt",
        abstract: "ToolRuntime utilities: assemble streamed tool calls, validate arguments, replay streams.",
        subcommands: []
    )
}
