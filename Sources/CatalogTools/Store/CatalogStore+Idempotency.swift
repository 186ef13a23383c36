import Foundation
import GRDB

extension CatalogStore {
    /// What is stored for a call: its success value or its business failure.
    enum StoredOutcome<Value: Codable & Sendable>: Codable, Sendable {
        case ok(Value)
        case error(CatalogError)
    }

    /// Runs `body` for `customerID` once per `callID`, in one write transaction.
    ///
    /// - The first call runs `body` in a savepoint. A ``CatalogError`` rolls the savepoint back (no
    ///   stock is kept, no order row), and the failure is stored like a success: a replay gives the
    ///   same answer, whatever happened to stock meanwhile.
    /// - A later call with the same id and the same request returns the stored outcome (a success
    ///   passed through `replayed`, in the same transaction) and writes nothing. With a different
    ///   tool or request it fails with `idempotency_conflict`.
    /// - Any other error (the database's) rolls back everything and stores nothing, so a retry runs anew.
    /// - Without a `callID` (the provider sent none) `body` runs in its transaction and nothing is stored.
    func idempotent<Value: Codable & Sendable>(
        tool: String,
        customerID: String,
        callID: String?,
        request: some Encodable & Sendable,
        replayed: @escaping @Sendable (Database, Value) throws -> Value = { _, value in value },
        run body: @escaping @Sendable (Database, Customer) throws -> Value
    ) async throws -> Value {
        guard let callID else {
            return try await write { db in
                guard let customer = try Customer.fetchOne(db, key: customerID) else {
                    throw CatalogError(.unknownCustomer, "The signed-in customer is not known to the shop.")
                }
                return try body(db, customer)
            }
        }
        guard (1...256).contains(callID.utf8.count) else {
            throw CatalogError.invalid("The tool-call id must be 1 to 256 bytes long.")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let requestJSON = String(decoding: try encoder.encode(request), as: UTF8.self)
        let createdAt = Self.timestamp(configuration.now())
        let outcome: StoredOutcome<Value> = try await write { db in
            guard let customer = try Customer.fetchOne(db, key: customerID) else {
                return .error(CatalogError(.unknownCustomer, "The signed-in customer is not known to the shop."))
            }
            let key = ["customer_id": customerID, "call_id": callID]
            if let stored = try ToolCallResult.fetchOne(db, key: key) {
                guard stored.tool == tool, stored.requestJSON == requestJSON else {
                    return .error(
                        CatalogError(
                            .idempotencyConflict,
                            "This tool-call id was already used for a different \(stored.tool) request; "
                                + "a new request needs a new call id."
                        )
                    )
                }
                let outcome = try JSONDecoder().decode(StoredOutcome<Value>.self, from: Data(stored.resultJSON.utf8))
                guard case .ok(let value) = outcome else { return outcome }
                return .ok(try replayed(db, value))
            }
            var outcome: StoredOutcome<Value> = .error(CatalogError(.unavailable, "not run"))
            try db.inSavepoint {
                do {
                    outcome = .ok(try body(db, customer))
                    return .commit
                } catch let failure as CatalogError {
                    outcome = .error(failure)
                    return .rollback
                }
            }
            try ToolCallResult(
                customerID: customerID,
                callID: callID,
                tool: tool,
                requestJSON: requestJSON,
                resultJSON: String(decoding: try encoder.encode(outcome), as: UTF8.self),
                createdAt: createdAt
            ).insert(db)
            return outcome
        }
        switch outcome {
        case .ok(let value): return value
        case .error(let failure): throw failure
        }
    }
}
