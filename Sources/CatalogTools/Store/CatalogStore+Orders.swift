import Foundation
import GRDB

extension CatalogStore {
    /// The order `orderID` of `customerID`, with lines, totals, tracking and delivery estimate.
    ///
    /// - Parameter language: the language of the lines' product names (the conversation's);
    ///   `nil` for the customer's own.
    /// - Throws: ``CatalogError`` `order_not_found` when there is no such order *for this customer*
    ///   (another customer's order gives the very same answer).
    public func orderStatus(orderID: String, customerID: String, language: CatalogLanguage? = nil) async throws -> OrderDetails {
        try Self.checkOrderID(orderID)
        return try await read { db in
            guard let order = try Order.all().owned(by: customerID).filter(key: orderID).fetchOne(db) else {
                throw CatalogError.orderNotFound(orderID)
            }
            return try Self.details(db, order: order, language: language)
        }
    }

    /// Places an order for `customerID` in one transaction: checks and decrements stock atomically,
    /// prices with the customer's own tier (or Black Friday inside the configured window), and records
    /// the outcome under `callID`.
    ///
    /// Calling again with the same `callID` returns the first outcome (success or failure) and changes
    /// nothing, also after a restart.
    ///
    /// - Throws: ``CatalogError`` `out_of_stock` (nothing is reserved), `product_not_found`,
    ///   `invalid_argument`, `unknown_customer`, `idempotency_conflict` (the id was used for other
    ///   arguments), `unavailable`.
    /// A `nil` `callID` (no provider-issued id) places the order without recording it for replay.
    /// `language` is the language of the lines' product names (the conversation's; `nil` for the
    /// customer's own), also in a replayed outcome.
    public func placeOrder(
        _ request: OrderRequest,
        customerID: String,
        callID: String?,
        language: CatalogLanguage? = nil
    ) async throws -> OrderDetails {
        let request = try request.validated()
        let now = configuration.now()
        let blackFriday = configuration.blackFriday
        return try await idempotent(
            tool: "place_order",
            customerID: customerID,
            callID: callID,
            request: request,
            replayed: { db, order in try Self.named(db, order, language) },
            run: { db, customer in
                guard let address = request.shippingAddress ?? customer.address else {
                    throw CatalogError.invalid(
                        "There is no shipping address on file. Ask the customer for one and pass shipping_address."
                    )
                }
                // One line per product, in first-mention order, so stock is checked on the total quantity.
                var quantities: [(productID: String, quantity: Int)] = []
                for item in request.items {
                    if let index = quantities.firstIndex(where: { $0.productID == item.productID }) {
                        quantities[index].quantity += item.quantity
                    } else {
                        quantities.append((item.productID, item.quantity))
                    }
                }
                var lines: [OrderLine] = []
                var profiles: [ShippingProfile] = []
                let orderID = try Self.nextOrderID(db)
                for (number, (productID, quantity)) in quantities.enumerated() {
                    try db.execute(
                        sql: "UPDATE product SET stock = stock - ? WHERE id = ? AND stock >= ?",
                        arguments: [quantity, productID, quantity]
                    )
                    guard let product = try Product.fetchOne(db, key: productID) else {
                        throw CatalogError.productNotFound(productID)
                    }
                    guard db.changesCount == 1 else {
                        throw CatalogError(
                            .outOfStock,
                            "\(product.nameEN) (\(productID)) is out of stock: \(quantity) requested, \(product.stock) "
                                + "available. Nothing was ordered; offer the available quantity or another product.",
                            productID: productID,
                            available: product.stock
                        )
                    }
                    if let profile = try ShippingProfile.fetchOne(db, key: product.shippingProfileID) {
                        profiles.append(profile)
                    }
                    lines.append(
                        OrderLine(
                            orderID: orderID,
                            lineNo: number + 1,
                            productID: productID,
                            quantity: quantity,
                            unitPriceCents: product.priceCents,
                            lineTotalCents: product.priceCents * quantity
                        )
                    )
                }
                let tier = PricingTier.checkout(tier: customer.tier, at: now, blackFriday: blackFriday)
                let subtotal = lines.reduce(0) { $0 + $1.lineTotalCents }
                let discount = tier.discountCents(on: subtotal)
                let shipping = profiles.map { $0.fee(forGoods: subtotal - discount) }.max() ?? 0
                let days = profiles.map(\.deliveryDays).max() ?? 0
                let stamp = Self.timestamp(now)
                let order = Order(
                    id: orderID,
                    customerID: customer.id,
                    status: .paid,
                    pricingTier: tier,
                    discountPercent: tier.percent,
                    subtotalCents: subtotal,
                    discountCents: discount,
                    shippingCents: shipping,
                    totalCents: subtotal - discount + shipping,
                    shippingAddress: address,
                    carrier: nil,
                    trackingNumber: nil,
                    estimatedDelivery: Self.day(now.addingTimeInterval(Double(days) * 86_400)),
                    createdAt: stamp,
                    updatedAt: stamp
                )
                try order.insert(db)
                for line in lines { try line.insert(db) }
                return try Self.details(db, order: order, language: language)
            }
        )
    }

    /// Cancels `orderID` of `customerID` and puts its items back in stock, once. Only orders that have
    /// not shipped (`pending`, `paid`) can be cancelled.
    ///
    /// Calling again with the same `callID` returns the first outcome and changes nothing.
    ///
    /// - Throws: ``CatalogError`` `order_not_found` (also for another customer's order),
    ///   `not_cancellable`, `idempotency_conflict`, `unavailable`.
    /// A `nil` `callID` cancels without recording the outcome for replay (cancelling twice is refused anyway).
    /// `language` is the language of the lines' product names, as for ``placeOrder(_:customerID:callID:language:)``.
    public func cancelOrder(
        orderID: String,
        customerID: String,
        callID: String?,
        language: CatalogLanguage? = nil
    ) async throws -> OrderDetails {
        try Self.checkOrderID(orderID)
        let now = configuration.now()
        return try await idempotent(
            tool: "cancel_order",
            customerID: customerID,
            callID: callID,
            request: ["order_id": orderID],
            replayed: { db, order in try Self.named(db, order, language) },
            run: { db, customer in
                guard var order = try Order.all().owned(by: customer.id).filter(key: orderID).fetchOne(db) else {
                    throw CatalogError.orderNotFound(orderID)
                }
                guard order.status.isCancellable else {
                    let reason =
                        order.status == .cancelled
                        ? "Order \(orderID) is already cancelled."
                        : "Order \(orderID) has already \(order.status == .shipped ? "shipped" : "been delivered") "
                            + "and can no longer be cancelled. Offer a return instead."
                    throw CatalogError(.notCancellable, reason)
                }
                // The status change is conditional too, so two cancellations can never both restock.
                try db.execute(
                    sql: """
                        UPDATE orders SET status = 'cancelled', estimated_delivery = NULL, updated_at = ?
                        WHERE id = ? AND customer_id = ? AND status IN ('pending', 'paid')
                        """,
                    arguments: [Self.timestamp(now), orderID, customer.id]
                )
                guard db.changesCount == 1 else { throw CatalogError(.notCancellable, "Order \(orderID) changed meanwhile.") }
                try db.execute(
                    sql: """
                        UPDATE product SET stock = stock + l.quantity
                        FROM (SELECT product_id, SUM(quantity) AS quantity FROM order_line WHERE order_id = ?
                              GROUP BY product_id) AS l
                        WHERE product.id = l.product_id
                        """,
                    arguments: [orderID]
                )
                guard let updated = try Order.fetchOne(db, key: orderID) else { throw CatalogError.orderNotFound(orderID) }
                order = updated
                return try Self.details(db, order: order, language: language)
            }
        )
    }

    static func checkOrderID(_ id: String) throws(CatalogError) {
        let digits = id.utf8.dropFirst(4)
        guard id.hasPrefix("ORD-"), digits.count == 6, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { throw .invalid("order_id must look like ORD-123456 (ORD- and 6 digits).") }
    }

    /// The next order number. Runs inside the write transaction, which serializes it.
    static func nextOrderID(_ db: Database) throws -> String {
        let last = try String.fetchOne(db, sql: "SELECT MAX(id) FROM orders").flatMap { Int($0.dropFirst(4)) }
        let next = (last ?? 100_000) + 1
        guard next <= 999_999 else {
            throw CatalogError(.unavailable, "The shop cannot take new orders right now (order numbers exhausted).")
        }
        return "ORD-" + String(next)
    }

    /// `language` `nil`: the customer's own.
    static func details(_ db: Database, order: Order, language: CatalogLanguage?) throws -> OrderDetails {
        let language = try language ?? Customer.fetchOne(db, key: order.customerID)?.locale ?? .en
        let lines = try OrderLine.filter(OrderLine.Columns.orderID == order.id).order(OrderLine.Columns.lineNo)
            .fetchAll(db)
        let products = try Product.filter(keys: lines.map(\.productID)).fetchAll(db)
        return OrderDetails(
            id: order.id,
            status: order.status,
            lines: lines.map { line in
                OrderDetails.Line(
                    productID: line.productID,
                    name: products.first { $0.id == line.productID }?.name(language) ?? line.productID,
                    quantity: line.quantity,
                    unitPriceCents: line.unitPriceCents,
                    lineTotalCents: line.lineTotalCents
                )
            },
            pricingTier: order.pricingTier,
            discountPercent: order.discountPercent,
            subtotalCents: order.subtotalCents,
            discountCents: order.discountCents,
            shippingCents: order.shippingCents,
            totalCents: order.totalCents,
            shippingAddress: order.shippingAddress,
            carrier: order.carrier,
            trackingNumber: order.trackingNumber,
            estimatedDelivery: order.estimatedDelivery,
            createdAt: order.createdAt,
            updatedAt: order.updatedAt
        )
    }

    /// A replayed order's lines named in `language`: the outcome was stored with the names of the
    /// first call's language, and a replay may come from a conversation in another one.
    static func named(_ db: Database, _ order: OrderDetails, _ language: CatalogLanguage?) throws -> OrderDetails {
        guard let language else { return order }
        let products = try Product.filter(keys: order.lines.map(\.productID)).fetchAll(db)
        var named = order
        for index in named.lines.indices {
            if let product = products.first(where: { $0.id == named.lines[index].productID }) {
                named.lines[index].name = product.name(language)
            }
        }
        return named
    }
}
