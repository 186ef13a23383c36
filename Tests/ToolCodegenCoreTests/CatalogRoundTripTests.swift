import Foundation
import Testing
import ToolRuntime

/// The catalog's own schemas (`Sources/CatalogTools/Schemas`, linked here as `CatalogSchemas`) go
/// through `ToolSchemaPlugin` in this test target too, so their generated types can be checked here
/// without the catalog's database: every example the validator accepts decodes.
struct CatalogRoundTripTests {
    static let catalogTypes: [any ToolArguments.Type] = [
        SearchProductsArguments.self, GetProductInfoArguments.self, CheckOrderStatusArguments.self,
        PlaceOrderArguments.self, CancelOrderArguments.self, CalculateDiscountArguments.self,
    ]

    @Test func everyCatalogToolHasItsTypeListedHere() throws {
        let directory = GoldenFileTests.directory.appending(path: "CatalogSchemas")
        var names: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".tools.json") {
            let tools = try JSONParser.parse(Array(try Data(contentsOf: directory.appending(path: file))))
            names += (tools.array ?? []).compactMap { $0["name"]?.string ?? $0["function"]?["name"]?.string }
        }
        #expect(names.sorted() == Self.catalogTypes.map { $0.toolName }.sorted())
    }

    @Test(arguments: 0..<catalogTypes.count)
    func everyAcceptedExampleDecodes(index: Int) throws {
        let type = Self.catalogTypes[index]
        let schema = try JSONParser.parse(type.parametersSchemaJSON)
        var accepted = 0
        for instance in SchemaExamples.instances(of: schema) where try RoundTripTests.checkRoundTrip(type, instance) {
            accepted += 1
        }
        #expect(accepted >= 1, "no generated example of \(type.toolName) was accepted; the examples need a hint")
    }
}
