public import ToolRuntime

/// `calculate_discount` (schema: `discounts.tools.json`). Quotes only: `place_order` charges the
/// customer's own tier, whatever tier the model asks to quote.
public struct DiscountsModule: ToolModule {
    public let store: CatalogStore

    public init(store: CatalogStore) { self.store = store }

    public func register(into builder: inout ToolRegistry.Builder) {
        builder.add(CalculateDiscountArguments.self) { [store] arguments, context in
            let quote = try await store.discountQuote(
                cartTotalCents: arguments.cartTotalCents,
                tier: arguments.customerTier.flatMap { PricingTier(rawValue: $0.rawValue) },
                customerID: context.customerID
            )
            return try ToolResult.render(quote, language: CatalogLanguage(localeIdentifier: context.locale))
        }
    }
}

/// All catalog tools in one module: products, orders and discounts.
///
/// ```swift
/// let store = try CatalogStore.open(path: "shop.sqlite")
/// let registry = try ToolRegistry(modules: [CatalogModule(store: store)])
/// ```
public struct CatalogModule: ToolModule {
    public let store: CatalogStore

    public init(store: CatalogStore) { self.store = store }

    public func register(into builder: inout ToolRegistry.Builder) {
        builder.add(ProductsModule(store: store))
        builder.add(OrdersModule(store: store))
        builder.add(DiscountsModule(store: store))
    }
}
