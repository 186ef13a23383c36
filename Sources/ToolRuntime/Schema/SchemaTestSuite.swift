#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Runs the official JSON-Schema-Test-Suite (one draft folder) against ``JSONSchema``.
///
/// Shared by the conformance test and `toolrt validate --suite`, so both report the same numbers.
/// `remotes/` is served from disk: `http://localhost:1234/PATH` is the file `remotes/PATH`.
package struct SchemaTestSuite: Sendable {
    /// One test of a file: a schema and an instance with the expected verdict.
    package struct Case: Sendable {
        package var group: String
        package var description: String
        package var schema: JSONValue
        package var data: JSONValue
        package var valid: Bool
        /// The file is under `optional/format/` or is `format-assertion`: validate with format assertion.
        package var formatAssertion: Bool
    }

    package struct Outcome: Sendable {
        package var test: Case
        /// `nil` when the schema did not compile.
        package var valid: Bool?
        package var compileError: String?
        package var passed: Bool { valid == test.valid }
    }

    package struct FileReport: Sendable {
        package var name: String
        package var outcomes: [Outcome]
        package var passed: Int { outcomes.count(where: \.passed) }
        package var failed: Int { outcomes.count - passed }
        package var isOptional: Bool { name.hasPrefix("optional/") }
        package var isOptionalFormat: Bool { name.hasPrefix("optional/format/") }
    }

    package let directory: String
    package let remotes: [String: JSONValue]

    /// `directory` is a draft folder such as `…/tests/draft2020-12`; remotes are looked up at
    /// `../../remotes` from it.
    package init(directory: String) throws {
        self.directory = directory
        var documents: [String: JSONValue] = [:]
        let remotesRoot = URL(fileURLWithPath: directory).appendingPathComponent("../../remotes").standardized.path
        for relative in Self.jsonFiles(under: remotesRoot) {
            if let value = try? JSONParser.parse(Self.read(remotesRoot + "/" + relative)) {
                documents["http://localhost:1234/" + relative] = value
            }
        }
        remotes = documents
    }

    /// Relative paths of every `.json` file under the directory, sorted (`optional/…` included).
    package var files: [String] { Self.jsonFiles(under: directory) }

    package func cases(in file: String) throws -> [Case] {
        let value = try JSONParser.parse(Self.read(directory + "/" + file))
        let assertFormat = file.hasPrefix("optional/format/") || file == "optional/format-assertion.json"
        var result: [Case] = []
        for group in value.array ?? [] {
            guard let schema = group["schema"] else { continue }
            for test in group["tests"]?.array ?? [] {
                guard let data = test["data"], let valid = test["valid"]?.bool else { continue }
                result.append(
                    Case(
                        group: group["description"]?.string ?? "",
                        description: test["description"]?.string ?? "",
                        schema: schema,
                        data: data,
                        valid: valid,
                        formatAssertion: assertFormat && !file.hasSuffix("format-assertion.json")
                    )
                )
            }
        }
        return result
    }

    /// Compiles each group's schema once and validates its instances.
    package func run(file: String) throws -> FileReport {
        var outcomes: [Outcome] = []
        var compiled: (JSONValue, Bool, Result<JSONSchema, SchemaCompileError>)?
        for test in try cases(in: file) {
            if compiled == nil || compiled!.0 != test.schema || compiled!.1 != test.formatAssertion {
                let options = JSONSchema.Options(formatAssertion: test.formatAssertion, documents: remotes)
                compiled = (
                    test.schema, test.formatAssertion,
                    Result { () throws(SchemaCompileError) in try JSONSchema(compiling: test.schema, options: options) }
                )
            }
            switch compiled!.2 {
            case .success(let schema):
                outcomes.append(Outcome(test: test, valid: schema.validate(test.data).isEmpty))
            case .failure(let error):
                outcomes.append(Outcome(test: test, valid: nil, compileError: error.description))
            }
        }
        return FileReport(name: file, outcomes: outcomes)
    }

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SuiteError(message: "cannot read \(path)")
        }
        return [UInt8](data)
    }

    static func jsonFiles(under root: String) -> [String] {
        let paths = (try? FileManager.default.subpathsOfDirectory(atPath: root)) ?? []
        return paths.filter { $0.hasSuffix(".json") }.sorted()
    }

    struct SuiteError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
