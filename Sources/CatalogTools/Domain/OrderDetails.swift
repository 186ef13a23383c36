import Foundation

/// The life-cycle state of an order.
public enum OrderStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case pending, paid, shipped, delivered, cancelled

    /// Orders can be cancelled until they leave the warehouse.
    public var isCancellable: Bool { self == .pending || self == .paid }
}

/// An order as its customer may see it. Money in integer cents.
public struct OrderDetails: Codable, Sendable, Hashable {
    public struct Line: Codable, Sendable, Hashable {
        public var productID: String
        public var name: String
        public var quantity: Int
        public var unitPriceCents: Int
        public var lineTotalCents: Int

        public init(productID: String, name: String, quantity: Int, unitPriceCents: Int, lineTotalCents: Int) {
            self.productID = productID
            self.name = name
            self.quantity = quantity
            self.unitPriceCents = unitPriceCents
            self.lineTotalCents = lineTotalCents
        }

        enum CodingKeys: String, CodingKey {
            case name, quantity
            case productID = "product_id"
            case unitPriceCents = "unit_price_cents"
            case lineTotalCents = "line_total_cents"
        }
    }

    public var id: String
    public var status: OrderStatus
    public var lines: [Line]
    /// The price rule that was applied (the customer's tier, or `black_friday` in the campaign).
    public var pricingTier: PricingTier
    public var discountPercent: Int
    public var subtotalCents: Int
    public var discountCents: Int
    public var shippingCents: Int
    public var totalCents: Int
    public var shippingAddress: String?
    public var carrier: String?
    public var trackingNumber: String?
    /// `YYYY-MM-DD`; `nil` once cancelled.
    public var estimatedDelivery: String?
    public var createdAt: String
    public var updatedAt: String

    public init(
        id: String,
        status: OrderStatus,
        lines: [Line],
        pricingTier: PricingTier,
        discountPercent: Int,
        subtotalCents: Int,
        discountCents: Int,
        shippingCents: Int,
        totalCents: Int,
        shippingAddress: String?,
        carrier: String?,
        trackingNumber: String?,
        estimatedDelivery: String?,
        createdAt: String,
        updatedAt: String
    ) {
        self.id = id
        self.status = status
        self.lines = lines
        self.pricingTier = pricingTier
        self.discountPercent = discountPercent
        self.subtotalCents = subtotalCents
        self.discountCents = discountCents
        self.shippingCents = shippingCents
        self.totalCents = totalCents
        self.shippingAddress = shippingAddress
        self.carrier = carrier
        self.trackingNumber = trackingNumber
        self.estimatedDelivery = estimatedDelivery
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, status, lines, carrier
        case pricingTier = "pricing_tier"
        case discountPercent = "discount_percent"
        case subtotalCents = "subtotal_cents"
        case discountCents = "discount_cents"
        case shippingCents = "shipping_cents"
        case totalCents = "total_cents"
        case shippingAddress = "shipping_address"
        case trackingNumber = "tracking_number"
        case estimatedDelivery = "estimated_delivery"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// What `place_order` asks for.
public struct OrderRequest: Codable, Sendable, Hashable {
    public struct Item: Codable, Sendable, Hashable {
        public var productID: String
        public var quantity: Int

        public init(productID: String, quantity: Int) {
            self.productID = productID
            self.quantity = quantity
        }

        enum CodingKeys: String, CodingKey {
            case quantity
            case productID = "product_id"
        }
    }

    /// 1…20 items, each with quantity ≥ 1.
    public var items: [Item]
    /// Where to ship; the account's address when `nil`.
    public var shippingAddress: String?

    public init(items: [Item], shippingAddress: String? = nil) {
        self.items = items
        self.shippingAddress = shippingAddress
    }

    enum CodingKeys: String, CodingKey {
        case items
        case shippingAddress = "shipping_address"
    }

    static let maxItems = 20
    static let maxQuantity = 1_000
    static let maxAddressLength = 500

    /// The same checks as the tool schema, for callers that bypass the tool layer.
    func validated() throws(CatalogError) -> OrderRequest {
        guard (1...Self.maxItems).contains(items.count) else {
            throw .invalid("An order needs 1 to \(Self.maxItems) items; got \(items.count).")
        }
        for (index, item) in items.enumerated() {
            guard (1...Self.maxQuantity).contains(item.quantity) else {
                throw .invalid("items[\(index)].quantity must be between 1 and \(Self.maxQuantity); got \(item.quantity).")
            }
            guard !item.productID.isEmpty, item.productID.utf8.count <= 40 else {
                throw .invalid("items[\(index)].product_id must be a product id such as SKU-2024-BF.")
            }
        }
        if let address = shippingAddress {
            let trimmed = address.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= Self.maxAddressLength else {
                throw .invalid("shipping_address must be 1 to \(Self.maxAddressLength) characters.")
            }
            return OrderRequest(items: items, shippingAddress: trimmed)
        }
        return self
    }
}
