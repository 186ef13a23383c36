import ArgumentParser
import Foundation
import ToolRuntime

/// `toolrt validate`: JSON Lines instances against a schema, or the official test suite.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate JSON instances (one per line) against a JSON Schema, or run the JSON-Schema-Test-Suite.",
        discussion: """
            Prints one line per instance: {"valid":true} or {"valid":false,"errors":[{"path":…,"keyword":…,"message":…}]}.
            Exit status: 0 all valid, 1 some instance invalid, 2 the schema does not compile or cannot be read.
            With --suite DIR (a draft folder such as tests/draft2020-12), prints pass/fail per file and totals,
            and exits 1 when a required (non-optional) test fails.
            """
    )

    @Option(name: .long, help: "The schema file (JSON).")
    var schema: String?

    @Flag(name: .long, help: "Treat `format` as an assertion (date-time, email, uuid, ipv4, …).")
    var formatAssertion = false

    @Option(name: .long, help: "Run the JSON-Schema-Test-Suite draft folder DIR instead.")
    var suite: String?

    @Flag(name: .long, help: "With --suite: list every failing test.")
    var verbose = false

    @Argument(help: "JSON Lines file of instances (default: standard input).")
    var file: String?

    func run() throws {
        if let suite { return try runSuite(suite) }
        guard let schemaPath = schema else {
            FileHandle.standardError.write(Data("toolrt validate: --schema SCHEMA.json is required\n".utf8))
            throw ExitCode(2)
        }
        let compiled: JSONSchema
        do {
            guard let data = readFile(schemaPath) else {
                FileHandle.standardError.write(Data("toolrt validate: cannot read schema file \(schemaPath)\n".utf8))
                throw ExitCode(2)
            }
            let value: JSONValue
            do {
                value = try JSONParser.parse([UInt8](data))
            } catch {
                throw SchemaCompileError(schemaPath: "", message: "the schema file is not valid JSON: \(error.description)")
            }
            compiled = try JSONSchema(compiling: value, options: .init(formatAssertion: formatAssertion))
        } catch let error as SchemaCompileError {
            FileHandle.standardError.write(Data("toolrt validate: \(schemaPath): \(error.description)\n".utf8))
            throw ExitCode(2)
        }

        let input: Data
        if let file {
            guard let data = readFile(file) else {
                FileHandle.standardError.write(Data("toolrt validate: cannot read \(file)\n".utf8))
                throw ExitCode(2)
            }
            input = data
        } else {
            input = FileHandle.standardInput.readDataToEndOfFile()
        }
        var allValid = true
        var output = ""
        for line in [UInt8](input).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            var bytes = Array(line)
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let errors: [JSONValue]
            do {
                let instance = try JSONParser.parse(bytes)
                errors = compiled.validate(instance).map(\.jsonValue)
            } catch {
                errors = [["path": "", "keyword": "json", "message": .string(error.description)]]
            }
            let result: JSONValue = errors.isEmpty ? ["valid": true] : ["valid": false, "errors": .array(errors)]
            if !errors.isEmpty { allValid = false }
            result.write(to: &output)
            output.append("\n")
            if output.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(output.utf8))
                output = ""
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
        if !allValid { throw ExitCode(1) }
    }

    private func runSuite(_ directory: String) throws {
        let runner = try SchemaTestSuite(directory: directory)
        var totals: [String: (passed: Int, total: Int)] = [:]
        for file in runner.files {
            let report = try runner.run(file: file)
            let bucket = report.isOptionalFormat ? "optional/format" : report.isOptional ? "optional" : "required"
            totals[bucket, default: (0, 0)].passed += report.passed
            totals[bucket, default: (0, 0)].total += report.outcomes.count
            print("\(report.failed == 0 ? "PASS" : "FAIL") \(file): \(report.passed)/\(report.outcomes.count)")
            if verbose {
                for outcome in report.outcomes where !outcome.passed {
                    let got = outcome.compileError ?? "valid=\(outcome.valid.map(String.init) ?? "-")"
                    print("    - \(outcome.test.group) / \(outcome.test.description): expected valid=\(outcome.test.valid), got \(got)")
                }
            }
        }
        for bucket in ["required", "optional", "optional/format"] {
            let (passed, total) = totals[bucket] ?? (0, 0)
            print("TOTAL \(bucket): \(passed)/\(total) passed")
        }
        if let required = totals["required"], required.passed < required.total { throw ExitCode(1) }
    }
}

/// The bytes of `path`, also when it is a pipe or a process substitution (`<(…)`), which
/// `FileManager.contents(atPath:)` cannot read; `nil` when it cannot be opened.
private func readFile(_ path: String) -> Data? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    return try? handle.readToEnd() ?? Data()
}
