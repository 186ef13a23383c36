import GRDB

/// A row of `tool_call_result`: the first outcome of a side-effecting call, replayed for its id.
struct ToolCallResult: Codable, Sendable, FetchableRecord, PersistableRecord, TableRecord {
    static let databaseTableName = "tool_call_result"

    var customerID: String
    var callID: String
    var tool: String
    var requestJSON: String
    var resultJSON: String
    var createdAt: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case customerID = "customer_id"
        case callID = "call_id"
        case tool
        case requestJSON = "request_json"
        case resultJSON = "result_json"
        case createdAt = "created_at"
    }
}
