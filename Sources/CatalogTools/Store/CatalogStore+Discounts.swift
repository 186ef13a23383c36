import GRDB

extension CatalogStore {
    /// What `tier` takes off a cart of `cartTotalCents` (see ``PricingTier`` for the rounding rule).
    ///
    /// Without `tier`, quotes the rule checkout would apply to `customerID` now. With a `tier` the
    /// customer does not hold, the quote is a hypothetical and says so (`appliesAtCheckout == false`):
    /// `place_order` always charges with the customer's own tier, whatever the model claims.
    ///
    /// - Throws: ``CatalogError`` `invalid_argument` for a negative or absurd total.
    public func discountQuote(
        cartTotalCents: Int,
        tier: PricingTier? = nil,
        customerID: String?
    ) async throws
        -> DiscountQuote
    {
        guard (0...Self.maxCartCents).contains(cartTotalCents) else {
            throw CatalogError.invalid("cart_total_cents must be between 0 and \(Self.maxCartCents).")
        }
        let now = configuration.now()
        let window = configuration.blackFriday
        let own: CustomerTier =
            if let customerID {
                try await read { db in try Customer.fetchOne(db, key: customerID)?.tier } ?? .standard
            } else {
                .standard
            }
        let checkout = PricingTier.checkout(tier: own, at: now, blackFriday: window)
        let quoted = tier ?? checkout
        let discount = quoted.discountCents(on: cartTotalCents)
        return DiscountQuote(
            cartTotalCents: cartTotalCents,
            tier: quoted,
            discountPercent: quoted.percent,
            discountCents: discount,
            totalAfterDiscountCents: cartTotalCents - discount,
            checkoutTier: checkout,
            appliesAtCheckout: quoted == checkout,
            blackFridayActive: window?.contains(now) ?? false
        )
    }

    /// 10 million euros: far above any real cart, far below integer overflow.
    static let maxCartCents = 1_000_000_000
}
