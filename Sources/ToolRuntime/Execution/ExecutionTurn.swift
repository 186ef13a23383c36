/// The bookkeeping of one response's calls inside ``ToolExecutor``: which wait (and whether they may
/// start yet), which run and until when, which are done. A value type with no concurrency, so the rules
/// are plain code.
///
/// A slot's state is kept apart from its call, tool and arguments, so that scanning and updating states
/// (done for every call at every step) copies no call.
struct ExecutionTurn<Instant: InstantProtocol> {
    private enum State {
        /// Validated; `eligible` once it may start (at once for eager calls, after the finish for others).
        case waiting(eligible: Bool)
        case running(deadline: Instant?)
        case done
    }

    private struct Slot {
        var state: State
        let call: ToolCall
        /// `nil` for a call refused before running.
        let tool: Tool?
        let arguments: JSONValue
        var ending: ToolOutcome.Ending?
    }

    private var slots: [Slot] = []
    /// Slots before this index are not waiting: the scan for the next call to start begins here.
    private var firstWaiting = 0
    /// Calls running now (a call past its deadline no longer counts).
    private(set) var running = 0
    /// Calls waiting or running.
    private(set) var unresolved = 0

    /// Records a call refused before running.
    mutating func record(_ call: ToolCall, _ ending: ToolOutcome.Ending) {
        slots.append(Slot(state: .done, call: call, tool: nil, arguments: .null, ending: ending))
    }

    /// Adds a call that passed validation.
    mutating func admit(_ call: ToolCall, tool: Tool, arguments: JSONValue, eligible: Bool) {
        slots.append(Slot(state: .waiting(eligible: eligible), call: call, tool: tool, arguments: arguments))
        unresolved += 1
    }

    /// The response finished with a reason that allows execution: every waiting call may start.
    mutating func makeAllEligible() {
        for slot in slots.indices[firstWaiting...] {
            if case .waiting(eligible: false) = slots[slot].state { slots[slot].state = .waiting(eligible: true) }
        }
    }

    /// Starts the first waiting call that may start, in call-arrival order: marks it running until
    /// `deadline(tool)` and returns it, or returns `nil` when none may start.
    mutating func startNext(
        deadline: (Tool) -> Instant?
    ) -> (slot: Int, call: ToolCall, tool: Tool, arguments: JSONValue, deadline: Instant?)? {
        while firstWaiting < slots.count, !isWaiting(firstWaiting) { firstWaiting += 1 }
        for slot in slots.indices[firstWaiting...] {
            guard case .waiting(eligible: true) = slots[slot].state, let tool = slots[slot].tool else { continue }
            let limit = deadline(tool)
            slots[slot].state = .running(deadline: limit)
            running += 1
            return (slot, slots[slot].call, tool, slots[slot].arguments, limit)
        }
        return nil
    }

    /// Sets the deadline of a running call started without one.
    mutating func setDeadline(_ slot: Int, _ deadline: Instant) {
        guard case .running = slots[slot].state else { return }
        slots[slot].state = .running(deadline: deadline)
    }

    /// Puts a call started but not yet run back to wait, first in line again.
    mutating func release(_ slot: Int) {
        guard case .running = slots[slot].state else { return }
        slots[slot].state = .waiting(eligible: true)
        running -= 1
        firstWaiting = min(firstWaiting, slot)
    }

    private func isWaiting(_ slot: Int) -> Bool {
        if case .waiting = slots[slot].state { return true }
        return false
    }

    /// Records how a call ended; ignored when the call already timed out.
    mutating func complete(_ slot: Int, _ ending: ToolOutcome.Ending) {
        guard case .running = slots[slot].state else { return }
        finish(slot, ending)
        running -= 1
        unresolved -= 1
    }

    private mutating func finish(_ slot: Int, _ ending: ToolOutcome.Ending) {
        slots[slot].state = .done
        slots[slot].ending = ending
    }

    /// The earliest deadline of the running calls.
    var earliestDeadline: Instant? {
        var earliest: Instant?
        for slot in slots.indices {
            if case .running(let deadline?) = slots[slot].state, earliest.map({ deadline < $0 }) ?? true {
                earliest = deadline
            }
        }
        return earliest
    }

    /// Ends every running call whose deadline has passed as `timedOut` says.
    mutating func expire(now: Instant, _ timedOut: (ToolCall, Tool) -> ToolOutcome.Ending) {
        for slot in slots.indices {
            if case .running(let deadline?) = slots[slot].state, deadline <= now, let tool = slots[slot].tool {
                finish(slot, timedOut(slots[slot].call, tool))
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
            if case .done = slots[slot].state, case .failure(let error)? = slots[slot].ending?.result,
                error.code != .cancelled, error.code != .timedOut
            {
                continue
            }
            let call = slots[slot].call
            let error = ToolCallError(
                code: .notExecuted,
                toolName: call.name,
                callID: call.id,
                message: "The response \(why) before it was complete, so \(call.name) was not run. Ask again if it is still needed."
            )
            finish(slot, ToolOutcome.Ending(result: .failure(error), duration: .zero))
        }
        running = 0
        unresolved = 0
    }

    /// The outcomes in call order (choice, then index within the choice).
    var outcomes: [ToolOutcome] {
        var done: [ToolOutcome] = []
        done.reserveCapacity(slots.count)
        // Calls arrive in call order unless a stream interleaves choices: sort only then. The order is
        // checked on the slots' calls in place (pairing the outcomes copied each one twice).
        var inOrder = true
        var previous: (choice: Int, index: Int)?
        for slot in slots.indices {
            guard let ending = slots[slot].ending else { continue }
            let position = (choice: slots[slot].call.choiceIndex, index: slots[slot].call.index)
            if let previous, position < previous { inOrder = false }
            previous = position
            done.append(ToolOutcome(call: slots[slot].call, ending))
        }
        if !inOrder { done.sort { ($0.call.choiceIndex, $0.call.index) < ($1.call.choiceIndex, $1.call.index) } }
        return done
    }
}
