import GRDB

/// A row of `customer`. The tier here is the only one checkout ever uses.
struct Customer: Codable, Sendable, FetchableRecord, PersistableRecord, TableRecord {
    static let databaseTableName = "customer"

    var id: String
    var name: String
    var email: String
    var tier: CustomerTier
    var locale: CatalogLanguage
    var address: String?
}
