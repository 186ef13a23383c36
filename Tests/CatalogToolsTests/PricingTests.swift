import CatalogTools
import Foundation
import GRDB
import Testing

@Suite struct PricingTests {
    /// Half-up to the cent, on the whole subtotal: 8999 × 5 % = 449.95 → 450; 8999 × 15 % = 1349.85
    /// → 1350; 8999 × 25 % = 2249.75 → 2250; exact halves round up, below-half rounds down.
    @Test(arguments: [
        (PricingTier.standard, 8999, 0), (.silver, 8999, 450), (.gold, 8999, 1350), (.blackFriday, 8999, 2250),
        (.silver, 10, 1), (.silver, 9, 0), (.gold, 10, 2), (.gold, 3, 0), (.blackFriday, 2, 1), (.blackFriday, 1, 0),
        (.gold, 0, 0), (.silver, 1_000_000_000, 50_000_000),
    ])
    func discountRoundsHalfUpToTheCent(tier: PricingTier, subtotal: Int, discount: Int) {
        #expect(tier.discountCents(on: subtotal) == discount)
    }

    /// One headphone (89.99 €, free shipping from 50 € of goods): the charged total per tier.
    @Test(arguments: [
        (Seed.standard, TestClock.ordinary, PricingTier.standard, 8999),
        (Seed.silver, TestClock.ordinary, .silver, 8549),
        (Seed.gold, TestClock.ordinary, .gold, 7649),
        (Seed.standard, TestClock.blackFriday, .blackFriday, 6749),
        (Seed.gold, TestClock.blackFriday, .blackFriday, 6749),
    ])
    func checkoutChargesTheRealTierToTheCent(customer: String, now: Date, tier: PricingTier, total: Int) async throws {
        let store = try CatalogStore.inMemory(configuration: configuration(now: now))
        let order = try await store.placeOrder(one(Seed.headphones), customerID: customer, callID: "t")
        #expect(order.pricingTier == tier)
        #expect(order.subtotalCents == 8999)
        #expect(order.discountCents == tier.discountCents(on: 8999))
        #expect(order.shippingCents == 0)
        #expect(order.totalCents == total)
    }

    @Test func shippingIsChargedBelowTheThreshold() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let cheap = try await store.writer.read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT p.id FROM product p JOIN shipping_profile s ON s.id = p.shipping_profile_id
                    WHERE s.id = 'standard' AND p.price_cents < 5000 AND p.stock > 0 ORDER BY p.id
                    """
            )
        }
        let productID = try #require(cheap)
        let info = try await store.productInfo(id: productID)
        let order = try await store.placeOrder(one(productID), customerID: Seed.standard, callID: "s")
        #expect(order.shippingCents == 499)
        #expect(order.totalCents == info.priceCents + 499)
        #expect(order.estimatedDelivery == "2026-11-22")
    }

    @Test func aClaimedTierIsOnlyAHypothetical() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let claimed = try await store.discountQuote(cartTotalCents: 8999, tier: .gold, customerID: Seed.standard)
        #expect(claimed.discountCents == 1350)
        #expect(claimed.appliesAtCheckout == false)
        #expect(claimed.checkoutTier == .standard)
        let own = try await store.discountQuote(cartTotalCents: 8999, customerID: Seed.silver)
        #expect(own.tier == .silver)
        #expect(own.appliesAtCheckout)
        #expect(own.totalAfterDiscountCents == 8549)
        // Checkout ignores the claim: the standard customer pays the full price.
        let order = try await store.placeOrder(one(Seed.headphones), customerID: Seed.standard, callID: "claim")
        #expect(order.totalCents == 8999)
    }

    @Test func blackFridayIsACampaignWindow() async throws {
        let during = try CatalogStore.inMemory(configuration: configuration(now: TestClock.blackFriday))
        let quote = try await during.discountQuote(cartTotalCents: 10_000, customerID: Seed.silver)
        #expect(quote.blackFridayActive)
        #expect(quote.tier == .blackFriday)
        #expect(quote.discountCents == 2500)
        let window = CampaignWindow.blackFriday2026
        #expect(window.contains(window.start))
        #expect(!window.contains(window.end))
        #expect(PricingTier.checkout(tier: .gold, at: window.end, blackFriday: window) == .gold)
        #expect(PricingTier.checkout(tier: .gold, at: window.start, blackFriday: nil) == .gold)
    }

    @Test func absurdCartTotalsAreRejected() async throws {
        let store = try CatalogStore.inMemory(configuration: configuration())
        let negative = try await catalogError { try await store.discountQuote(cartTotalCents: -1, customerID: nil) }
        #expect(negative?.code == .invalidArgument)
        let huge = try await catalogError { try await store.discountQuote(cartTotalCents: .max, customerID: nil) }
        #expect(huge?.code == .invalidArgument)
    }
}
