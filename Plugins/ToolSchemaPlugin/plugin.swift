import Foundation
import PackagePlugin

/// Turns every `*.tools.json` in a target into typed Swift at build time.
///
/// One build command per schema file, each with exactly one declared output
/// (`<name>+Arguments.swift`), so SwiftPM reruns only what changed. The work is all in
/// `tool-codegen`, which a person can also run by hand to see the same code.
@main
struct ToolSchemaPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        guard let target = target as? SwiftSourceModuleTarget else {
            throw ToolSchemaPluginError.incompatibleTarget(name: target.name)
        }
        let tool = try context.tool(named: "tool-codegen")
        let outputDirectory = context.pluginWorkDirectoryURL.appending(component: "GeneratedSources")
        let schemas = target.sourceFiles
            .map(\.url)
            .filter { $0.lastPathComponent.hasSuffix(".tools.json") }
            .sorted { $0.path < $1.path }
        guard !schemas.isEmpty else { throw ToolSchemaPluginError.noSchemas(targetName: target.name) }
        return schemas.map { schema in
            let stem = String(schema.lastPathComponent.dropLast(".tools.json".count))
            let output = outputDirectory.appending(component: "\(stem)+Arguments.swift")
            return .buildCommand(
                displayName: "Generating tool arguments from \(schema.lastPathComponent)",
                executable: tool.url,
                arguments: ["generate", schema.path(percentEncoded: false), "--output", output.path(percentEncoded: false)],
                inputFiles: [schema],
                outputFiles: [output]
            )
        }
    }
}

enum ToolSchemaPluginError: Error, CustomStringConvertible {
    case incompatibleTarget(name: String)
    case noSchemas(targetName: String)

    var description: String {
        switch self {
        case .incompatibleTarget(let name):
            "ToolSchemaPlugin works on Swift source targets only; '\(name)' is not one."
        case .noSchemas(let targetName):
            "Target '\(targetName)' uses ToolSchemaPlugin but has no *.tools.json file; add one or remove the plugin."
        }
    }
}
