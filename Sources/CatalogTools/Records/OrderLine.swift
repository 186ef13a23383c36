import GRDB

/// A row of `order_line`.
struct OrderLine: Codable, Sendable, FetchableRecord, PersistableRecord, TableRecord {
    static let databaseTableName = "order_line"

    var orderID: String
    var lineNo: Int
    var productID: String
    var quantity: Int
    var unitPriceCents: Int
    var lineTotalCents: Int

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case orderID = "order_id"
        case lineNo = "line_no"
        case productID = "product_id"
        case quantity
        case unitPriceCents = "unit_price_cents"
        case lineTotalCents = "line_total_cents"
    }

    enum Columns {
        static let orderID = Column(CodingKeys.orderID)
        static let lineNo = Column(CodingKeys.lineNo)
    }
}
