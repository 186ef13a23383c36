import CatalogTools
import GRDB
import Testing

@Suite struct CancelTests {
    @Test func cancelRestocksExactlyOnce() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let order = try await store.placeOrder(one(Seed.headphones, 3), customerID: Seed.silver, callID: "p")
        #expect(try await stock(store, Seed.headphones) == 20)

        let cancelled = try await store.cancelOrder(orderID: order.id, customerID: Seed.silver, callID: "c1")
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.estimatedDelivery == nil)
        #expect(try await stock(store, Seed.headphones) == 23)

        // The same call again: the first answer, no second restock.
        let replay = try await store.cancelOrder(orderID: order.id, customerID: Seed.silver, callID: "c1")
        #expect(replay == cancelled)
        #expect(try await stock(store, Seed.headphones) == 23)

        // A new call to cancel it again: a clear refusal, still no second restock.
        let again = try await catalogError {
            try await store.cancelOrder(orderID: order.id, customerID: Seed.silver, callID: "c2")
        }
        #expect(again?.code == .notCancellable)
        #expect(try await stock(store, Seed.headphones) == 23)
    }

    @Test func concurrentCancellationsRestockOnce() async throws {
        let file = try TemporaryDatabase()
        let store = try CatalogStore.open(path: file.path, configuration: configuration())
        let order = try await store.placeOrder(one(Seed.headphones, 5), customerID: Seed.gold, callID: "p")
        let successes = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<50 {
                group.addTask {
                    (try? await store.cancelOrder(orderID: order.id, customerID: Seed.gold, callID: "c\(i)")) != nil
                }
            }
            var count = 0
            for await ok in group where ok { count += 1 }
            return count
        }
        #expect(successes == 1)
        #expect(try await stock(store, Seed.headphones) == 23)
    }

    @Test(arguments: ["shipped", "delivered"])
    func shippedOrdersCannotBeCancelled(status: String) async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let row = try store.writer.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT id, customer_id FROM orders WHERE status = ? ORDER BY id",
                arguments: [status]
            )
        }
        let found = try #require(row)
        let orderID: String = found["id"]
        let customerID: String = found["customer_id"]
        let stockBefore = try await count(store, "SELECT SUM(stock) FROM product")
        let error = try await catalogError {
            try await store.cancelOrder(orderID: orderID, customerID: customerID, callID: "x")
        }
        #expect(error?.code == .notCancellable)
        #expect(error?.message.contains("return") == true)
        #expect(try await store.orderStatus(orderID: orderID, customerID: customerID).status.rawValue == status)
        #expect(try await count(store, "SELECT SUM(stock) FROM product") == stockBefore)
    }
}
