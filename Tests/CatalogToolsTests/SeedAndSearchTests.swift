import CatalogTools
import GRDB
import Testing

@Suite struct SeedAndSearchTests {
    @Test func seedHoldsABelievableShop() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        #expect(try await count(store, "SELECT COUNT(*) FROM product") >= 500)
        #expect(try await count(store, "SELECT COUNT(DISTINCT category_id) FROM product") >= 5)
        #expect(try await count(store, "SELECT COUNT(*) FROM product WHERE name_de GLOB '*[äöüß]*'") > 50)
        for tier in ["standard", "silver", "gold"] {
            #expect(try await count(store, "SELECT COUNT(*) FROM customer WHERE tier = ?", [tier]) > 0)
        }
        for status in OrderStatus.allCases {
            #expect(try await count(store, "SELECT COUNT(*) FROM orders WHERE status = ?", [status.rawValue]) > 0)
        }
        #expect(
            try await count(
                store,
                "SELECT COUNT(*) FROM orders WHERE status = 'shipped' AND tracking_number IS NOT NULL "
                    + "AND estimated_delivery IS NOT NULL"
            ) > 0
        )
    }

    @Test func blackFridayHeadphonesAreAsSpecified() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let en = try await store.productInfo(id: Seed.headphones)
        #expect(en.name == "Premium Wireless Headphones")
        #expect(en.priceCents == 8999)
        #expect(en.stock == 23)
        #expect(en.freeShippingFromCents == 5000)
        let de = try await store.productInfo(id: Seed.headphones, language: .de)
        #expect(de.name == "Premium Kabellose Kopfhörer")
        #expect(de.shippingNote.contains("50 €"))
    }

    @Test func unknownProductIsNotFound() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let error = try await catalogError { try await store.productInfo(id: "SKU-NOPE") }
        #expect(error?.code == .productNotFound)
    }

    @Test(arguments: ["kopfhorer", "Kopfhörer", "KOPFHÖRER", "kopfh"])
    func searchFoldsDiacritics(query: String) async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let results = try await store.searchProducts(ProductQuery(text: query, limit: 50, language: .de))
        #expect(results.contains { $0.id == Seed.headphones })
        #expect(results.allSatisfy { $0.name.lowercased().contains("kopfhörer") || $0.description.contains("Kopfhörer") })
    }

    @Test func searchRanksTheBestMatchFirst() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let results = try await store.searchProducts(ProductQuery(text: "premium kabellose kopfhorer", limit: 5))
        #expect(results.first?.id == Seed.headphones)
    }

    @Test func searchFiltersByCategoryPriceAndStock() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let all = try await store.searchProducts(ProductQuery(text: "black schwarz", limit: 50))
        let filtered = try await store.searchProducts(
            ProductQuery(text: "black schwarz", category: "Küche", maxPriceCents: 5000, inStockOnly: true, limit: 50)
        )
        #expect(!filtered.isEmpty)
        #expect(filtered.count < all.count)
        #expect(filtered.allSatisfy { $0.categoryID == "kitchen" && $0.priceCents <= 5000 && $0.stock > 0 })
        let byID = try await store.searchProducts(ProductQuery(text: "black", category: "kitchen", limit: 50))
        #expect(byID.allSatisfy { $0.categoryID == "kitchen" })
    }

    @Test func searchTreatsQuerySyntaxAsText() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let results = try await store.searchProducts(ProductQuery(text: "\"kopfhörer\" OR NEAR( * ^ -", limit: 10))
        #expect(!results.isEmpty)
    }

    @Test func searchRejectsBadArgumentsClearly() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let empty = try await catalogError { try await store.searchProducts(ProductQuery(text: " !? ")) }
        #expect(empty?.code == .invalidArgument)
        let limit = try await catalogError { try await store.searchProducts(ProductQuery(text: "mouse", limit: 51)) }
        #expect(limit?.code == .invalidArgument)
        let category = try await catalogError {
            try await store.searchProducts(ProductQuery(text: "mouse", category: "weapons"))
        }
        #expect(category?.code == .invalidArgument)
        #expect(category?.message.contains("audio") == true)
    }
}
