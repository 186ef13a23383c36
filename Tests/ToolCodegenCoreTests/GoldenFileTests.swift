import Foundation
import Testing
import ToolCodegenCore

/// The generator's output for each `Fixtures/*.tools.json`, compared byte for byte with the reviewed
/// `ReferenceSources/*+Arguments.swift`. Those reference files are also compiled into this test
/// target, so they are known to build, and `RoundTripTests` decode into them.
///
/// After an intended change to the output, regenerate and review the diff:
/// `TOOL_CODEGEN_UPDATE_REFERENCES=1 swift test --filter GoldenFileTests`.
struct GoldenFileTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    static let fixtures: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.appending(path: "Fixtures").path)) ?? []
        return names.filter { $0.hasSuffix(".tools.json") }.sorted()
    }()

    @Test func fixturesArePresent() {
        #expect(Self.fixtures.count >= 5, "expected the fixture files next to this test, found \(Self.fixtures)")
    }

    @Test(arguments: fixtures)
    func outputMatchesReference(fixture: String) throws {
        let input = try Data(contentsOf: Self.directory.appending(path: "Fixtures/\(fixture)"))
        let result = ToolCodegen.generate(source: Array(input), fileName: fixture)
        #expect(result.diagnostics.map(\.description) == [])
        let file = try #require(result.files.first)
        #expect(file.name == ToolCodegen.outputFileName(forInput: fixture))

        let referenceURL = Self.directory.appending(path: "ReferenceSources/\(file.name)")
        if ProcessInfo.processInfo.environment["TOOL_CODEGEN_UPDATE_REFERENCES"] == "1" {
            try Data(file.contents.utf8).write(to: referenceURL)
        }
        let reference = try String(contentsOf: referenceURL, encoding: .utf8)
        #expect(file.contents == reference, "\(Self.firstDifference(file.contents, reference))")
    }

    @Test(arguments: fixtures)
    func outputIsDeterministic(fixture: String) throws {
        let input = Array(try Data(contentsOf: Self.directory.appending(path: "Fixtures/\(fixture)")))
        let first = ToolCodegen.generate(source: input, fileName: fixture)
        let second = ToolCodegen.generate(source: input, fileName: fixture)
        #expect(first == second)
    }

    /// Names the first differing line, so a failure reads without a diff tool.
    static func firstDifference(_ generated: String, _ reference: String) -> String {
        let lhs = generated.split(separator: "\n", omittingEmptySubsequences: false)
        let rhs = reference.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(lhs.count, rhs.count) {
            let left = index < lhs.count ? String(lhs[index]) : "<end of file>"
            let right = index < rhs.count ? String(rhs[index]) : "<end of file>"
            if left != right {
                return "line \(index + 1):\n  generated: \(left)\n  reference: \(right)\n"
                    + "(regenerate with TOOL_CODEGEN_UPDATE_REFERENCES=1 swift test --filter GoldenFileTests)"
            }
        }
        return "identical"
    }
}
