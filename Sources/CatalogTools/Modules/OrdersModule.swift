public import ToolRuntime

/// `check_order_status`, `place_order` and `cancel_order` for the signed-in customer
/// (``ToolContext/customerID``), never for a customer the model names (schemas: `orders.tools.json`).
///
/// `place_order` and `cancel_order` are idempotent by ``ToolContext/callID``: a replayed call returns
/// the first result and changes nothing. An id the runtime made up (the provider sent none) keys
/// nothing, because it repeats across responses.
public struct OrdersModule: ToolModule {
    public let store: CatalogStore

    public init(store: CatalogStore) { self.store = store }

    public func register(into builder: inout ToolRegistry.Builder) {
        builder.add(CheckOrderStatusArguments.self) { [store] arguments, context in
            let language = CatalogLanguage(localeIdentifier: context.locale)
            let order = try await store.orderStatus(orderID: arguments.orderId, customerID: try context.customer(), language: language)
            return try ToolResult.render(order, language: language)
        }
        builder.add(PlaceOrderArguments.self) { [store] arguments, context in
            let request = OrderRequest(
                items: arguments.items.map { OrderRequest.Item(productID: $0.productId, quantity: $0.quantity) },
                shippingAddress: arguments.shippingAddress
            )
            let language = CatalogLanguage(localeIdentifier: context.locale)
            let order = try await store.placeOrder(
                request,
                customerID: try context.customer(),
                callID: context.idempotencyKey,
                language: language
            )
            return try ToolResult.render(order, language: language)
        }
        builder.add(CancelOrderArguments.self) { [store] arguments, context in
            let language = CatalogLanguage(localeIdentifier: context.locale)
            let order = try await store.cancelOrder(
                orderID: arguments.orderId,
                customerID: try context.customer(),
                callID: context.idempotencyKey,
                language: language
            )
            return try ToolResult.render(order, language: language)
        }
    }
}

extension ToolContext {
    /// The call id as an idempotency key, or `nil` when the runtime made the id up.
    var idempotencyKey: String? { callIDWasGenerated ? nil : callID }

    /// The signed-in customer, or a clear error when nobody is signed in.
    func customer() throws(CatalogError) -> String {
        guard let customerID, !customerID.isEmpty else {
            throw CatalogError(.unknownCustomer, "Nobody is signed in. Ask the customer to sign in first.")
        }
        return customerID
    }
}
