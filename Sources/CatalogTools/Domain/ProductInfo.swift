/// What the shop tells about one product, in one language. Money in integer cents.
public struct ProductInfo: Codable, Sendable, Hashable {
    public var id: String
    public var categoryID: String
    public var category: String
    public var name: String
    public var description: String
    public var priceCents: Int
    public var stock: Int
    /// The flat shipping fee of this item.
    public var shippingCents: Int
    /// Goods value (after discount) from which shipping is free; `nil` when it never is.
    public var freeShippingFromCents: Int?
    public var deliveryDays: Int
    public var shippingNote: String

    public var inStock: Bool { stock > 0 }

    public init(
        id: String,
        categoryID: String,
        category: String,
        name: String,
        description: String,
        priceCents: Int,
        stock: Int,
        shippingCents: Int,
        freeShippingFromCents: Int?,
        deliveryDays: Int,
        shippingNote: String
    ) {
        self.id = id
        self.categoryID = categoryID
        self.category = category
        self.name = name
        self.description = description
        self.priceCents = priceCents
        self.stock = stock
        self.shippingCents = shippingCents
        self.freeShippingFromCents = freeShippingFromCents
        self.deliveryDays = deliveryDays
        self.shippingNote = shippingNote
    }

    enum CodingKeys: String, CodingKey {
        case id, category, name, description, stock
        case categoryID = "category_id"
        case priceCents = "price_cents"
        case shippingCents = "shipping_cents"
        case freeShippingFromCents = "free_shipping_from_cents"
        case deliveryDays = "delivery_days"
        case shippingNote = "shipping_note"
    }
}

/// A product search: full-text over names and descriptions in both languages, diacritics folded.
public struct ProductQuery: Sendable, Hashable {
    /// Free text; every word counts, prefixes match ("kopfh" finds "Kopfhörer").
    public var text: String
    /// A category id (`audio`) or its English or German name.
    public var category: String?
    public var maxPriceCents: Int?
    public var inStockOnly: Bool
    /// 1…50.
    public var limit: Int
    public var language: CatalogLanguage

    public init(
        text: String,
        category: String? = nil,
        maxPriceCents: Int? = nil,
        inStockOnly: Bool = false,
        limit: Int = 10,
        language: CatalogLanguage = .en
    ) {
        self.text = text
        self.category = category
        self.maxPriceCents = maxPriceCents
        self.inStockOnly = inStockOnly
        self.limit = limit
        self.language = language
    }
}
