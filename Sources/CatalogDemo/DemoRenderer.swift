public import ToolRuntime

/// Turns a conversation's events into what the demo prints.
///
/// - `terminal`: streaming text, one line per tool call whose arguments grow in place (redrawn
///   with ANSI cursor moves), ✓/✗ with the handler's duration, then usage and cost.
/// - `plain`: the same facts as plain lines, for pipes and logs (no escape codes).
/// - `json`: one JSON object per event (JSON Lines), for other programs.
public struct DemoRenderer {
    public enum Style: Sendable {
        case terminal(width: Int)
        case plain
        case json
    }

    struct CallLine {
        var name: String
        var arguments = ""
        var mark = "⋯"
        var suffix = ""
    }

    public let style: Style
    private let write: (String) -> Void
    private var calls: [Int: CallLine] = [:]
    private var drawnLines = 0
    private var textOpen = false
    private var price: String?

    /// - Parameters:
    ///   - priceLabel: shown beside the cost (e.g. "priced as gpt-4o-mini").
    ///   - write: receives the output, in order.
    public init(style: Style, priceLabel: String? = nil, write: @escaping (String) -> Void) {
        self.style = style
        self.price = priceLabel
        self.write = write
    }

    /// Prints what the user says (the demo's scripted or typed message).
    public mutating func user(_ text: String) {
        switch style {
        case .json: write(JSONValue.object(["event": "user_message", "text": .string(text)]).jsonText + "\n")
        case .terminal: write("\n\u{1B}[1mcustomer ›\u{1B}[0m \(text)\n")
        case .plain: write("\ncustomer > \(text)\n")
        }
    }

    /// Prints a line of the demo's own (database location, checks).
    public mutating func note(_ text: String) {
        switch style {
        case .json: write(JSONValue.object(["event": "note", "text": .string(text)]).jsonText + "\n")
        case .terminal: write("\u{1B}[2m\(text)\u{1B}[0m\n")
        case .plain: write(text + "\n")
        }
    }

    public mutating func render(_ event: ConversationEvent) {
        if case .json = style {
            write(Self.json(event).jsonText + "\n")
            return
        }
        switch event {
        case .stepStarted:
            calls = [:]
            drawnLines = 0
        case .textDelta(let text):
            if !textOpen {
                write(style.isTerminal ? "\u{1B}[1massistant ›\u{1B}[0m " : "assistant > ")
                textOpen = true
            }
            write(text)
        case .reasoningDelta:
            break
        case .callStarted(let index, _, let name):
            closeText()
            if calls[index] == nil {
                calls[index] = CallLine(name: name ?? "?")
                if !style.isTerminal { write("  → \(name ?? "?") started\n") }
            } else if let name {
                calls[index]?.name = name
            }
            redraw()
        case .argumentsGrew(let index, let fragment, _):
            calls[index, default: CallLine(name: "?")].arguments += fragment
            redraw()
        case .callValidated(let call):
            update(call.index, mark: "•", suffix: "validated", plain: "  • \(call.name) \(call.arguments) validated")
        case .callRejected(let outcome):
            update(
                outcome.call.index,
                mark: "✗",
                suffix: "rejected: \(outcome.status)",
                plain: "  ✗ \(outcome.call.name) rejected: \(outcome.status)"
            )
        case .callRunning(let call):
            update(call.index, mark: "▶", suffix: "running", plain: "  ▶ \(call.name) running")
        case .callFinished(let outcome):
            let time = Self.milliseconds(outcome.duration)
            let mark = outcome.isError ? "✗" : "✓"
            let result = Self.clip(outcome.content, 70)
            update(
                outcome.call.index,
                mark: mark,
                suffix: "\(time) → \(result)",
                plain: "  \(mark) \(outcome.call.name) \(time) → \(result)"
            )
        case .stepFinished:
            closeText()
            drawnLines = 0
        case .done(let result):
            closeText()
            write(usageLine(result) + "\n")
        }
    }

    private mutating func closeText() {
        if textOpen {
            write("\n")
            textOpen = false
        }
    }

    private mutating func update(_ index: Int, mark: String, suffix: String, plain: String) {
        calls[index, default: CallLine(name: "?")].mark = mark
        calls[index]?.suffix = suffix
        if style.isTerminal { redraw() } else { write(plain + "\n") }
    }

    /// Rewrites the block of call lines in place: cursor up over the lines drawn before, then each
    /// line cleared and written again. Lines are clipped to the width, so none wraps.
    private mutating func redraw() {
        guard case .terminal(let width) = style else { return }
        var output = drawnLines > 0 ? "\u{1B}[\(drawnLines)A" : ""
        for index in calls.keys.sorted() {
            guard let call = calls[index] else { continue }
            let color =
                switch call.mark {
                case "✓": "\u{1B}[32m"
                case "✗": "\u{1B}[31m"
                case "▶": "\u{1B}[33m"
                default: "\u{1B}[36m"
                }
            var line = "  \(call.mark) \(call.name) \(call.arguments)"
            if !call.suffix.isEmpty { line += "  " + call.suffix }
            output += "\r\u{1B}[2K" + color + Self.clip(line, max(20, width - 1)) + "\u{1B}[0m\n"
        }
        drawnLines = calls.count
        write(output)
    }

    private func usageLine(_ result: ConversationResult) -> String {
        let usage = result.usage
        var line =
            "usage: \(usage.promptTokens ?? 0) prompt + \(usage.completionTokens ?? 0) completion = "
            + "\(usage.totalTokens ?? 0) tokens in \(result.steps.count) requests"
        if let cost = result.cost { line += " · cost \(cost)" + (price.map { " (\($0))" } ?? "") }
        return style.isTerminal ? "\u{1B}[2m" + line + "\u{1B}[0m" : line
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        return micros < 10_000 ? "\(micros / 1000).\(micros % 1000 / 100) ms" : "\(micros / 1000) ms"
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        let flat = String(text.map { $0 == "\n" ? " " : $0 })
        return flat.count <= limit ? flat : String(flat.prefix(max(1, limit - 1))) + "…"
    }

    /// One event as a JSON object: `{"event":"text_delta","text":…}`, `{"event":"call_finished",…}`, …
    static func json(_ event: ConversationEvent) -> JSONValue {
        func call(_ call: ToolCall) -> JSONObject {
            [
                "index": .number(JSONNumber(call.index)), "id": .string(call.id), "name": .string(call.name),
                "arguments": .string(call.arguments),
            ]
        }
        switch event {
        case .stepStarted(let step): return ["event": "step_started", "step": .number(JSONNumber(step))]
        case .textDelta(let text): return ["event": "text_delta", "text": .string(text)]
        case .reasoningDelta(let text): return ["event": "reasoning_delta", "text": .string(text)]
        case .callStarted(let index, let id, let name):
            return [
                "event": "call_started", "index": .number(JSONNumber(index)),
                "id": id.map { .string($0) } ?? .null, "name": name.map { .string($0) } ?? .null,
            ]
        case .argumentsGrew(let index, let fragment, _):
            return ["event": "arguments_grew", "index": .number(JSONNumber(index)), "fragment": .string(fragment)]
        case .callValidated(let validated):
            var object = call(validated)
            object["event"] = "call_validated"
            return .object(object)
        case .callRejected(let outcome), .callFinished(let outcome):
            var object = call(outcome.call)
            if case .callRejected = event { object["event"] = "call_rejected" } else { object["event"] = "call_finished" }
            object["status"] = .string(outcome.status)
            let (seconds, attoseconds) = outcome.duration.components
            object["duration_us"] = .number(JSONNumber(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
            object["result"] = outcome.contentJSON
            return .object(object)
        case .callRunning(let running):
            var object = call(running)
            object["event"] = "call_running"
            return .object(object)
        case .stepFinished(let summary):
            return [
                "event": "step_finished", "step": .number(JSONNumber(summary.step)),
                "finish_reason": summary.finishReason.map { .string($0.raw) } ?? .null,
                "usage": summary.usage?.raw ?? .null,
            ]
        case .done(let result):
            return [
                "event": "done", "usage": result.usage.raw,
                "cost_microcents": result.cost.map { .number(JSONNumber($0.microcents)) } ?? .null,
                "text": .string(result.text),
            ]
        }
    }
}

extension DemoRenderer.Style {
    var isTerminal: Bool {
        if case .terminal = self { return true }
        return false
    }
}
