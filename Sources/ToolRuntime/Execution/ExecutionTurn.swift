/// The bookkeeping of one response's calls inside ``ToolExecutor``: which were admitted, which wait for
/// the finish reason, which finished. A value type with no concurrency, so the rules are plain code.
struct ExecutionTurn {
    private enum Slot {
        case held(ToolCall, Tool, JSONValue)
        case running(ToolCall)
        case done(ToolOutcome)
    }

    private var slots: [Slot] = []

    /// Adds a call that passed validation; returns its slot.
    mutating func admit(_ call: ToolCall) -> Int {
        slots.append(.running(call))
        return slots.count - 1
    }

    /// Parks a validated call until the response finishes.
    mutating func hold(_ slot: Int, tool: Tool, arguments: JSONValue) {
        if case .running(let call) = slots[slot] { slots[slot] = .held(call, tool, arguments) }
    }

    /// Records a call refused before running.
    mutating func record(_ outcome: ToolOutcome) {
        slots.append(.done(outcome))
    }

    func call(at slot: Int) -> ToolCall {
        switch slots[slot] {
        case .held(let call, _, _), .running(let call): call
        case .done(let outcome): outcome.call
        }
    }

    /// Every held call, now marked running.
    mutating func takeHeld() -> [(slot: Int, tool: Tool, arguments: JSONValue)] {
        var started: [(Int, Tool, JSONValue)] = []
        for slot in slots.indices {
            if case .held(let call, let tool, let arguments) = slots[slot] {
                slots[slot] = .running(call)
                started.append((slot, tool, arguments))
            }
        }
        return started
    }

    mutating func complete(_ slot: Int, _ outcome: ToolOutcome) {
        slots[slot] = .done(outcome)
    }

    /// The response stopped for a reason that forbids execution: every admitted call (held, running or
    /// already run early) becomes `not_executed`; calls refused outright keep their own error.
    mutating func discardUnfinished(because reason: FinishReason?) {
        let why = reason.map { "stopped for \($0.raw)" } ?? "ended without a finish reason"
        for slot in slots.indices {
            let call: ToolCall
            switch slots[slot] {
            case .held(let held, _, _): call = held
            case .running(let running): call = running
            case .done(let outcome):
                if case .failure(let error) = outcome.result, error.code != .cancelled { continue }
                call = outcome.call
            }
            let error = ToolCallError(
                code: .notExecuted, toolName: call.name, callID: call.id,
                message: "The response \(why) before it was complete, so \(call.name) was not run. Ask again if it is still needed.")
            slots[slot] = .done(ToolOutcome(call: call, result: .failure(error), duration: .zero))
        }
    }

    /// The outcomes in call order (choice, then index within the choice).
    var outcomes: [ToolOutcome] {
        let done = slots.compactMap { slot -> ToolOutcome? in
            if case .done(let outcome) = slot { return outcome }
            return nil
        }
        return done.sorted { ($0.call.choiceIndex, $0.call.index) < ($1.call.choiceIndex, $1.call.index) }
    }
}
