public import ToolRuntime

/// `get_product_info` and `search_products` over a ``CatalogStore`` (schemas: `products.tools.json`).
///
/// Texts come in the language of ``ToolContext/locale`` (German for `de…`, else English).
public struct ProductsModule: ToolModule {
    public let store: CatalogStore

    public init(store: CatalogStore) { self.store = store }

    public func register(into builder: inout ToolRegistry.Builder) {
        builder.add(GetProductInfoArguments.self) { [store] arguments, context in
            let language = CatalogLanguage(localeIdentifier: context.locale)
            let info = try await store.productInfo(id: arguments.productId, language: language)
            return try ToolResult.render(info, language: language)
        }
        builder.add(SearchProductsArguments.self) { [store] arguments, context in
            let language = CatalogLanguage(localeIdentifier: context.locale)
            let query = ProductQuery(
                text: arguments.query,
                category: arguments.category,
                maxPriceCents: arguments.maxPriceCents,
                inStockOnly: arguments.inStockOnly ?? false,
                limit: arguments.limit ?? 10,
                language: language
            )
            let products = try await store.searchProducts(query)
            return try ToolResult.render(SearchResult(count: products.count, products: products), language: language)
        }
    }

    struct SearchResult: Encodable, Sendable {
        var count: Int
        var products: [ProductInfo]
    }
}
