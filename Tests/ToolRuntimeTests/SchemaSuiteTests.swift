import Foundation
import Testing

@testable import ToolRuntime

/// Where `../shared` is: `TOOLRUNTIME_SHARED`, else next to the package root.
enum SchemaSuiteLocation {
    static var shared: String {
        if let override = ProcessInfo.processInfo.environment["TOOLRUNTIME_SHARED"] { return override }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared").standardized.path
    }

    static var draft2020: String { shared + "/json-schema-test-suite/tests/draft2020-12" }

    static var isPresent: Bool { FileManager.default.fileExists(atPath: draft2020 + "/type.json") }

    static let suite: SchemaTestSuite? = isPresent ? try? SchemaTestSuite(directory: draft2020) : nil

    /// Files of the suite (empty when it is absent; the tests are then disabled with a message).
    static var files: [String] { suite?.files ?? [] }

    /// Required tests that are known to fail, with the reason (also listed in the README).
    static let knownFailures: Set<String> = []
}

@Suite(
    "JSON-Schema-Test-Suite draft 2020-12",
    .enabled(if: SchemaSuiteLocation.isPresent, "../shared/json-schema-test-suite is absent (set TOOLRUNTIME_SHARED)")
)
struct SchemaSuiteTests {
    @Test("required file passes", arguments: SchemaSuiteLocation.files.filter { !$0.hasPrefix("optional/") })
    func requiredFile(_ file: String) throws {
        let suite = try #require(SchemaSuiteLocation.suite)
        let report = try suite.run(file: file)
        #expect(!report.outcomes.isEmpty)
        for outcome in report.outcomes where !outcome.passed {
            let name = "\(file): \(outcome.test.group) / \(outcome.test.description)"
            if SchemaSuiteLocation.knownFailures.contains(name) { continue }
            Issue.record(
                "\(name): expected valid=\(outcome.test.valid), got \(outcome.compileError ?? String(describing: outcome.valid))"
            )
        }
    }

    /// Optional files are reported, not required; this guards against regressions below the
    /// level reached when they were last looked at.
    @Test("optional files stay at their pass level")
    func optionalFiles() throws {
        let suite = try #require(SchemaSuiteLocation.suite)
        var passed = 0
        var total = 0
        for file in SchemaSuiteLocation.files where file.hasPrefix("optional/") {
            let report = try suite.run(file: file)
            passed += report.passed
            total += report.outcomes.count
        }
        #expect(total > 0)
        #expect(Double(passed) / Double(total) > 0.9, "optional: \(passed)/\(total)")
    }

    /// The streaming verdict equals the whole-value verdict on every case, fed byte by byte; an
    /// early violation is only ever reported for an instance that is invalid.
    @Test("streaming verdict equals whole-value verdict, byte by byte", arguments: SchemaSuiteLocation.files)
    func streamingMatchesWhole(_ file: String) async throws {
        let suite = try #require(SchemaSuiteLocation.suite)
        for test in try suite.cases(in: file) {
            await Task.yield()  // CPU-heavy: let timing-sensitive tests running in parallel get a thread
            let options = JSONSchema.Options(formatAssertion: test.formatAssertion, documents: suite.remotes)
            guard let schema = try? JSONSchema(compiling: test.schema, options: options) else { continue }
            let whole = schema.validate(test.data)
            var parser = IncrementalJSONParser()
            var stream = SchemaStreamValidator(schema: schema)
            var earlyAt: Int?
            let bytes = Array(test.data.jsonText.utf8)
            for (offset, byte) in bytes.enumerated() {
                try parser.feed([byte], events: &stream)
                if earlyAt == nil, stream.violation != nil { earlyAt = offset }
            }
            let value = try parser.finish(events: &stream)
            let final = stream.finish(value)
            let name = "\(file): \(test.group) / \(test.description)"
            #expect(final.isEmpty == whole.isEmpty, "\(name)")
            if let violation = stream.violation {
                #expect(!whole.isEmpty, "\(name): early violation \(violation) on a valid instance")
            }
        }
    }
}
