/// The languages the shop's texts exist in.
public enum CatalogLanguage: String, Codable, Sendable, Hashable, CaseIterable {
    case en, de

    /// The language for a BCP 47 tag such as `de-DE` or `en_US`; English for anything else.
    public init(localeIdentifier: String?) {
        let prefix = localeIdentifier?.prefix(2).lowercased()
        self = prefix == "de" ? .de : .en
    }
}
