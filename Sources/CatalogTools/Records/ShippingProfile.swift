import GRDB

/// A row of `shipping_profile`: how an item ships and when its fee is waived.
struct ShippingProfile: Codable, Sendable, FetchableRecord, PersistableRecord, TableRecord {
    static let databaseTableName = "shipping_profile"

    var id: String
    var shippingCents: Int
    var freeShippingFromCents: Int?
    var deliveryDays: Int
    var noteEN: String
    var noteDE: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id
        case shippingCents = "shipping_cents"
        case freeShippingFromCents = "free_shipping_from_cents"
        case deliveryDays = "delivery_days"
        case noteEN = "note_en"
        case noteDE = "note_de"
    }

    func note(_ language: CatalogLanguage) -> String { language == .de ? noteDE : noteEN }

    /// The fee this item adds to an order whose goods (after discount) come to `goodsCents`.
    func fee(forGoods goodsCents: Int) -> Int {
        if let threshold = freeShippingFromCents, goodsCents >= threshold { return 0 }
        return shippingCents
    }
}
