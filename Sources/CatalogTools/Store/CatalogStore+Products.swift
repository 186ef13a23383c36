import GRDB

extension CatalogStore {
    /// One product, with price, stock and shipping terms.
    ///
    /// - Throws: ``CatalogError`` `product_not_found` for an unknown id.
    public func productInfo(id: String, language: CatalogLanguage = .en) async throws -> ProductInfo {
        let found = try await read { db in try Self.productInfos(db, ids: [id], language: language).first }
        guard let found else { throw CatalogError.productNotFound(id) }
        return found
    }

    /// Products matching `query`, best match first (FTS5 bm25; names weigh more than descriptions).
    ///
    /// Words are matched as prefixes with diacritics folded, so "kopfhorer" and "Kopfh" both find
    /// "Kopfhörer"; a product matching more of the words ranks higher.
    ///
    /// - Throws: ``CatalogError`` `invalid_argument` for a query without letters or digits, a limit
    ///   outside 1…50, a negative price or an unknown category.
    public func searchProducts(_ query: ProductQuery) async throws -> [ProductInfo] {
        guard (1...50).contains(query.limit) else { throw CatalogError.invalid("limit must be between 1 and 50.") }
        if let max = query.maxPriceCents, max < 0 {
            throw CatalogError.invalid("max_price_cents must be 0 or more.")
        }
        guard let match = Self.ftsPattern(query.text) else {
            throw CatalogError.invalid("query must contain at least one word, for example \"headphones\".")
        }
        return try await read { db in
            var categoryID: String?
            if let category = query.category {
                categoryID = try String.fetchOne(
                    db,
                    sql: """
                        SELECT id FROM category
                        WHERE id = lower(:c) OR lower(name_en) = lower(:c) OR lower(name_de) = lower(:c)
                        """,
                    arguments: ["c": category]
                )
                guard categoryID != nil else {
                    let known = try String.fetchAll(db, sql: "SELECT id FROM category ORDER BY id")
                    throw CatalogError.invalid(
                        "Unknown category \(category). Use one of: \(known.joined(separator: ", "))."
                    )
                }
            }
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT p.id
                    FROM product_fts JOIN product p ON p.id = product_fts.product_id
                    WHERE product_fts MATCH :match
                      AND (:category IS NULL OR p.category_id = :category)
                      AND (:maxPrice IS NULL OR p.price_cents <= :maxPrice)
                      AND (:inStockOnly = 0 OR p.stock > 0)
                    ORDER BY bm25(product_fts, 0.0, 10.0, 10.0, 1.0, 1.0), p.id
                    LIMIT :limit
                    """,
                arguments: [
                    "match": match, "category": categoryID, "maxPrice": query.maxPriceCents,
                    "inStockOnly": query.inStockOnly, "limit": query.limit,
                ]
            )
            let infos = try Self.productInfos(db, ids: ids, language: query.language)
            let byID = Dictionary(infos.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            return ids.compactMap { byID[$0] }
        }
    }

    /// An FTS5 query for free text: each word (letters and digits) becomes a quoted prefix term, the
    /// terms are OR-ed and bm25 ranks products matching more of them first. Quoting makes every FTS5
    /// operator in the input plain text; the pattern is then bound as a parameter like any value.
    static func ftsPattern(_ text: String) -> String? {
        let words = text.split { !($0.isLetter || $0.isNumber) }.prefix(16)
        guard !words.isEmpty else { return nil }
        return words.map { "\"\($0)\"*" }.joined(separator: " OR ")
    }

    static func productInfos(_ db: Database, ids: [String], language: CatalogLanguage) throws -> [ProductInfo] {
        let products = try Product.filter(keys: ids).fetchAll(db)
        let categories = try Category.fetchAll(db)
        let profiles = try ShippingProfile.fetchAll(db)
        return products.compactMap { product in
            guard let category = categories.first(where: { $0.id == product.categoryID }),
                let profile = profiles.first(where: { $0.id == product.shippingProfileID })
            else { return nil }  // foreign keys make this unreachable
            return ProductInfo(
                id: product.id,
                categoryID: category.id,
                category: category.name(language),
                name: product.name(language),
                description: product.description(language),
                priceCents: product.priceCents,
                stock: product.stock,
                shippingCents: profile.shippingCents,
                freeShippingFromCents: profile.freeShippingFromCents,
                deliveryDays: profile.deliveryDays,
                shippingNote: profile.note(language)
            )
        }
    }
}
