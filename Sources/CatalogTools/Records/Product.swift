import GRDB

/// A row of `product`.
struct Product: Codable, Sendable, FetchableRecord, PersistableRecord, TableRecord {
    static let databaseTableName = "product"

    var id: String
    var categoryID: String
    var nameEN: String
    var nameDE: String
    var descriptionEN: String
    var descriptionDE: String
    var priceCents: Int
    var stock: Int
    var shippingProfileID: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id
        case categoryID = "category_id"
        case nameEN = "name_en"
        case nameDE = "name_de"
        case descriptionEN = "description_en"
        case descriptionDE = "description_de"
        case priceCents = "price_cents"
        case stock
        case shippingProfileID = "shipping_profile_id"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let categoryID = Column(CodingKeys.categoryID)
        static let priceCents = Column(CodingKeys.priceCents)
        static let stock = Column(CodingKeys.stock)
    }

    static let category = belongsTo(Category.self, using: ForeignKey(["category_id"]))
    static let shippingProfile = belongsTo(ShippingProfile.self, using: ForeignKey(["shipping_profile_id"]))

    func name(_ language: CatalogLanguage) -> String { language == .de ? nameDE : nameEN }
    func description(_ language: CatalogLanguage) -> String { language == .de ? descriptionDE : descriptionEN }
}

extension DerivableRequest<Product> {
    /// Products with at least one unit on hand.
    func inStock() -> Self { filter(Product.Columns.stock > 0) }
}
