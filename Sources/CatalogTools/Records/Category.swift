import GRDB

/// A row of `category`.
struct Category: Codable, Sendable, FetchableRecord, PersistableRecord, TableRecord {
    static let databaseTableName = "category"

    var id: String
    var nameEN: String
    var nameDE: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id
        case nameEN = "name_en"
        case nameDE = "name_de"
    }

    func name(_ language: CatalogLanguage) -> String { language == .de ? nameDE : nameEN }
}
