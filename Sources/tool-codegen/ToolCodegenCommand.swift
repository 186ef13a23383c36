import ArgumentParser
import Foundation
import ToolCodegenCore

/// `tool-codegen generate products.tools.json [--output products+Arguments.swift]`
///
/// Thin on purpose: reads the file, calls ``ToolCodegen/generate(source:fileName:)``, prints the
/// diagnostics as `path:line:column: error: …` (which SwiftPM and editors pin to the line), and
/// writes the output only when its bytes change, so an unchanged schema does not recompile.
@main
struct ToolCodegenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tool-codegen",
        abstract: "Generates typed Swift tool arguments from *.tools.json JSON Schemas.",
        subcommands: [Generate.self]
    )
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generates the Swift for one tools file.",
        discussion: """
            The input is a JSON array of function definitions ({"name", "description", "parameters",
            "x-safety"?, "x-timeout-ms"?}) or an OpenAI "tools" array. Without --output the code is
            printed to standard output.
            """
    )

    @Argument(help: "The *.tools.json file.")
    var input: String

    @Option(name: .shortAndLong, help: "Where to write the Swift file (written only when it changes).")
    var output: String?

    func run() throws {
        let inputURL = URL(fileURLWithPath: input)
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: inputURL))
        } catch {
            throw ValidationError("cannot read \(input): \(error.localizedDescription)")
        }
        let result = ToolCodegen.generate(source: bytes, fileName: inputURL.lastPathComponent)
        for var diagnostic in result.diagnostics {
            diagnostic.file = input
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        }
        guard result.succeeded, let file = result.files.first else { throw ExitCode.failure }

        let contents = Data(file.contents.utf8)
        guard let output else {
            FileHandle.standardOutput.write(contents)
            return
        }
        let outputURL = URL(fileURLWithPath: output)
        if let existing = try? Data(contentsOf: outputURL), existing == contents { return }
        try FileManager.default.createDirectory(
            at: outputURL.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        try contents.write(to: outputURL, options: .atomic)
    }
}
