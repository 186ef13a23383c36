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
        try RoundTripTests.checkExamples(of: Self.catalogTypes[index])
    }
}
