/// A business outcome that is not a success: the model gets it back as the call's error and can act
/// on it (pick another product, ask for an address, …).
///
/// It is `Codable` because side-effecting calls store their first outcome, failure included, and a
/// replay of the same tool-call id returns exactly that. ``description`` never contains addresses or
/// other personal data, so it is safe to log.
public struct CatalogError: Error, Codable, Sendable, Hashable, CustomStringConvertible {
    /// A stable machine-readable code (the `type` of the tool error).
    public enum Code: String, Codable, Sendable, Hashable {
        case productNotFound = "product_not_found"
        case orderNotFound = "order_not_found"
        case outOfStock = "out_of_stock"
        case notCancellable = "not_cancellable"
        case invalidArgument = "invalid_argument"
        case unknownCustomer = "unknown_customer"
        case idempotencyConflict = "idempotency_conflict"
        case unavailable
    }

    public var code: Code
    /// What went wrong, written as an instruction the model can follow.
    public var message: String
    /// The product concerned, if any.
    public var productID: String?
    /// Units available, for ``Code-swift.enum/outOfStock``.
    public var available: Int?

    public init(_ code: Code, _ message: String, productID: String? = nil, available: Int? = nil) {
        self.code = code
        self.message = message
        self.productID = productID
        self.available = available
    }

    public var description: String { "\(code.rawValue): \(message)" }

    enum CodingKeys: String, CodingKey {
        case code = "type"
        case message
        case productID = "product_id"
        case available
    }
}

extension CatalogError {
    static func productNotFound(_ id: String) -> CatalogError {
        CatalogError(
            .productNotFound,
            "No product has the id \(id). Use search_products to find the right id.",
            productID: id
        )
    }

    /// The same answer for an order that does not exist and one that belongs to someone else, so that
    /// order ids of other customers cannot be probed.
    static func orderNotFound(_ id: String) -> CatalogError {
        CatalogError(.orderNotFound, "No order \(id) was found for this customer. Ask the customer to check the number.")
    }

    static func invalid(_ message: String) -> CatalogError { CatalogError(.invalidArgument, message) }
}
