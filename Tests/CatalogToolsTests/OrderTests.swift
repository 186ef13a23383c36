import CatalogTools
import Foundation
import GRDB
import Testing

@Suite struct OrderTests {
    @Test func thousandConcurrentOrdersSellExactlyTheStock() async throws {
        let file = try TemporaryDatabase()
        let store = try CatalogStore.open(path: file.path, configuration: configuration())
        #expect(try await stock(store, Seed.headphones) == 23)
        let ordersBefore = try await count(store, "SELECT COUNT(*) FROM orders")

        let outcomes = await withTaskGroup(of: Result<OrderDetails, any Error>.self) { group in
            for i in 0..<1_000 {
                group.addTask {
                    let customer = [Seed.gold, Seed.standard, Seed.silver][i % 3]
                    do {
                        return .success(try await store.placeOrder(one(Seed.headphones), customerID: customer, callID: "bf-\(i)"))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var all: [Result<OrderDetails, any Error>] = []
            for await outcome in group { all.append(outcome) }
            return all
        }

        let placed = outcomes.compactMap { try? $0.get() }
        let failures = outcomes.compactMap { outcome -> (any Error)? in
            if case .failure(let error) = outcome { return error }
            return nil
        }
        #expect(placed.count == 23)
        #expect(Set(placed.map(\.id)).count == 23)
        #expect(failures.count == 977)
        #expect(failures.allSatisfy { ($0 as? CatalogError)?.code == .outOfStock })
        #expect(failures.allSatisfy { ($0 as? CatalogError)?.available == 0 })
        #expect(try await stock(store, Seed.headphones) == 0)
        #expect(try await count(store, "SELECT COUNT(*) FROM orders") == ordersBefore + 23)
        #expect(try await count(store, "SELECT COUNT(*) FROM tool_call_result") == 1_000)
    }

    @Test func replayingACallIDReturnsTheFirstResultAndChangesNothing() async throws {
        let file = try TemporaryDatabase()
        var store: CatalogStore? = try CatalogStore.open(path: file.path, configuration: configuration())
        let request = OrderRequest(items: [.init(productID: Seed.headphones, quantity: 2)])
        let first = try await store!.placeOrder(request, customerID: Seed.standard, callID: "call_1")
        let again = try await store!.placeOrder(request, customerID: Seed.standard, callID: "call_1")
        #expect(again == first)
        #expect(try await stock(store!, Seed.headphones) == 21)
        let orders = try await count(store!, "SELECT COUNT(*) FROM orders")

        store = nil  // close the pool: the next store reads the file anew, as after a restart
        let reopened = try CatalogStore.open(path: file.path, configuration: configuration())
        let afterRestart = try await reopened.placeOrder(request, customerID: Seed.standard, callID: "call_1")
        #expect(afterRestart == first)
        #expect(try await stock(reopened, Seed.headphones) == 21)
        #expect(try await count(reopened, "SELECT COUNT(*) FROM orders") == orders)
    }

    @Test func replayingAFailedCallRepeatsTheFailure() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let tooMany = one(Seed.headphones, 24)
        let first = try await catalogError { try await store.placeOrder(tooMany, customerID: Seed.gold, callID: "c") }
        #expect(first?.code == .outOfStock)
        #expect(first?.available == 23)
        let replay = try await catalogError { try await store.placeOrder(tooMany, customerID: Seed.gold, callID: "c") }
        #expect(replay == first)
        #expect(try await stock(store, Seed.headphones) == 23)
    }

    @Test func reusingACallIDForOtherArgumentsIsAConflict() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        _ = try await store.placeOrder(one(Seed.headphones), customerID: Seed.gold, callID: "same")
        let conflict = try await catalogError {
            try await store.placeOrder(one(Seed.headphones, 3), customerID: Seed.gold, callID: "same")
        }
        #expect(conflict?.code == .idempotencyConflict)
        #expect(try await stock(store, Seed.headphones) == 22)
    }

    @Test func callIDsOfDifferentCustomersDoNotCollide() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let a = try await store.placeOrder(one(Seed.headphones), customerID: Seed.gold, callID: "call_x")
        let b = try await store.placeOrder(one(Seed.headphones), customerID: Seed.standard, callID: "call_x")
        #expect(a.id != b.id)
        #expect(try await stock(store, Seed.headphones) == 21)
    }

    @Test func aMultiLineOrderIsAllOrNothing() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let soldOut = try await store.writer.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM product WHERE stock = 0 ORDER BY id")
        }
        let soldOutID = try #require(soldOut)
        let request = OrderRequest(items: [
            .init(productID: Seed.headphones, quantity: 5), .init(productID: soldOutID, quantity: 1),
        ])
        let error = try await catalogError { try await store.placeOrder(request, customerID: Seed.gold, callID: "m") }
        #expect(error?.code == .outOfStock)
        #expect(error?.productID == soldOutID)
        #expect(try await stock(store, Seed.headphones) == 23)
    }

    @Test func repeatedProductsAreCheckedOnTheirTotal() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let request = OrderRequest(items: [
            .init(productID: Seed.headphones, quantity: 20), .init(productID: Seed.headphones, quantity: 4),
        ])
        let error = try await catalogError { try await store.placeOrder(request, customerID: Seed.gold, callID: "r") }
        #expect(error?.code == .outOfStock)
        let ok = OrderRequest(items: [
            .init(productID: Seed.headphones, quantity: 20), .init(productID: Seed.headphones, quantity: 3),
        ])
        let order = try await store.placeOrder(ok, customerID: Seed.gold, callID: "r2")
        #expect(order.lines.count == 1)
        #expect(order.lines.first?.quantity == 23)
        #expect(try await stock(store, Seed.headphones) == 0)
    }

    @Test func unknownProductsAndBadRequestsAreClearErrors() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let unknown = try await catalogError {
            try await store.placeOrder(one("SKU-NOPE"), customerID: Seed.gold, callID: "u")
        }
        #expect(unknown?.code == .productNotFound)
        let zero = try await catalogError {
            try await store.placeOrder(one(Seed.headphones, 0), customerID: Seed.gold, callID: "z")
        }
        #expect(zero?.code == .invalidArgument)
        let empty = try await catalogError {
            try await store.placeOrder(OrderRequest(items: []), customerID: Seed.gold, callID: "e")
        }
        #expect(empty?.code == .invalidArgument)
        let stranger = try await catalogError {
            try await store.placeOrder(one(Seed.headphones), customerID: "CUST-9999", callID: "s")
        }
        #expect(stranger?.code == .unknownCustomer)
        #expect(try await stock(store, Seed.headphones) == 23)
    }

    @Test func anotherCustomersOrderIsNotFoundLikeAMissingOne() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let mine = try await store.placeOrder(one(Seed.headphones), customerID: Seed.gold, callID: "g1")
        #expect(try await store.orderStatus(orderID: mine.id, customerID: Seed.gold) == mine)

        let foreign = try await catalogError { try await store.orderStatus(orderID: mine.id, customerID: Seed.standard) }
        let missing = try await catalogError { try await store.orderStatus(orderID: "ORD-999999", customerID: Seed.standard) }
        #expect(foreign?.code == .orderNotFound)
        #expect(missing?.code == .orderNotFound)
        #expect(foreign?.message.replacingOccurrences(of: mine.id, with: "ORD-999999") == missing?.message)

        let cancel = try await catalogError {
            try await store.cancelOrder(orderID: mine.id, customerID: Seed.standard, callID: "evil")
        }
        #expect(cancel?.code == .orderNotFound)
        #expect(try await store.orderStatus(orderID: mine.id, customerID: Seed.gold).status == .paid)
        #expect(try await stock(store, Seed.headphones) == 22)
    }

    @Test func malformedOrderIDsAreRejected() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        for id in ["ORD-12345", "ORD-1234567", "ord-123456", "ORD-12345x", "' OR 1=1 --"] {
            let error = try await catalogError { try await store.orderStatus(orderID: id, customerID: Seed.gold) }
            #expect(error?.code == .invalidArgument)
        }
    }

    @Test func seededOrdersShowTrackingAndETA() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let order = try await store.orderStatus(orderID: "ORD-100001", customerID: Seed.gold)
        #expect(order.status == .shipped)
        #expect(order.trackingNumber != nil)
        #expect(order.carrier != nil)
        #expect(order.estimatedDelivery != nil)
        #expect(order.totalCents == order.subtotalCents - order.discountCents + order.shippingCents)
        #expect(!order.lines.isEmpty)
    }
}
