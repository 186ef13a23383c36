/// The answer of `calculate_discount`: what a rule takes off a cart, and whether checkout would apply it.
public struct DiscountQuote: Codable, Sendable, Hashable {
    public var cartTotalCents: Int
    /// The rule quoted (the one asked for, or the one checkout applies when none was asked for).
    public var tier: PricingTier
    public var discountPercent: Int
    public var discountCents: Int
    public var totalAfterDiscountCents: Int
    /// The rule `place_order` would apply for this customer right now.
    public var checkoutTier: PricingTier
    /// Whether the quoted rule is the one checkout applies; a tier the customer does not hold is only
    /// a hypothetical.
    public var appliesAtCheckout: Bool
    public var blackFridayActive: Bool

    public init(
        cartTotalCents: Int,
        tier: PricingTier,
        discountPercent: Int,
        discountCents: Int,
        totalAfterDiscountCents: Int,
        checkoutTier: PricingTier,
        appliesAtCheckout: Bool,
        blackFridayActive: Bool
    ) {
        self.cartTotalCents = cartTotalCents
        self.tier = tier
        self.discountPercent = discountPercent
        self.discountCents = discountCents
        self.totalAfterDiscountCents = totalAfterDiscountCents
        self.checkoutTier = checkoutTier
        self.appliesAtCheckout = appliesAtCheckout
        self.blackFridayActive = blackFridayActive
    }

    enum CodingKeys: String, CodingKey {
        case tier
        case cartTotalCents = "cart_total_cents"
        case discountPercent = "discount_percent"
        case discountCents = "discount_cents"
        case totalAfterDiscountCents = "total_after_discount_cents"
        case checkoutTier = "checkout_tier"
        case appliesAtCheckout = "applies_at_checkout"
        case blackFridayActive = "black_friday_active"
    }
}
