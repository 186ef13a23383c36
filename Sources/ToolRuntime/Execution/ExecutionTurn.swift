/// The bookkeeping of one response's calls inside ``ToolExecutor``: which wait (and whether they may
/// start yet), which run and until when, which are done. A value type with no concurrency, so the rules
/// are plain code.
///
/// Each call is admitted once, into an ``AdmittedCall`` that the turn and the task running the call
/// share: starting, completing or reporting a call passes one reference, never a copy of the call. The
/// states are kept apart from the calls, in an enum with no payload of the clock's generic type, so
/// that scanning and updating them (done for every call at every step) copies nothing.
struct ExecutionTurn<Instant: InstantProtocol> {
    private var states: [TurnCallState] = []
    private var calls: [AdmittedCall] = []
    /// The deadline of each running call that has one.
    private var deadlines: [Instant?] = []
    private var endings: [ToolOutcome.Ending?] = []
    /// Slots before this index are not waiting: the scan for the next call to start begins here.
    private var firstWaiting = 0
    /// Calls running now (a call past its deadline no longer counts).
    private(set) var running = 0
    /// Calls waiting or running.
    private(set) var unresolved = 0

    /// Makes room for `count` calls at once (a finished response's), rather than growing each array
    /// step by step.
    mutating func reserveCapacity(_ count: Int) {
        states.reserveCapacity(count)
        calls.reserveCapacity(count)
        deadlines.reserveCapacity(count)
        endings.reserveCapacity(count)
    }

    /// Records a call refused before running.
    mutating func record(_ call: ToolCall, context: ToolContext, _ ending: ToolOutcome.Ending) {
        append(.done, AdmittedCall(slot: states.count, call: call, tool: nil, arguments: .null, context: context), ending)
    }

    /// Adds a call that passed validation, with the context its handler gets.
    mutating func admit(_ call: ToolCall, tool: Tool, arguments: JSONValue, context: ToolContext, eligible: Bool) {
        let admitted = AdmittedCall(slot: states.count, call: call, tool: tool, arguments: arguments, context: context)
        append(.waiting(eligible: eligible), admitted, nil)
        unresolved += 1
    }

    private mutating func append(_ state: TurnCallState, _ call: AdmittedCall, _ ending: ToolOutcome.Ending?) {
        states.append(state)
        calls.append(call)
        deadlines.append(nil)
        endings.append(ending)
    }

    /// The response finished with a reason that allows execution: every waiting call may start.
    mutating func makeAllEligible() {
        for slot in states.indices[firstWaiting...] where states[slot] == .waiting(eligible: false) {
            states[slot] = .waiting(eligible: true)
        }
    }

    /// Starts the first waiting call that may start, in call-arrival order: marks it running until
    /// `deadline(tool)` and returns it, or returns `nil` when none may start.
    mutating func startNext(deadline: (Tool) -> Instant?) -> (call: AdmittedCall, tool: Tool, deadline: Instant?)? {
        while firstWaiting < states.count, !states[firstWaiting].isWaiting { firstWaiting += 1 }
        for slot in states.indices[firstWaiting...] where states[slot] == .waiting(eligible: true) {
            guard let tool = calls[slot].tool else { continue }
            let limit = deadline(tool)
            states[slot] = .running
            deadlines[slot] = limit
            running += 1
            return (calls[slot], tool, limit)
        }
        return nil
    }

    /// Sets the deadline of a running call started without one.
    mutating func setDeadline(_ slot: Int, _ deadline: Instant) {
        guard states[slot] == .running else { return }
        deadlines[slot] = deadline
    }

    /// Puts a call started but not yet run back to wait, first in line again.
    mutating func release(_ slot: Int) {
        guard states[slot] == .running else { return }
        states[slot] = .waiting(eligible: true)
        deadlines[slot] = nil
        running -= 1
        firstWaiting = min(firstWaiting, slot)
    }

    /// Records how a call ended; ignored when the call already timed out.
    mutating func complete(_ slot: Int, _ ending: ToolOutcome.Ending) {
        guard states[slot] == .running else { return }
        finish(slot, ending)
        running -= 1
        unresolved -= 1
    }

    private mutating func finish(_ slot: Int, _ ending: ToolOutcome.Ending) {
        states[slot] = .done
        deadlines[slot] = nil
        endings[slot] = ending
    }

    /// The earliest deadline of the running calls.
    var earliestDeadline: Instant? {
        var earliest: Instant?
        for slot in states.indices where states[slot] == .running {
            if let deadline = deadlines[slot], earliest.map({ deadline < $0 }) ?? true { earliest = deadline }
        }
        return earliest
    }

    /// Ends every running call whose deadline has passed as `timedOut` says.
    mutating func expire(now: Instant, _ timedOut: (ToolCall, Tool) -> ToolOutcome.Ending) {
        for slot in states.indices where states[slot] == .running {
            if let deadline = deadlines[slot], deadline <= now, let tool = calls[slot].tool {
                finish(slot, timedOut(calls[slot].call, tool))
                running -= 1
                unresolved -= 1
            }
        }
    }

    /// The response stopped for a reason that forbids execution: every admitted call (waiting, running
    /// or already run early) becomes `not_executed`; calls refused outright keep their own error.
    mutating func discardUnfinished(because reason: FinishReason?) {
        let why = reason.map { "stopped for \($0.raw)" } ?? "ended without a finish reason"
        for slot in states.indices {
            if states[slot] == .done, case .failure(let error)? = endings[slot]?.result,
                error.code != .cancelled, error.code != .timedOut
            {
                continue
            }
            let call = calls[slot].call
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
        done.reserveCapacity(states.count)
        // Calls arrive in call order unless a stream interleaves choices: sort only then. The order is
        // checked on the admitted calls in place (pairing the outcomes copied each one twice).
        var inOrder = true
        var previous: (choice: Int, index: Int)?
        for slot in states.indices {
            guard let ending = endings[slot] else { continue }
            let position = (choice: calls[slot].call.choiceIndex, index: calls[slot].call.index)
            if let previous, position < previous { inOrder = false }
            previous = position
            done.append(ToolOutcome(call: calls[slot].call, ending))
        }
        if !inOrder { done.sort { ($0.call.choiceIndex, $0.call.index) < ($1.call.choiceIndex, $1.call.index) } }
        return done
    }
}

/// Where a call of a turn stands. Kept out of ``ExecutionTurn`` so that it is not generic over the
/// turn's clock: a nested enum was, and each of its copies and tests went through the runtime.
private enum TurnCallState: Equatable {
    /// Validated; `eligible` once it may start (at once for eager calls, after the finish for others).
    case waiting(eligible: Bool)
    case running
    case done

    var isWaiting: Bool {
        if case .waiting = self { return true }
        return false
    }
}

/// A call of a turn, admitted once and then shared read-only by the turn and the task that runs it.
final class AdmittedCall: Sendable {
    /// Its place in the turn, in arrival order.
    let slot: Int
    let call: ToolCall
    /// `nil` for a call refused before running.
    let tool: Tool?
    /// The validated arguments (`.null` for a refused call).
    let arguments: JSONValue
    /// The context its handler gets (call id and tool name set).
    let context: ToolContext

    init(slot: Int, call: ToolCall, tool: Tool?, arguments: JSONValue, context: ToolContext) {
        self.slot = slot
        self.call = call
        self.tool = tool
        self.arguments = arguments
        self.context = context
    }
}
