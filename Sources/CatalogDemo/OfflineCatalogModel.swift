public import ToolRuntime

/// The demo's built-in model: no network, no key, deterministic for a given seed.
///
/// It reads the conversation the way a model does (the last user message, the tool results that
/// followed it, the system prompt's language) and decides with keyword rules, in German and
/// English, which of the offered catalog tools to call, several at once where the question has
/// several parts. After the tool results come back it either asks for a dependent call (the
/// discounted price needs the product's price first) or writes its answer from the results.
///
/// ```swift
/// let model = OfflineCatalogModel(seed: 7)
/// let reply = model.reply(to: messages, tools: registryTools)   // text + calls
/// ```
public struct OfflineCatalogModel: Sendable {
    public var seed: UInt64
    public var name: String

    public init(seed: UInt64 = 2024, name: String = "toolruntime-offline-1") {
        self.seed = seed
        self.name = name
    }

    /// The next assistant turn for `messages` (OpenAI chat wire format) with `tools` offered
    /// (OpenAI `tools` array; only tools in it are called).
    public func reply(to messages: [JSONValue], tools: [JSONValue]) -> OfflineReply {
        let transcript = Transcript(messages: messages)
        let offered = Set(tools.compactMap { $0["function"]?["name"]?.string ?? $0["name"]?.string })
        let toolSchemas = Dictionary(
            tools.compactMap { tool -> (String, JSONValue)? in
                guard let name = tool["function"]?["name"]?.string ?? tool["name"]?.string else { return nil }
                return (name, tool["function"]?["parameters"] ?? tool["parameters"] ?? tool["input_schema"] ?? .null)
            },
            uniquingKeysWith: { first, _ in first }
        )
        let intent = Intent(text: transcript.userText)
        let phrases = Phrases(language: transcript.language)
        var planned: [(name: String, arguments: JSONValue)] = []
        var text: String

        if transcript.results.isEmpty {
            planned = firstStep(intent: intent, transcript: transcript, schemas: toolSchemas)
            text = planned.isEmpty ? phrases.help : (intent.wantsOrder ? phrases.placing : phrases.checking)
        } else if intent.wantsDiscount, offered.contains("calculate_discount"),
            !transcript.results.contains(where: { $0.name == "calculate_discount" }),
            let price = transcript.results.lazy.compactMap({ ResultReader($0.content).priceCents }).first
        {
            planned = [("calculate_discount", discountArguments(cents: price, schema: toolSchemas["calculate_discount"]))]
            text = phrases.nowDiscount
        } else {
            text = AnswerWriter(phrases: phrases).answer(for: transcript.results)
        }
        planned = planned.filter { offered.contains($0.name) }
        if planned.isEmpty, transcript.results.isEmpty { text = phrases.help }

        var random = SeededRandom(seed: seed, transcript.userText, "turn \(transcript.assistantTurns)")
        let calls = planned.map { call in
            OfflineReply.Call(id: Self.callID(using: &random), name: call.name, arguments: call.arguments)
        }
        return OfflineReply(text: text, calls: calls)
    }

    /// Calls that answer the user's message directly, in the order the question asks them.
    private func firstStep(
        intent: Intent,
        transcript: Transcript,
        schemas: [String: JSONValue]
    ) -> [(name: String, arguments: JSONValue)] {
        var calls: [(name: String, arguments: JSONValue)] = []
        var orderSKUs: [String] = []
        if intent.wantsOrder {
            orderSKUs = intent.skus.isEmpty ? transcript.lastSKU.map { [$0] } ?? [] : intent.skus
        }
        for sku in intent.skus where !orderSKUs.contains(sku) {
            calls.append(("get_product_info", ["product_id": .string(sku)]))
        }
        for order in intent.orderIDs {
            calls.append((intent.wantsCancel ? "cancel_order" : "check_order_status", ["order_id": .string(order)]))
        }
        if !orderSKUs.isEmpty {
            let items: [JSONValue] = orderSKUs.map {
                ["product_id": .string($0), "quantity": .number(JSONNumber(intent.quantity))]
            }
            calls.append(("place_order", ["items": .array(items)]))
        }
        if calls.isEmpty, let query = intent.searchQuery {
            var arguments: JSONObject = ["query": .string(query), "limit": 5]
            // The schema says how a price is passed (`max_price_cents` as an integer, or `max_price`).
            let properties = schemas["search_products"]?["properties"]?.object
            if let maxPrice = intent.maxPriceCents,
                let key = properties?.keys.first(where: { $0.hasPrefix("max_price") }) ?? (properties == nil ? "max_price" : nil)
            {
                arguments[key] = Money.amount(cents: maxPrice, schema: properties?[key])
            }
            if intent.wantsStock { arguments["in_stock_only"] = true }
            calls.append(("search_products", .object(arguments)))
        }
        return calls
    }

    private func discountArguments(cents: Int64, schema: JSONValue?) -> JSONValue {
        let properties = schema?["properties"]?.object
        let key = properties?.keys.first { $0.contains("total") || $0.contains("amount") } ?? "cart_total"
        return .object([key: Money.amount(cents: cents, schema: properties?[key])])
    }

    /// `call_` and 24 characters, as OpenAI ids look.
    static func callID(using random: inout SeededRandom) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return "call_" + String((0..<24).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
    }
}

/// What the model reads out of the message list.
struct Transcript {
    struct Result {
        var name: String
        var arguments: JSONValue
        var content: JSONValue
    }

    var userText = ""
    var language = Language.english
    /// Tool results after the last user message, in call order.
    var results: [Result] = []
    /// Assistant messages so far: distinguishes the steps of a conversation for call ids.
    var assistantTurns = 0
    /// The last product id mentioned anywhere (user text or tool arguments): what "order it" means.
    var lastSKU: String?

    init(messages: [JSONValue]) {
        var systemText = ""
        var callNames: [String: (String, JSONValue)] = [:]
        for message in messages {
            let content = Self.text(of: message["content"])
            switch message["role"]?.string {
            case "system", "developer":
                systemText += content
            case "user":
                userText = content
                results = []
                if let sku = Intent.skus(in: content).last { lastSKU = sku }
            case "assistant":
                assistantTurns += 1
                for call in message["tool_calls"]?.array ?? [] {
                    guard let id = call["id"]?.string, let name = call["function"]?["name"]?.string else { continue }
                    let arguments = (call["function"]?["arguments"]?.string).flatMap { try? JSONParser.parse($0) } ?? .null
                    callNames[id] = (name, arguments)
                    if let sku = Intent.skus(in: arguments.jsonText).last { lastSKU = sku }
                }
            case "tool":
                let id = message["tool_call_id"]?.string ?? ""
                let (name, arguments) = callNames[id] ?? ("", .null)
                let parsed = (try? JSONParser.parse(content)) ?? .string(content)
                results.append(Result(name: name, arguments: arguments, content: parsed))
            default:
                break
            }
        }
        language = Language(systemPrompt: systemText, userText: userText)
    }

    /// `content` as text: a string, or the text parts of an array of content parts.
    static func text(of content: JSONValue?) -> String {
        if let string = content?.string { return string }
        return (content?.array ?? []).compactMap { $0["text"]?.string }.joined(separator: "\n")
    }
}

enum Language: String, Sendable {
    case english = "en"
    case german = "de"

    /// The system prompt decides when it names a language; otherwise the user's words do.
    init(systemPrompt: String, userText: String) {
        let system = systemPrompt.lowercased()
        if system.contains("german") || system.contains("deutsch") || system.contains("language: de") {
            self = .german
            return
        }
        if system.contains("english") || system.contains("language: en") {
            self = .english
            return
        }
        let germanWords: Set<String> = [
            "ist", "und", "mein", "meine", "meiner", "meines", "bitte", "bestellung", "wie", "viel", "kostet", "der",
            "die", "das", "mit", "auf", "lager", "ich", "habt", "ihr", "es", "noch", "rabatt", "wo", "stück",
        ]
        let words = Intent.words(userText)
        let german = words.filter { germanWords.contains($0) }.count
        self = german * 4 >= max(words.count, 1) && german >= 2 ? .german : .english
    }
}
