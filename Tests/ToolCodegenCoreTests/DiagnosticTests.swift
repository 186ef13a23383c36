import Testing
import ToolCodegenCore
import ToolRuntime

/// Bad input fails with a located, specific error and no output; it never traps.
struct DiagnosticTests {
    static func diagnose(_ text: String) -> [String] {
        let result = ToolCodegen.generate(source: Array(text.utf8), fileName: "bad.tools.json")
        if !result.succeeded { #expect(result.files.isEmpty) }
        return result.diagnostics.map(\.description)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var input: String
        var expected: [String]
        var testDescription: String { expected.first ?? "no diagnostics" }
    }

    static let cases: [Case] = [
        Case(
            input: #"{"name": "x"}"#,
            expected: [
                "bad.tools.json:1:1: error: a tools file must be a JSON array of function definitions, found an object at the top level"
            ]
        ),
        Case(
            input: "[\n  42\n]",
            expected: ["bad.tools.json:2:3: error: a function definition must be an object, found a number at JSON path /0"]
        ),
        Case(
            input: "[\n  {\"description\": \"no name\"}\n]",
            expected: ["bad.tools.json:2:3: error: a function definition needs a string \"name\" at JSON path /0"]
        ),
        Case(
            input: "[{\"name\": \"place order\"}]",
            expected: [
                "bad.tools.json:1:11: error: tool name \"place order\" must be 1 to 64 characters of a-z, A-Z, 0-9, _ and - at JSON path /0/name"
            ]
        ),
        Case(
            input: "[\n{\"name\": \"ping\"},\n{\"name\": \"ping\"}\n]",
            expected: ["bad.tools.json:3:10: error: tool name \"ping\" is already defined at /0 at JSON path /1/name"]
        ),
        Case(
            input: "[\n{\"name\": \"get_x\"},\n{\"name\": \"get-x\"}\n]",
            expected: [
                "bad.tools.json:3:10: error: tool names \"get_x\" and \"get-x\" both become the Swift type GetXArguments; rename one at JSON path /1/name"
            ]
        ),
        Case(
            input: "[{\"name\": \"a\", \"description\": 7}]",
            expected: ["bad.tools.json:1:31: error: \"description\" must be a string at JSON path /0/description"]
        ),
        Case(
            input: "[{\"name\": \"a\", \"parameters\": []}]",
            expected: ["bad.tools.json:1:30: error: \"parameters\" must be a JSON Schema object at JSON path /0/parameters"]
        ),
        Case(
            input: "[{\"name\": \"a\",\n  \"parameters\": {\"type\": \"array\"}}]",
            expected: ["bad.tools.json:2:26: error: \"parameters\" must have \"type\": \"object\" at JSON path /0/parameters/type"]
        ),
        Case(
            input: "[{\"name\": \"a\", \"x-safety\": \"safe\"}]",
            expected: [
                "bad.tools.json:1:28: error: \"x-safety\" must be one of \"read_only\", \"idempotent\", \"side_effecting\" at JSON path /0/x-safety"
            ]
        ),
        Case(
            input: "[{\"name\": \"a\", \"x-timeout-ms\": 1.5}]",
            expected: [
                "bad.tools.json:1:32: error: \"x-timeout-ms\" must be a positive integer number of milliseconds at JSON path /0/x-timeout-ms"
            ]
        ),
        Case(
            input: "[{\"type\": \"retrieval\"}]",
            expected: ["bad.tools.json:1:11: error: only tools of \"type\": \"function\" are supported at JSON path /0/type"]
        ),
        Case(
            input: "[{\"type\": \"function\", \"function\": \"f\"}]",
            expected: ["bad.tools.json:1:35: error: an OpenAI tool needs a \"function\" object at JSON path /0/function"]
        ),
        Case(
            input: "[{\"type\": \"function\", \"x-safety\": \"read_only\", \"function\": {\"name\": \"f\"}}]",
            expected: [
                "bad.tools.json:1:35: error: put \"x-safety\" inside \"function\", beside \"name\" at JSON path /0/x-safety"
            ]
        ),
        Case(
            input: "[{\"name\": \"a\", \"x-safty\": \"read_only\"}]",
            expected: ["bad.tools.json:1:27: warning: unknown member \"x-safty\" is ignored at JSON path /0/x-safty"]
        ),
        Case(input: "[]", expected: ["bad.tools.json:1:1: warning: the file defines no tools at the top level"]),
    ]

    @Test(arguments: cases)
    func reportsLocatedDiagnostic(_ testCase: Case) {
        #expect(Self.diagnose(testCase.input) == testCase.expected)
    }

    @Test func reportsEveryBadDefinitionNotJustTheFirst() {
        let diagnostics = Self.diagnose("[{\"name\": 1}, {\"name\": \"ok\"}, {\"name\": \"b\", \"x-timeout-ms\": 0}]")
        #expect(diagnostics.count == 2)
        #expect(diagnostics.allSatisfy { $0.contains(": error: ") })
    }

    @Test func invalidJSONIsLocatedByLineAndColumn() {
        let diagnostics = Self.diagnose("[\n  {\"name\": \"a\",}\n]")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.hasPrefix("bad.tools.json:2:16: error: not valid JSON: ") == true, "\(diagnostics)")
    }

    @Test(arguments: ["", "[", "\u{FEFF}[]", "[{\"name\": \"a\", \"parameters\": {\"type\": \"object\", \"properties\": 3}}]"])
    func malformedInputIsAnErrorNotATrap(_ input: String) {
        let diagnostics = Self.diagnose(input)
        #expect(diagnostics.contains { $0.contains(": error: ") }, "\(diagnostics)")
    }

    @Test func deepNestingIsAnErrorNotATrap() {
        let deep = "[{\"name\": \"a\", \"parameters\": " + String(repeating: "[", count: 100_000) + "]}]"
        #expect(Self.diagnose(deep).first?.contains(": error: not valid JSON") == true)
    }

    /// Whether the runtime's schema compiler rejects anything yet (it began as a placeholder).
    static let compilerRejectsBadSchemas = (try? JSONSchema(compiling: ["type": 5])) == nil

    @Test(.enabled(if: compilerRejectsBadSchemas, "JSONSchema(compiling:) is still the placeholder that accepts everything"))
    func schemaThatDoesNotCompileIsLocatedAtTheKeyword() {
        let input = """
            [
              {
                "name": "search",
                "parameters": {
                  "type": "object",
                  "properties": {
                    "limit": {"type": "integer", "minimum": "one"}
                  }
                }
              }
            ]
            """
        let diagnostics = Self.diagnose(input)
        #expect(diagnostics.count == 1)
        let diagnostic = diagnostics.first ?? ""
        #expect(diagnostic.hasPrefix("bad.tools.json:7:"), "\(diagnostic)")
        #expect(diagnostic.contains(": error: invalid schema: "), "\(diagnostic)")
        #expect(diagnostic.hasSuffix("at JSON path /0/parameters/properties/limit/minimum"), "\(diagnostic)")
    }
}
