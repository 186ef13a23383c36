import ArgumentParser

/// Benchmarks of ToolRuntime. Each subcommand prints figures; none is a unit test.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toolrt-bench",
        abstract: "ToolRuntime benchmarks (figures, never pass/fail).",
        // One subcommand per line; each lives in its own file.
        subcommands: [
            CatalogBench.self,
            ExecBench.self,
            PartialBench.self,
            StreamBench.self,
            ValidateBench.self,
        ]
    )
}
