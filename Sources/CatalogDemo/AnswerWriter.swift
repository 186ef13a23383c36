import ToolRuntime

/// Fixed sentences of the offline model, in both languages.
struct Phrases {
    let language: Language

    var checking: String { de("Einen Moment, ich sehe nach.", "Let me check that for you.") }
    var placing: String { de("Ich gebe die Bestellung auf.", "I'll place the order now.") }
    var nowDiscount: String { de("Jetzt noch Ihr Preis mit Rabatt.", "Now your price with your discount.") }
    var closing: String { de("Kann ich sonst noch helfen?", "Anything else I can help with?") }
    var help: String {
        de(
            "Ich kann Produkte suchen (z. B. „Habt ihr Kopfhörer unter 100 €?“), Verfügbarkeit und Preis prüfen "
                + "(„Ist SKU-2024-BF auf Lager?“), Ihren Rabatt berechnen, den Status einer Bestellung abfragen "
                + "(„Wo ist ORD-100001?“), bestellen und stornieren.",
            "I can search products (\"Do you have headphones under 100 €?\"), check stock and price (\"Is "
                + "SKU-2024-BF in stock?\"), work out your discount, look up an order (\"Where is ORD-100001?\"), "
                + "place orders and cancel them."
        )
    }

    func de(_ german: String, _ english: String) -> String { language == .german ? german : english }
    func money(_ cents: Int64) -> String { Money.format(cents: cents, language: language) }
}

/// Writes the final answer from the tool results of the turn, one or two sentences per result,
/// in call order. Every number in it comes from a result, none is made up.
struct AnswerWriter {
    let phrases: Phrases

    func answer(for results: [Transcript.Result]) -> String {
        var sentences: [String] = []
        var listPrice: Int64?
        // The price with discount belongs right after the product; the rest stays in call order.
        let priority = ["get_product_info": 0, "calculate_discount": 1]
        let ordered = results.enumerated().sorted {
            (priority[$0.element.name] ?? 2, $0.offset) < (priority[$1.element.name] ?? 2, $1.offset)
        }.map(\.element)
        for result in ordered {
            let reader = ResultReader(result.content)
            if let message = reader.errorMessage {
                sentences.append(failure(result, message: message))
                continue
            }
            switch result.name {
            case "get_product_info":
                listPrice = reader.priceCents
                sentences.append(product(reader))
            case "calculate_discount":
                sentences.append(discount(reader, listPrice: listPrice))
            case "check_order_status":
                sentences.append(orderStatus(reader))
            case "place_order":
                sentences.append(placedOrder(reader))
            case "cancel_order":
                sentences.append(cancelledOrder(reader, arguments: result.arguments))
            case "search_products":
                sentences.append(search(reader))
            default:
                sentences.append(phrases.de("\(result.name): \(result.content.jsonText)", "\(result.name): \(result.content.jsonText)"))
            }
        }
        sentences.append(phrases.closing)
        return sentences.joined(separator: " ")
    }

    private func name(_ reader: ResultReader) -> String {
        (phrases.language == .german ? reader.string("name_de", "name") : reader.string("name_en", "name"))
            ?? reader.string("name_de", "name_en", "product_id") ?? "?"
    }

    private func product(_ reader: ResultReader) -> String {
        let sku = reader.string("product_id", "id", "sku").map { " (\($0))" } ?? ""
        let stock = reader.int("stock", "in_stock_quantity", "available_quantity", "quantity_available")
        let price = reader.priceCents.map(phrases.money) ?? "?"
        let note =
            (phrases.language == .german
            ? reader.string("shipping_note_de", "shipping_note") : reader.string("shipping_note_en", "shipping_note"))
            .map { " " + $0 } ?? ""
        if let stock, stock > 0 {
            return phrases.de(
                "\(name(reader))\(sku) ist auf Lager: \(stock) Stück, Listenpreis \(price).\(note)",
                "\(name(reader))\(sku) is in stock: \(stock) available at a list price of \(price).\(note)"
            )
        }
        return phrases.de(
            "\(name(reader))\(sku) ist leider ausverkauft (Listenpreis \(price)).",
            "\(name(reader))\(sku) is sold out at the moment (list price \(price))."
        )
    }

    private func discount(_ reader: ResultReader, listPrice: Int64?) -> String {
        let percent = reader.int("discount_percent", "percent", "discount_pct")
        let tier = reader.string("applied_tier", "pricing_tier", "tier", "customer_tier")
        let total = reader.cents(
            "final_total_cents",
            "discounted_total_cents",
            "total_after_discount_cents",
            "final_price_cents",
            "total_cents",
            "final_total",
            "discounted_total",
            "final_price",
            "total"
        )
        let label = [tier, percent.map { "\($0) %" }].compactMap { $0 }.joined(separator: ", ")
        let was = listPrice.map { phrases.de(" statt \(phrases.money($0))", " instead of \(phrases.money($0))") } ?? ""
        guard let total else { return phrases.de("Ihr Rabatt: \(label).", "Your discount: \(label).") }
        return phrases.de(
            "Mit Ihrem Rabatt (\(label)) zahlen Sie \(phrases.money(total))\(was).",
            "With your discount (\(label)) you pay \(phrases.money(total))\(was)."
        )
    }

    private func orderStatus(_ reader: ResultReader) -> String {
        let id = reader.string("order_id", "id") ?? "?"
        let status = reader.string("status") ?? "?"
        var sentence = phrases.de(
            "Ihre Bestellung \(id) ist \(germanStatus(status)).",
            "Your order \(id) is \(status)."
        )
        if let carrier = reader.string("carrier"), let tracking = reader.string("tracking_number", "tracking") {
            sentence += phrases.de(" Sendungsnummer \(carrier) \(tracking).", " Tracking: \(carrier) \(tracking).")
        }
        if let eta = reader.string("estimated_delivery", "eta"), status != "delivered" {
            sentence += phrases.de(" Voraussichtliche Lieferung: \(eta).", " Expected delivery: \(eta).")
        }
        return sentence
    }

    private func placedOrder(_ reader: ResultReader) -> String {
        let id = reader.string("order_id", "id") ?? "?"
        let total = reader.cents("total_cents", "total").map(phrases.money) ?? "?"
        let status = reader.string("status").map { phrases.de(" (\(germanStatus($0)))", " (\($0))") } ?? ""
        return phrases.de(
            "Erledigt: Bestellung \(id) ist aufgegeben\(status), Gesamtbetrag \(total).",
            "Done: order \(id) is placed\(status), total \(total)."
        )
    }

    private func cancelledOrder(_ reader: ResultReader, arguments: JSONValue) -> String {
        let id = reader.string("order_id", "id") ?? arguments["order_id"]?.string ?? "?"
        return phrases.de("Bestellung \(id) ist storniert.", "Order \(id) is cancelled.")
    }

    private func search(_ reader: ResultReader) -> String {
        let items = reader.items
        guard !items.isEmpty else { return phrases.de("Dazu habe ich nichts gefunden.", "I found nothing for that.") }
        let listed = items.prefix(3).map { item -> String in
            let entry = ResultReader(item)
            let price = entry.priceCents.map { ", " + phrases.money($0) } ?? ""
            let sku = entry.string("product_id", "id", "sku").map { " (\($0)\(price))" } ?? ""
            return name(entry) + sku
        }
        return phrases.de(
            "Ich habe \(items.count) Treffer, zum Beispiel: \(listed.joined(separator: "; ")).",
            "I found \(items.count) matches, for example: \(listed.joined(separator: "; "))."
        )
    }

    private func failure(_ result: Transcript.Result, message: String) -> String {
        phrases.de(
            "\(result.name) hat nicht geklappt: \(message)",
            "\(result.name) did not work: \(message)"
        )
    }

    private func germanStatus(_ status: String) -> String {
        guard phrases.language == .german else { return status }
        let names = [
            "pending": "in Bearbeitung", "paid": "bezahlt", "shipped": "versandt", "delivered": "zugestellt",
            "cancelled": "storniert",
        ]
        return names[status] ?? status
    }
}
