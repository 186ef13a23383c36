import ArgumentParser

@main
struct ToolRT: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toolrt",
        abstract: "ToolRuntime utilities: assemble streamed tool calls, validate arguments, replay streams.",
        // One subcommand per line; each lives in its own file.
        subcommands: [
            AssembleCommand.self,
            ValidateCommand.self,
            RunCommand.self,
        ]
    )
}
