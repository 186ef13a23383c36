import CatalogData
public import Foundation
public import GRDB

/// The shop's database: products, customers, orders and the idempotency log of side-effecting calls.
///
/// Open it from a file (WAL, a `DatabasePool`: concurrent readers, one writer) or in memory (a
/// `DatabaseQueue`, for tests and demos), or hand it any `DatabaseWriter`. On first use it creates the
/// schema from the bundled `schema.sql` and loads `seed.sql` (GRDB migrations, so that happens once).
///
/// ```swift
/// let store = try CatalogStore.open(path: "shop.sqlite")
/// let info = try await store.productInfo(id: "SKU-2024-BF", language: .de)
/// let order = try await store.placeOrder(
///     OrderRequest(items: [.init(productID: "SKU-2024-BF", quantity: 1)]),
///     customerID: "CUST-0001", callID: "call_abc")
/// ```
///
/// Every order operation takes the customer from the caller (the signed-in user), never from the
/// model: another customer's order is "not found", exactly like one that does not exist.
public struct CatalogStore: Sendable {
    /// How the store prices, dates and retries.
    public struct Configuration: Sendable {
        /// When Black Friday prices apply; `nil` for no campaign.
        public var blackFriday: CampaignWindow?
        /// The clock for order dates, delivery estimates and the campaign window.
        public var now: @Sendable () -> Date
        /// How long one statement waits for a lock held by another connection or process.
        public var busyTimeout: TimeInterval
        /// How often a write is retried when the database stays locked beyond ``busyTimeout``.
        public var busyRetries: Int
        /// Whether to load the demo data on creation.
        public var seed: Bool

        public init(
            blackFriday: CampaignWindow? = .blackFriday2026,
            now: @escaping @Sendable () -> Date = { Date() },
            busyTimeout: TimeInterval = 5,
            busyRetries: Int = 3,
            seed: Bool = true
        ) {
            self.blackFriday = blackFriday
            self.now = now
            self.busyTimeout = busyTimeout
            self.busyRetries = busyRetries
            self.seed = seed
        }
    }

    /// The database. Reads go through it as a reader; `place_order` and `cancel_order` write.
    public let writer: any DatabaseWriter
    public let configuration: Configuration

    /// Wraps `writer`, creating and migrating (and seeding, if configured) the schema when needed.
    ///
    /// - Throws: ``CatalogData/MissingResource`` when the bundled SQL is missing, or a `DatabaseError`.
    public init(writer: any DatabaseWriter, configuration: Configuration = Configuration()) throws {
        self.writer = writer
        self.configuration = configuration
        try Self.migrator(seed: configuration.seed).migrate(writer)
    }

    /// Opens (and creates, if absent) the database file at `path` in WAL mode.
    public static func open(path: String, configuration: Configuration = Configuration()) throws -> CatalogStore {
        let pool = try DatabasePool(path: path, configuration: databaseConfiguration(configuration))
        return try CatalogStore(writer: pool, configuration: configuration)
    }

    /// A private in-memory database, gone when the store is released.
    public static func inMemory(configuration: Configuration = Configuration()) throws -> CatalogStore {
        let queue = try DatabaseQueue(configuration: databaseConfiguration(configuration))
        return try CatalogStore(writer: queue, configuration: configuration)
    }

    /// The GRDB settings every connection of the store uses.
    public static func databaseConfiguration(_ configuration: Configuration) -> GRDB.Configuration {
        var config = GRDB.Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(configuration.busyTimeout)
        config.label = "catalog"
        return config
    }

    static func migrator(seed: Bool) throws -> DatabaseMigrator {
        let schema = try CatalogData.schemaSQL()
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 schema") { db in try db.execute(sql: schema) }
        if seed {
            let data = try CatalogData.seedSQL()
            migrator.registerMigration("v1 seed") { db in try db.execute(sql: data) }
        }
        return migrator
    }
}

extension CatalogStore {
    /// Runs a write transaction. Busy and locked states are retried inside (see ``retryingBusy(_:)``).
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await retryingBusy { try await writer.write(updates) }
    }

    /// Reads from a consistent snapshot, with the same busy handling as ``write(_:)``.
    func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await retryingBusy { try await writer.read(value) }
    }

    /// Runs `access`, retrying a few times with backoff when the database stays busy or locked past the
    /// busy timeout (another process holding the lock), so callers see success or a business error,
    /// never `SQLITE_BUSY`.
    private func retryingBusy<T: Sendable>(_ access: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await access()
            } catch let error as DatabaseError where Self.isBusy(error) {
                guard attempt < configuration.busyRetries else {
                    throw CatalogError(.unavailable, "The shop is very busy right now; try the same request again shortly.")
                }
                attempt += 1
                try await Task.sleep(for: .milliseconds(20 << attempt))
            }
        }
    }

    static func isBusy(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// `2026-11-24T20:46:39Z`.
    static func timestamp(_ date: Date) -> String { date.formatted(.iso8601) }

    /// `2026-11-27`, in UTC.
    static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle().year().month().day())
    }
}
