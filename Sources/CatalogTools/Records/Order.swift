import GRDB

/// A row of `orders`.
struct Order: Codable, Sendable, FetchableRecord, PersistableRecord, TableRecord {
    static let databaseTableName = "orders"

    var id: String
    var customerID: String
    var status: OrderStatus
    var pricingTier: PricingTier
    var discountPercent: Int
    var subtotalCents: Int
    var discountCents: Int
    var shippingCents: Int
    var totalCents: Int
    var shippingAddress: String?
    var carrier: String?
    var trackingNumber: String?
    var estimatedDelivery: String?
    var createdAt: String
    var updatedAt: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id
        case customerID = "customer_id"
        case status
        case pricingTier = "pricing_tier"
        case discountPercent = "discount_percent"
        case subtotalCents = "subtotal_cents"
        case discountCents = "discount_cents"
        case shippingCents = "shipping_cents"
        case totalCents = "total_cents"
        case shippingAddress = "shipping_address"
        case carrier
        case trackingNumber = "tracking_number"
        case estimatedDelivery = "estimated_delivery"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let customerID = Column(CodingKeys.customerID)
    }

    static let lines = hasMany(OrderLine.self, using: ForeignKey(["order_id"]))
}

extension DerivableRequest<Order> {
    /// Only the orders of `customerID`: every order lookup goes through this filter.
    func owned(by customerID: String) -> Self { filter(Order.Columns.customerID == customerID) }
}
