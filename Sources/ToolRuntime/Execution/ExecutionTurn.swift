/// The bookkeeping of one response's calls inside ``ToolExecutor``: which wait (and whether they may
/// start yet), which run and until when, which are done. A value type with no concurrency, so the rules
/// are plain code.
struct ExecutionTurn<Instant: InstantProtocol> {
    private enum Slot {
        /// Validated; `eligible` once it may start (at once for eager calls, after the finish for others).
        case waiting(ToolCall, Tool, JSONValue, eligible: Bool)
        case running(ToolCall, Tool, deadline: Instant?)
        case done(ToolOutcome)
    }

    private var slots: [Slot] = []
    /// Slots before this index are not waiting: the scan for the next call to start begins here.
    private var firstWaiting = 0
    /// Calls running now (a call past its deadline no longer counts).
    private(set) var running = 0
    /// Calls waiting or running.
    private(set) var unresolved = 0

    /// Records a call refused before running.
    mutating func record(_ outcome: ToolOutcome) {
        slots.append(.done(outcome))
    }

    /// Adds a call that passed validation.
    mutating func admit(_ call: ToolCall, tool: Tool, arguments: JSONValue, eligible: Bool) {
        slots.append(.waiting(call, tool, arguments, eligible: eligible))
        unresolved += 1
    }

    /// The response finished with a reason that allows execution: every waiting call may start.
    mutating func makeAllEligible() {
        for slot in slots.indices[firstWaiting...] {
            if case .waiting(let call, let tool, let arguments, eligible: false) = slots[slot] {
                slots[slot] = .waiting(call, tool, arguments, eligible: true)
            }
        }
    }

    /// The first waiting call that may start, in call-arrival order.
    mutating func nextEligible() -> (slot: Int, call: ToolCall, tool: Tool, arguments: JSONValue)? {
        while firstWaiting < slots.count, !isWaiting(firstWaiting) { firstWaiting += 1 }
        for slot in slots.indices[firstWaiting...] {
            if case .waiting(let call, let tool, let arguments, eligible: true) = slots[slot] {
                return (slot, call, tool, arguments)
            }
        }
        return nil
    }

    private func isWaiting(_ slot: Int) -> Bool {
        if case .waiting = slots[slot] { return true }
        return false
    }

    mutating func markRunning(_ slot: Int, deadline: Instant?) {
        guard case .waiting(let call, let tool, _, _) = slots[slot] else { return }
        slots[slot] = .running(call, tool, deadline: deadline)
        running += 1
    }

    /// Records a call's outcome; ignored when the call already timed out.
    mutating func complete(_ slot: Int, _ outcome: ToolOutcome) {
        guard case .running = slots[slot] else { return }
        slots[slot] = .done(outcome)
        running -= 1
        unresolved -= 1
    }

    /// The earliest deadline of the running calls.
    var earliestDeadline: Instant? {
        var earliest: Instant?
        for case .running(_, _, let deadline?) in slots where earliest.map({ deadline < $0 }) ?? true {
            earliest = deadline
        }
        return earliest
    }

    /// Turns every running call whose deadline has passed into the outcome `timedOut` makes.
    mutating func expire(now: Instant, _ timedOut: (ToolCall, Tool) -> ToolOutcome) {
        for slot in slots.indices {
            if case .running(let call, let tool, let deadline?) = slots[slot], deadline <= now {
                slots[slot] = .done(timedOut(call, tool))
                running -= 1
                unresolved -= 1
            }
        }
    }

    /// The response stopped for a reason that forbids execution: every admitted call (waiting, running
    /// or already run early) becomes `not_executed`; calls refused outright keep their own error.
    mutating func discardUnfinished(because reason: FinishReason?) {
        let why = reason.map { "stopped for \($0.raw)" } ?? "ended without a finish reason"
        for slot in slots.indices {
            let call: ToolCall
            switch slots[slot] {
            case .waiting(let waiting, _, _, _): call = waiting
            case .running(let running, _, _): call = running
            case .done(let outcome):
                if case .failure(let error) = outcome.result, error.code != .cancelled, error.code != .timedOut {
                    continue
                }
                call = outcome.call
            }
            let error = ToolCallError(
                code: .notExecuted,
                toolName: call.name,
                callID: call.id,
                message: "The response \(why) before it was complete, so \(call.name) was not run. Ask again if it is still needed."
            )
            slots[slot] = .done(ToolOutcome(call: call, result: .failure(error), duration: .zero))
        }
        running = 0
        unresolved = 0
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
