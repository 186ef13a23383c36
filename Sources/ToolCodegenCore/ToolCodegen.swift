internal import ToolRuntime

/// The schema-to-Swift generator: a pure function from a `*.tools.json` file to Swift source.
///
/// No file system, no process state: the `tool-codegen` CLI and the `ToolSchemaPlugin` build-tool
/// plugin wrap it, and tests call it directly.
///
/// ```swift
/// let result = ToolCodegen.generate(source: Array(text.utf8), fileName: "products.tools.json")
/// for diagnostic in result.diagnostics { print(diagnostic) }  // file:line:column: error: …
/// if result.succeeded { try write(result.files[0].contents) }
/// ```
///
/// The input is a JSON array of function definitions, each either
/// `{"name", "description", "parameters", "x-safety"?, "x-timeout-ms"?}` or an OpenAI tool
/// `{"type": "function", "function": {…the same members…}}`. Each becomes a
/// `<UpperCamelName>Arguments` struct conforming to `ToolArguments`.
public enum ToolCodegen {
    public struct Result: Sendable, Hashable {
        /// The generated files; empty when there are errors.
        public var files: [GeneratedFile]
        /// Errors and warnings, in file order.
        public var diagnostics: [Diagnostic]

        /// Whether no diagnostic is an error.
        public var succeeded: Bool { !diagnostics.contains { $0.severity == .error } }
    }

    /// The generated file's name for a tools file: `products.tools.json` → `products+Arguments.swift`.
    public static func outputFileName(forInput fileName: String) -> String {
        var stem = fileName
        for suffix in [".tools.json", ".json"] where stem.hasSuffix(suffix) {
            stem = String(stem.dropLast(suffix.count))
            break
        }
        return stem + "+Arguments.swift"
    }

    /// Generates the Swift source for one tools file.
    ///
    /// - Parameters:
    ///   - source: The file's bytes.
    ///   - fileName: The name to cite in diagnostics and in the generated code (no directories, so
    ///     output does not depend on where the package is checked out).
    /// - Returns: The generated file, or diagnostics saying what to fix. Never traps on bad input.
    public static func generate(source: [UInt8], fileName: String) -> Result {
        var reader = ToolFileReader(fileName: fileName, source: source)
        let tools = reader.read()
        guard !reader.diagnostics.contains(where: { $0.severity == .error }) else {
            return Result(files: [], diagnostics: reader.diagnostics)
        }
        let declarations = tools.map { tool in
            let translator = SchemaTranslator(
                fileName: fileName,
                definitions: Definitions(root: tool.parameters, rootPath: tool.parametersPath, ownerName: tool.typeName)
            )
            var declaration = translator.structure(
                named: tool.typeName,
                schema: tool.parameters,
                path: tool.parametersPath
            )
            var documentation = translator.documentation(of: JSONObject(), path: tool.path)
            documentation.lines = SchemaTranslator.lines(tool.description)
            documentation.notes = declaration.documentation.notes
            declaration.documentation = documentation
            declaration.tool = ToolInfo(
                name: tool.name,
                description: tool.description,
                parametersSchemaJSON: JSONValue.object(tool.parameters).jsonText,
                safetyCase: tool.safetyCase,
                timeoutMilliseconds: tool.timeoutMilliseconds
            )
            return declaration
        }
        let contents = SwiftRenderer.file(fileName: fileName, declarations: declarations)
        return Result(
            files: [GeneratedFile(name: outputFileName(forInput: fileName), contents: contents)],
            diagnostics: reader.diagnostics
        )
    }
}
