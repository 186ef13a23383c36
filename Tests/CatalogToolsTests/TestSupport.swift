import CatalogTools
import Foundation
import GRDB

/// Fixed instants, so prices and dates never depend on when the tests run.
enum TestClock {
    /// Before Black Friday 2026.
    static let ordinary = Date(timeIntervalSince1970: 1_795_176_000)  // 2026-11-20T12:00:00Z
    /// Inside the Black Friday window.
    static let blackFriday = Date(timeIntervalSince1970: 1_795_780_800)  // 2026-11-27T12:00:00Z
}

/// Customers of the seed with known tiers.
enum Seed {
    static let gold = "CUST-0001"
    static let standard = "CUST-0002"
    static let silver = "CUST-0003"
    static let headphones = "SKU-2024-BF"
}

/// A database file in a fresh temporary folder, removed when the value is released.
final class TemporaryDatabase: Sendable {
    let directory: URL
    var path: String { directory.appendingPathComponent("catalog.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("catalog-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

func configuration(now: Date = TestClock.ordinary) -> CatalogStore.Configuration {
    CatalogStore.Configuration(blackFriday: .blackFriday2026, now: { now })
}

func stock(_ store: CatalogStore, _ productID: String) async throws -> Int? {
    try await store.writer.read { db in
        try Int.fetchOne(db, sql: "SELECT stock FROM product WHERE id = ?", arguments: [productID])
    }
}

func count(_ store: CatalogStore, _ sql: String, _ arguments: StatementArguments = []) async throws -> Int {
    try await store.writer.read { db in try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0 }
}

func one(_ productID: String, _ quantity: Int = 1) -> OrderRequest {
    OrderRequest(items: [.init(productID: productID, quantity: quantity)])
}

/// The ``CatalogError`` a call threw, or `nil` when it succeeded (other errors are rethrown).
func catalogError<T>(_ body: () async throws -> T) async throws -> CatalogError? {
    do {
        _ = try await body()
        return nil
    } catch let error as CatalogError {
        return error
    }
}
