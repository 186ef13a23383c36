import Foundation
import Testing
import ToolRuntime

/// The built `toolrt` next to the test bundle (built by `swift build --build-tests`), or `nil`.
private let toolrtBinary: URL? = {
    var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
    for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent()) }
    for directory in candidates {
        let binary = directory.appendingPathComponent("toolrt")
        if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
    }
    return nil
}()

private func runToolrt(_ arguments: [String], stdin: [UInt8]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = toolrtBinary
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    let input = Pipe()
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
    try input.fileHandleForWriting.close()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}

@Suite(.enabled(if: toolrtBinary != nil, "toolrt is not built next to the tests (run swift build --build-tests): skipped"))
struct AssembleCommandTests {
    @Test func aMissingFileExitsWithCodeTwoAndOneLine() throws {
        let result = try runToolrt(["assemble", "/nonexistent/stream.sse"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("cannot open"))
    }

    @Test func aBodyThatIsNotSSEExitsWithCodeTwo() throws {
        let result = try runToolrt(["assemble"], stdin: Array("<html>502 Bad Gateway</html>\n".utf8))
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    /// A schema given as a pipe (`--schema <(…)`, `/dev/stdin`) is read like a file.
    @Test func validateReadsASchemaFromAPipe() throws {
        let instances = FileManager.default.temporaryDirectory.appendingPathComponent("instances-\(UUID().uuidString).jsonl")
        try Data("{\"tier\":\"platinum\"}\n{\"tier\":\"gold\"}\n".utf8).write(to: instances)
        defer { try? FileManager.default.removeItem(at: instances) }
        let schema = #"{"properties":{"tier":{"enum":["gold","silver"]}}}"#
        let result = try runToolrt(["validate", "--schema", "/dev/stdin", instances.path], stdin: Array(schema.utf8))
        #expect(result.status == 1, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains(#""keyword":"enum""#) == true)
        #expect(lines.last == #"{"valid":true}"#)
    }

    @Test func assemblesStandardInputIntoOneJSONDocument() throws {
        let body = """
            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\\"a\\":1}"}}]},"finish_reason":"tool_calls"}]}

            data: [DONE]


            """
        let result = try runToolrt(["assemble", "--format", "openai-chat"], stdin: Array(body.utf8))
        #expect(result.status == 0)
        let document = try JSONParser.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(document["format"] == "openai-chat")
        let call = document["choices"]?[0]?["tool_calls"]?[0]
        #expect(call?["id"] == "call_1")
        #expect(call?["arguments"] == #"{"a":1}"#)
        #expect(call?["status"] == "complete")
        #expect(document["choices"]?[0]?["finish_reason"] == "tool_calls")
    }
}
