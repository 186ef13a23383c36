public import Foundation

/// A price rule: the customer tiers of the shop plus the Black Friday campaign rate.
///
/// The rule, stated once and used everywhere (quotes, checkout, seed data):
/// the discount is taken on the order's merchandise subtotal as a whole (not per line, never on
/// shipping) and rounded half-up to the cent: `discount = (subtotal × percent + 50) / 100` in integer
/// cents. Inside the Black Friday window a customer gets the better of their tier and `black_friday`;
/// rates never stack.
public enum PricingTier: String, Codable, Sendable, Hashable, CaseIterable {
    case standard
    case silver
    case gold
    case blackFriday = "black_friday"

    /// The discount in whole percent.
    public var percent: Int {
        switch self {
        case .standard: 0
        case .silver: 5
        case .gold: 15
        case .blackFriday: 25
        }
    }

    /// The discount on `subtotalCents` (≥ 0), rounded half-up to the cent.
    ///
    /// ```swift
    /// PricingTier.silver.discountCents(on: 8999)  // 450 (449.95 rounds up)
    /// ```
    public func discountCents(on subtotalCents: Int) -> Int {
        precondition(subtotalCents >= 0, "subtotals are never negative; callers validate input first")
        return (subtotalCents * percent + 50) / 100
    }

    /// The rate charged at checkout for a customer of `tier` at `date`.
    public static func checkout(tier: CustomerTier, at date: Date, blackFriday: CampaignWindow?) -> PricingTier {
        let own = tier.pricingTier
        guard let blackFriday, blackFriday.contains(date), PricingTier.blackFriday.percent > own.percent else {
            return own
        }
        return .blackFriday
    }
}

/// The tier stored with a customer account (Black Friday is a campaign, not a tier one can hold).
public enum CustomerTier: String, Codable, Sendable, Hashable, CaseIterable {
    case standard, silver, gold

    /// The price rule of this tier outside any campaign.
    public var pricingTier: PricingTier {
        switch self {
        case .standard: .standard
        case .silver: .silver
        case .gold: .gold
        }
    }
}
