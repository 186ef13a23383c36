internal import ToolRuntime

/// One function definition read from a tools file, checked and ready to translate.
struct ToolDefinition: Sendable {
    var name: String
    var typeName: String
    var description: String
    var parameters: JSONObject
    /// Where the definition is (`/0`, or `/0/function` for an OpenAI tool).
    var path: JSONPointer
    var parametersPath: JSONPointer
    var safetyCase: String
    var timeoutMilliseconds: Int64?
}

/// Reads a `*.tools.json` file into ``ToolDefinition``s, reporting every problem (not just the
/// first) as a located ``Diagnostic``.
struct ToolFileReader {
    let fileName: String
    let source: [UInt8]
    private(set) var diagnostics: [Diagnostic] = []
    private let locator: JSONSourceLocator

    init(fileName: String, source: [UInt8]) {
        self.fileName = fileName
        self.source = source
        self.locator = JSONSourceLocator(bytes: source)
    }

    private static let knownMembers: Set<String> = [
        "name", "description", "parameters", "strict", "x-safety", "x-timeout-ms",
    ]

    mutating func read() -> [ToolDefinition] {
        let document: JSONValue
        do {
            document = try JSONParser.parse(source)
        } catch {
            let location = locator.location(ofOffset: error.offset)
            diagnostics.append(
                Diagnostic(
                    severity: .error,
                    file: fileName,
                    line: location.line,
                    column: location.column,
                    path: JSONPointer(),
                    message: "not valid JSON: \(error.message)"
                )
            )
            return []
        }
        guard case .array(let elements) = document else {
            error(
                at: JSONPointer(),
                "a tools file must be a JSON array of function definitions, found \(article(document.typeName))"
            )
            return []
        }
        if elements.isEmpty { warning(at: JSONPointer(), "the file defines no tools") }
        var tools: [ToolDefinition] = []
        var seenNames: [String: JSONPointer] = [:]
        var seenTypeNames: [String: String] = [:]
        for (index, element) in elements.enumerated() {
            guard let tool = definition(element, path: JSONPointer() / index) else { continue }
            if let first = seenNames[tool.name] {
                error(at: tool.path / "name", "tool name \"\(tool.name)\" is already defined at \(first)")
                continue
            }
            if let other = seenTypeNames[tool.typeName] {
                error(
                    at: tool.path / "name",
                    "tool names \"\(other)\" and \"\(tool.name)\" both become the Swift type \(tool.typeName); rename one"
                )
                continue
            }
            seenNames[tool.name] = tool.path
            seenTypeNames[tool.typeName] = tool.name
            tools.append(tool)
        }
        return tools
    }

    private mutating func definition(_ element: JSONValue, path elementPath: JSONPointer) -> ToolDefinition? {
        guard case .object(var object) = element else {
            error(at: elementPath, "a function definition must be an object, found \(article(element.typeName))")
            return nil
        }
        var path = elementPath
        // OpenAI's `tools` format wraps the definition; its extension members may sit on either level.
        if object["type"] != nil || object["function"] != nil {
            guard object["type"]?.string == "function" else {
                error(at: path / "type", "only tools of \"type\": \"function\" are supported")
                return nil
            }
            guard case .object(let function)? = object["function"] else {
                error(at: path / "function", "an OpenAI tool needs a \"function\" object")
                return nil
            }
            path = path / "function"
            for key in ["x-safety", "x-timeout-ms"] where function[key] == nil && object[key] != nil {
                error(at: elementPath / key, "put \"\(key)\" inside \"function\", beside \"name\"")
            }
            object = function
        }
        for key in object.keys where !Self.knownMembers.contains(key) {
            warning(at: path / key, "unknown member \"\(key)\" is ignored")
        }

        guard case .string(let name)? = object["name"] else {
            error(at: object["name"] == nil ? path : path / "name", "a function definition needs a string \"name\"")
            return nil
        }
        guard isValidToolName(name) else {
            error(at: path / "name", "tool name \"\(name)\" must be 1 to 64 characters of a-z, A-Z, 0-9, _ and -")
            return nil
        }
        var description = ""
        if let value = object["description"] {
            guard case .string(let text) = value else {
                error(at: path / "description", "\"description\" must be a string")
                return nil
            }
            description = text
        }

        let parametersPath = path / "parameters"
        var parameters: JSONObject = ["type": "object", "properties": .object(JSONObject())]
        if let value = object["parameters"] {
            guard case .object(let schema) = value else {
                error(at: parametersPath, "\"parameters\" must be a JSON Schema object")
                return nil
            }
            guard compiles(schema, at: parametersPath) else { return nil }
            let type = schema["type"]
            guard type?.string == "object" || (type == nil && schema["properties"] != nil) else {
                error(at: type == nil ? parametersPath : parametersPath / "type", "\"parameters\" must have \"type\": \"object\"")
                return nil
            }
            if let properties = schema["properties"], properties.object == nil {
                error(at: parametersPath / "properties", "\"properties\" must be an object")
                return nil
            }
            parameters = schema
        }

        var safety = ToolSafety.sideEffecting
        if let value = object["x-safety"] {
            let allowed = ToolSafety.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            guard let text = value.string, let parsed = ToolSafety(rawValue: text) else {
                error(at: path / "x-safety", "\"x-safety\" must be one of \(allowed)")
                return nil
            }
            safety = parsed
        }
        var timeout: Int64?
        if let value = object["x-timeout-ms"] {
            guard let milliseconds = value.number?.int64Value, milliseconds > 0 else {
                error(at: path / "x-timeout-ms", "\"x-timeout-ms\" must be a positive integer number of milliseconds")
                return nil
            }
            timeout = milliseconds
        }
        return ToolDefinition(
            name: name,
            typeName: SwiftNaming.upperCamel(name) + "Arguments",
            description: description,
            parameters: parameters,
            path: path,
            parametersPath: parametersPath,
            safetyCase: Self.caseName(safety),
            timeoutMilliseconds: timeout
        )
    }

    /// Whether the runtime's schema compiler accepts `schema`; reports its error where it points.
    private mutating func compiles(_ schema: JSONObject, at path: JSONPointer) -> Bool {
        do {
            _ = try JSONSchema(compiling: .object(schema))
            return true
        } catch {
            self.error(at: path + JSONPointer(parsing: error.schemaPath), "invalid schema: \(error.message)")
            return false
        }
    }

    /// OpenAI's rule for function names, which the other providers accept too.
    private func isValidToolName(_ name: String) -> Bool {
        guard (1...64).contains(name.utf8.count) else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    private static func caseName(_ safety: ToolSafety) -> String {
        switch safety {
        case .readOnly: "readOnly"
        case .idempotent: "idempotent"
        case .sideEffecting: "sideEffecting"
        }
    }

    private func article(_ typeName: String) -> String {
        (typeName.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + typeName
    }

    private mutating func error(at path: JSONPointer, _ message: String) {
        report(.error, at: path, message)
    }

    private mutating func warning(at path: JSONPointer, _ message: String) {
        report(.warning, at: path, message)
    }

    private mutating func report(_ severity: Diagnostic.Severity, at path: JSONPointer, _ message: String) {
        let location = locator.location(of: path)
        diagnostics.append(
            Diagnostic(
                severity: severity,
                file: fileName,
                line: location.line,
                column: location.column,
                path: path,
                message: message
            )
        )
    }
}
