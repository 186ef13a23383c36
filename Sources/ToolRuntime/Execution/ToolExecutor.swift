import Logging
import Synchronization

/// Runs the tool calls of a response: each routed to its handler after validation, concurrently up to
/// a cap, each under its own timeout, every failure turned into that call's error outcome.
///
/// ```swift
/// let executor = ToolExecutor(registry: registry)
/// let outcomes = await executor.execute(calls, context: context)   // one per call, in call order
/// ```
///
/// While a response still streams, hand calls over as they close (eager mode): read-only and idempotent
/// calls start at once, side-effecting ones wait for a finish reason that allows execution; after
/// `length`, `content_filter` or an error nothing new starts and early results are discarded:
/// ```swift
/// let outcomes = try await executor.execute(context: context) { submit in
///     for try await event in response {
///         for call in assembler.receive(event) { submit(call) }
///     }
///     return assembler.finishReason
/// }
/// ```
///
/// Timeouts are enforced by one watchdog per turn sleeping on the injected clock until the earliest
/// deadline: an overdue call gets its `timeout` outcome then and frees its slot. The watchdog is armed
/// only when the turn has to wait for a running call, so calls that finish at once cost no timer.
///
/// Handlers start immediately (``Configuration/immediateStart``): on the executor's thread, until their
/// first suspension, which spares a thread hop per call. Calls that finish at once share one child
/// task, which hands the calls after one that suspends to another task at once; a lone call whose
/// handler cannot suspend (registered with a closure that does not `await`) runs in the executor's own
/// task. Neither changes what a timeout, a cancellation or a sibling call sees.
///
/// Cancelling the surrounding task cancels running handlers and still yields one outcome per call
/// (`cancelled`), so the transcript stays valid. Handlers are cancelled cooperatively: one that never
/// checks for cancellation delays its own outcome until it returns (structured concurrency waits for it).
public struct ToolExecutor: Sendable {
    /// How calls are run.
    public struct Configuration: Sendable, Hashable {
        /// Most handlers running at once, across one response's calls. While the response streams, at
        /// most this many start early; the rest start as slots free once it has finished.
        public var maxConcurrency: Int
        /// Timeout for tools that set none; `nil` means no limit.
        public var defaultTimeout: Duration?
        /// Whether read-only and idempotent calls start before their response has finished.
        public var eager: Bool
        /// Whether a handler starts running at once on the executor's thread (in its own child task,
        /// cancellable and timed out as any other) until its first suspension, instead of being queued
        /// for another thread. Saves a thread hop and a wake-up per call, which cost far more than a
        /// trivial handler. The price: a handler that computes for long before its first `await` holds
        /// up the start of the calls after it (and, while the response streams, the reading of the
        /// stream); turn this off for such tools, or have them `await Task.yield()` first. Effective
        /// where the runtime supports immediate tasks (Swift 6.2 runtime: Linux, macOS 26 and later).
        /// There, calls of one response that finish at once run one after another in a shared child
        /// task, and a lone call whose handler cannot suspend runs in the executor's own task.
        public var immediateStart: Bool

        public init(
            maxConcurrency: Int = 16,
            defaultTimeout: Duration? = .seconds(30),
            eager: Bool = true,
            immediateStart: Bool = true
        ) {
            self.maxConcurrency = maxConcurrency
            self.defaultTimeout = defaultTimeout
            self.eager = eager
            self.immediateStart = immediateStart
        }
    }

    /// Progress of one call, for a UI or a log.
    public enum Event: Sendable, Hashable {
        /// The arguments passed validation; the call will run when allowed.
        case validated(ToolCall)
        /// The call was refused before running (unknown tool, invalid or cut-off arguments).
        case rejected(ToolOutcome)
        /// The handler started.
        case running(ToolCall)
        /// The handler ended (result, error, timeout or cancellation).
        case finished(ToolOutcome)
    }

    public let registry: ToolRegistry
    public var configuration: Configuration
    private let clock: any Clock<Duration>

    /// - Parameters:
    ///   - clock: The clock timeouts sleep on; tests inject their own.
    public init(
        registry: ToolRegistry,
        configuration: Configuration = .init(),
        clock: some Clock<Duration> = ContinuousClock()
    ) {
        self.registry = registry
        self.configuration = configuration
        self.clock = clock
    }

    /// Runs the calls of a finished response; one outcome per call the client runs (provider-side
    /// calls are left out), in call order. Every call is validated (and reported `validated` or
    /// `rejected`) before the first one starts; in eager mode, read-only and idempotent calls start
    /// before side-effecting ones.
    public func execute(
        _ calls: [ToolCall],
        context: ToolContext,
        events: (@Sendable (Event) -> Void)? = nil
    ) async -> [ToolOutcome] {
        // A lone call has nothing to run beside it: no turn bookkeeping. Without a timeout it runs in
        // this task, as its child task would (same events, cancellation and outcome); with one, in a
        // child under a watchdog armed only if it is still running once started.
        if calls.count == 1 {
            // Everything up to the handler's first await is decided out of line: inlined, it made this
            // function's async frame (allocated per call) grow past the task allocator's slab, which
            // then cost a malloc and a free per call.
            switch startLone(calls[0], context: context, events: events) {
            case .skipped: return []
            case .ended(let outcome): return [outcome]
            case .here(let tool, let arguments, let callContext):
                return [ToolOutcome(call: calls[0], await Self.run(tool, calls[0], arguments, context: callContext, events: events))]
            case .timed(let lone):
                if let continuous = clock as? ContinuousClock { return [await runLone(lone, clock: continuous)] }
                return [await runLone(lone, clock: clock)]
            }
        }
        return await executeFinished(calls, context: context, events: events)
    }

    /// How a lone call goes on once routed and validated.
    private enum LoneStart {
        /// A provider-side call: no outcome.
        case skipped
        /// Refused, or run to its end in place (a handler that cannot suspend).
        case ended(ToolOutcome)
        /// A handler that may suspend, without a timeout: run in the caller's task.
        case here(Tool, JSONValue, ToolContext)
        /// A handler that may suspend, under a timeout: run in a child task.
        case timed(LoneCall)
    }

    /// The synchronous start of a lone call: routing, validation, its events, and a handler that
    /// cannot suspend run in place (with immediate start; it would run to its end at once in its
    /// immediately started task, and no timeout could cut it short).
    @inline(never)
    private func startLone(_ call: ToolCall, context: ToolContext, events: (@Sendable (Event) -> Void)?) -> LoneStart {
        switch prepare(call) {
        case .skip: return .skipped
        case .rejected(let error): return .ended(ToolOutcome(call: call, reject(call, error, context: context, events: events)))
        case .ready(let tool, let arguments):
            events?(.validated(call))
            let callContext = context.forCall(id: call.id, toolName: call.name, idWasGenerated: call.idWasGenerated)
            if configuration.immediateStart, case .synchronous(let invoke) = tool.handler {
                return .ended(ToolOutcome(call: call, Self.runInPlace(invoke, call, arguments, context: callContext, events: events)))
            }
            guard let timeout = tool.timeout ?? configuration.defaultTimeout else { return .here(tool, arguments, callContext) }
            return .timed(
                LoneCall(
                    tool: tool,
                    call: call,
                    arguments: arguments,
                    context: callContext,
                    timeout: timeout,
                    events: events,
                    immediateStart: configuration.immediateStart
                )
            )
        }
    }

    /// The calls of a finished response, in one turn. Every call is validated before any starts, so
    /// the calls that may start go to one lane together rather than one each as they are submitted.
    ///
    /// Kept out of line: inlined into ``execute(_:context:events:)``, the turn's task group grew the
    /// async frame of every lone call past the first slab of its task's allocator.
    @inline(never)
    private func executeFinished(
        _ calls: [ToolCall],
        context: ToolContext,
        events: (@Sendable (Event) -> Void)?
    ) async -> [ToolOutcome] {
        if let continuous = clock as? ContinuousClock {
            return await runTurn(clock: continuous, context: context, events: events, startsAtSubmit: false, expected: calls.count) {
                (submit) async throws(Never) -> FinishReason? in Self.submitAll(calls, to: submit)
            }.get()
        }
        return await runTurn(clock: clock, context: context, events: events, startsAtSubmit: false, expected: calls.count) {
            (submit) async throws(Never) -> FinishReason? in Self.submitAll(calls, to: submit)
        }.get()
    }

    /// Submits every call of a finished response.
    private static func submitAll(_ calls: [ToolCall], to submit: (ToolCall) -> Void) -> FinishReason {
        for call in calls { submit(call) }
        return FinishReason(raw: "tool_calls", category: .toolCalls)
    }

    /// Runs calls as a streaming response delivers them (eager mode, when configured).
    ///
    /// - Parameters:
    ///   - body: Consumes the response, passes each call to `submit` as soon as it closes, and returns
    ///     the response's finish reason (`nil` when it ended without one, which allows nothing new).
    /// - Returns: One outcome per submitted function call, in call order. After a finish reason that
    ///   forbids execution, calls not refused outright come back `not_executed`.
    /// - Throws: What `body` throws, after cancelling and awaiting every started call; cancellation is
    ///   not an error: it returns `cancelled` outcomes.
    public func execute<Failure: Error>(
        context: ToolContext,
        events: (@Sendable (Event) -> Void)? = nil,
        streaming body: (_ submit: (ToolCall) -> Void) async throws(Failure) -> FinishReason?
    ) async throws(Failure) -> [ToolOutcome] {
        // The turn's bookkeeping is generic over the clock's instant: with the usual clock it runs
        // specialized rather than through generic metadata lookups on every step.
        if let continuous = clock as? ContinuousClock {
            return try await runTurn(clock: continuous, context: context, events: events, startsAtSubmit: true, body: body).get()
        }
        return try await runTurn(clock: clock, context: context, events: events, startsAtSubmit: true, body: body).get()
    }

    /// What a child task of a turn reports: a call's outcome, or that a timeout watchdog woke up.
    private enum Message<Instant: InstantProtocol>: Sendable {
        case finished(slot: Int, ToolOutcome.Ending)
        case tick(Instant)
    }

    /// One turn in one task group: a child per running call, plus one watchdog sleeping until the
    /// earliest deadline of the running calls (instead of a timer task per call). The parent starts
    /// calls while fewer than `maxConcurrency` run, and turns an overdue call into its `timeout`
    /// outcome when the watchdog wakes; the overdue handler is cancelled with the rest when the turn
    /// ends (task groups cancel children only all at once).
    ///
    /// With immediate start, the calls that may start go to a lane (see `Lane`): one child task that
    /// runs them in call order while they finish at once, and hands the rest back to the turn at its
    /// first suspension. A call's deadline is taken when it is found still running, just after it
    /// suspended. Without immediate start, every call gets a child task of its own.
    ///
    /// The watchdog is armed only when the parent is about to wait for a call still running: a timer
    /// costs tens of microseconds (and stays queued until its deadline even once cancelled), far more
    /// than a call that finished while it was started. Arming late changes nothing observable: ticks
    /// are only acted on in the wait loop, and an overdue call is recognised against the clock then.
    ///
    /// `expected` is how many calls `body` submits, when known: the bookkeeping makes room at once.
    private func runTurn<C: Clock<Duration>, Failure: Error>(
        clock: C,
        context: ToolContext,
        events: (@Sendable (Event) -> Void)?,
        startsAtSubmit: Bool,
        expected: Int = 0,
        body: (_ submit: (ToolCall) -> Void) async throws(Failure) -> FinishReason?
    ) async -> Result<[ToolOutcome], Failure> {
        let eager = configuration.eager
        let cap = max(1, configuration.maxConcurrency)
        let defaultTimeout = configuration.defaultTimeout
        let immediateStart = configuration.immediateStart
        return await withTaskGroup(of: Message<C.Instant>.self) { group in
            var turn = ExecutionTurn<C.Instant>()
            turn.reserveCapacity(expected)
            var armed: [C.Instant] = []
            // The earliest deadline no armed watchdog covers yet.
            var uncovered: C.Instant?
            let finished = FinishedCalls()
            var started = 0

            func cover(_ deadline: C.Instant) {
                guard !armed.contains(where: { $0 <= deadline }) else { return }
                uncovered = uncovered.map { min($0, deadline) } ?? deadline
            }

            /// Starts a lane for `items` (started in the turn, in call order) and settles what it did
            /// while it ran inline: items finished are complete, the item it suspended in runs from now
            /// on (its deadline taken now), items it did not start wait again.
            @available(macOS 26, iOS 26, watchOS 26, tvOS 26, visionOS 26, *)
            func launch(_ items: [Lane.Item]) {
                let lane = Lane(items: items, turnThread: currentThreadID())
                started += 1
                let operation: @concurrent @Sendable () async -> Message<C.Instant> = {
                    var index = 0
                    // Calls run back to back: one's end is the next one's start, one clock read per
                    // call. The few steps of bookkeeping between them count to the next call's
                    // duration; an event listener's time does not, so with one each call reads its own.
                    var mark: ContinuousClock.Instant? = events == nil ? ContinuousClock.now : nil
                    while true {
                        lane.started.store(index + 1, ordering: .relaxed)
                        // One copy of the item (two references): reading each field through the
                        // array measured slower.
                        let item = lane.items[index]
                        let ending = await Self.run(
                            item.tool,
                            item.call.call,
                            item.call.arguments,
                            context: item.call.context,
                            events: events,
                            startedAt: mark
                        )
                        mark = mark.map { $0.advanced(by: ending.duration) }
                        lane.endings.withLock { $0.append(ending) }
                        index += 1
                        guard index < lane.items.count, lane.runsInline else {
                            finished.increment()
                            return .finished(slot: lane.items[index - 1].call.slot, ending)
                        }
                    }
                }
                group.addImmediateTask(operation: operation)
                lane.inline.store(false, ordering: .relaxed)
                // Past this point the lane starts nothing more: it no longer runs inline.
                let taken = max(1, lane.started.load(ordering: .relaxed))
                let endings = lane.endings.withLock { $0 }
                for index in endings.indices { turn.complete(items[index].call.slot, endings[index]) }
                if endings.count < taken, let timeout = items[taken - 1].tool.timeout ?? defaultTimeout {
                    let deadline = clock.now.advanced(by: timeout)
                    turn.setDeadline(items[taken - 1].call.slot, deadline)
                    cover(deadline)
                }
                for item in items[taken...] { turn.release(item.call.slot) }
            }

            func startEligible() {
                if #available(macOS 26, iOS 26, watchOS 26, tvOS 26, visionOS 26, *), immediateStart {
                    // The calls that may start go to one lane, and what it leaves to the next one.
                    while turn.running < cap {
                        var items: [Lane.Item] = []
                        // At most the free slots: room made once rather than step by step.
                        items.reserveCapacity(min(cap - turn.running, turn.unresolved))
                        while turn.running < cap, let (call, tool, _) = turn.startNext(deadline: { _ in nil }) {
                            items.append(Lane.Item(call: call, tool: tool))
                        }
                        guard !items.isEmpty else { return }
                        launch(items)
                    }
                    return
                }
                while turn.running < cap,
                    let (call, tool, deadline) = turn.startNext(deadline: { tool in
                        (tool.timeout ?? defaultTimeout).map { clock.now.advanced(by: $0) }
                    })
                {
                    if let deadline { cover(deadline) }
                    started += 1
                    let operation: @concurrent @Sendable () async -> Message<C.Instant> = {
                        let ending = await Self.run(tool, call.call, call.arguments, context: call.context, events: events)
                        finished.increment()
                        return .finished(slot: call.slot, ending)
                    }
                    group.addTask(operation: operation)
                }
            }

            let ending: Result<FinishReason?, Failure>
            do throws(Failure) {
                let reason = try await body { call in
                    switch prepare(call) {
                    case .skip: break
                    case .rejected(let error):
                        turn.record(call, context: context, reject(call, error, context: context, events: events))
                    case .ready(let tool, let arguments):
                        events?(.validated(call))
                        turn.admit(
                            call,
                            tool: tool,
                            arguments: arguments,
                            context: context.forCall(id: call.id, toolName: call.name, idWasGenerated: call.idWasGenerated),
                            eligible: eager && tool.safety.mayRunEagerly
                        )
                        if startsAtSubmit { startEligible() }
                    }
                }
                ending = .success(reason)
            } catch {
                ending = .failure(error)
            }

            switch ending {
            case .failure(let error) where !(error is CancellationError) && !Task.isCancelled:
                group.cancelAll()
                return .failure(error)
            case .success(let reason) where !Task.isCancelled && !(reason?.allowsExecution ?? false):
                group.cancelAll()
                turn.discardUnfinished(because: reason)
                return .success(turn.outcomes)
            default:
                break
            }
            // Finished with a reason that allows execution, or cancelled: the calls that could start
            // early first (those not started at submission), then every waiting call (a cancelled
            // task's children see the cancellation at once and report `cancelled`).
            startEligible()
            turn.makeAllEligible()
            startEligible()
            while turn.unresolved > 0 {
                // A cancelled turn arms nothing: its handlers are cancelled already.
                if let deadline = uncovered, finished.count < started, !Task.isCancelled {
                    uncovered = nil
                    armed.append(deadline)
                    group.addTask {
                        try? await clock.sleep(until: deadline, tolerance: nil)
                        return .tick(deadline)
                    }
                }
                guard let message = await group.next() else { break }
                switch message {
                case .finished(let slot, let ending):
                    turn.complete(slot, ending)
                case .tick(let deadline):
                    if let index = armed.firstIndex(of: deadline) { armed.remove(at: index) }
                    turn.expire(now: clock.now) { call, tool in
                        Self.timeoutEnding(call, limit: tool.timeout ?? defaultTimeout ?? .zero, context: context, events: events)
                    }
                    if let next = turn.earliestDeadline { cover(next) }
                }
                startEligible()
            }
            // Left: watchdogs, and handlers that ran past their timeout; the group awaits them.
            group.cancelAll()
            return .success(turn.outcomes)
        }
    }

    /// A validated lone call under a timeout, boxed with all its task needs, so that the child task's
    /// closure captures this one reference (and needs no context of its own).
    private final class LoneCall: Sendable {
        let tool: Tool
        let call: ToolCall
        let arguments: JSONValue
        /// The call's own context (id and tool name set).
        let context: ToolContext
        let timeout: Duration
        let events: (@Sendable (Event) -> Void)?
        let immediateStart: Bool
        /// Set by the call's task after its last suspension, so the parent can tell without waiting
        /// whether the call still runs (and needs a watchdog). Relaxed ordering suffices, as for
        /// ``FinishedCalls``: the outcome itself travels through the task group, which synchronizes.
        let finished = Atomic<Bool>(false)

        init(
            tool: Tool,
            call: ToolCall,
            arguments: JSONValue,
            context: ToolContext,
            timeout: Duration,
            events: (@Sendable (Event) -> Void)?,
            immediateStart: Bool
        ) {
            self.tool = tool
            self.call = call
            self.arguments = arguments
            self.context = context
            self.timeout = timeout
            self.events = events
            self.immediateStart = immediateStart
        }

        /// Runs the handler (in the call's task) and marks the call finished.
        func run() async -> ToolOutcome.Ending {
            let ending = await ToolExecutor.run(tool, call, arguments, context: context, events: events)
            finished.store(true, ordering: .relaxed)
            return ending
        }
    }

    /// A turn of one call with a timeout, with the rules of ``runTurn`` (deadline taken when the call
    /// is found still running once started, as in a lane; watchdog armed only while the call still
    /// runs and the turn is not cancelled; a tick acted on only once the clock has passed the
    /// deadline; the overdue handler awaited after its `timeout` outcome) without its bookkeeping.
    private func runLone<C: Clock<Duration>>(_ lone: LoneCall, clock: C) async -> ToolOutcome {
        await withTaskGroup(of: Message<C.Instant>.self) { group in
            let operation: @concurrent @Sendable () async -> Message<C.Instant> = { .finished(slot: 0, await lone.run()) }
            if #available(macOS 26, iOS 26, watchOS 26, tvOS 26, visionOS 26, *), lone.immediateStart {
                group.addImmediateTask(operation: operation)
            } else {
                group.addTask(operation: operation)
            }
            var deadline: C.Instant?
            var armed = false
            while true {
                if !armed, !lone.finished.load(ordering: .relaxed), !Task.isCancelled {
                    armed = true
                    let until = deadline ?? clock.now.advanced(by: lone.timeout)
                    deadline = until
                    group.addTask {
                        try? await clock.sleep(until: until, tolerance: nil)
                        return .tick(until)
                    }
                }
                switch await group.next() {
                case .finished(_, let ending)?:
                    group.cancelAll()
                    return ToolOutcome(call: lone.call, ending)
                case .tick(let until)?:
                    armed = false
                    guard until <= clock.now else { continue }
                    // Reported before the handler is cancelled (and reports that).
                    let outcome = Self.loneTimeout(lone)
                    group.cancelAll()
                    return outcome
                case nil:
                    // Unreachable: the call's task reports before the group runs dry.
                    return ToolOutcome(call: lone.call, result: .failure(Self.cancelled(lone.call)), duration: .zero)
                }
            }
        }
    }

    /// The `timeout` outcome of a lone call, out of line: inlined, its error message and log record
    /// grew the async frame of every lone call.
    @inline(never)
    private static func loneTimeout(_ lone: LoneCall) -> ToolOutcome {
        ToolOutcome(
            call: lone.call,
            timeoutEnding(lone.call, limit: lone.timeout, context: lone.context, events: lone.events)
        )
    }

    /// The ending of a call stopped at its timeout, reported and logged.
    @inline(never)
    private static func timeoutEnding(
        _ call: ToolCall,
        limit: Duration,
        context: ToolContext,
        events: (@Sendable (Event) -> Void)?
    ) -> ToolOutcome.Ending {
        let error = timedOut(call, limit: limit)
        context.forCall(id: call.id, toolName: call.name).logger.warning(
            "tool call failed",
            metadata: ["tool.error.type": "\(error.code)"]
        )
        return report(call, ToolOutcome.Ending(result: .failure(error), duration: limit), events: events)
    }

    private enum Preparation {
        case ready(Tool, JSONValue)
        case rejected(ToolCallError)
        case skip
    }

    /// The ending of a call refused before running, reported and logged.
    @inline(never)
    private func reject(
        _ call: ToolCall,
        _ error: ToolCallError,
        context: ToolContext,
        events: (@Sendable (Event) -> Void)?
    ) -> ToolOutcome.Ending {
        let ending = ToolOutcome.Ending(result: .failure(error), duration: .zero)
        events?(.rejected(ToolOutcome(call: call, ending)))
        context.logger.warning(
            "tool call rejected",
            metadata: ["tool.name": "\(call.name)", "tool.call.id": "\(call.id)", "tool.error": "\(error)"]
        )
        return ending
    }

    /// Routes and validates one call: everything that can be decided without running it.
    private func prepare(_ call: ToolCall) -> Preparation {
        guard call.kind == .function else { return .skip }
        func reject(_ code: ToolCallError.Code, _ message: String, _ details: [ToolCallError.Detail] = []) -> Preparation {
            .rejected(ToolCallError(code: code, toolName: call.name, callID: call.id, message: message, details: details))
        }
        guard let tool = registry[call.name] else {
            let names = registry.names
            let listed = names.prefix(30).joined(separator: ", ") + (names.count > 30 ? ", …" : "")
            return reject(
                .unknownTool,
                "There is no tool named \"\(call.name)\". Call one of the available tools: \(listed)."
            )
        }
        switch call.status {
        case .truncated(let reason):
            return reject(
                .truncatedArguments,
                "The arguments of \(call.name) are incomplete (\(reason)); the call was not run. Send the complete arguments again."
            )
        case .malformed(let error):
            return reject(
                .malformedArguments,
                "The arguments of \(call.name) are not valid JSON: \(error). Send one JSON object that matches the tool's parameters schema.",
                [.init(path: "", keyword: error.kind.rawValue, message: error.description)]
            )
        case .complete:
            break
        }
        let arguments = call.value ?? .object([:])
        let failures = tool.schema.validate(arguments)
        guard failures.isEmpty else {
            return reject(
                .invalidArguments,
                "Invalid arguments for \(call.name): "
                    + failures.map { "\($0.instancePath.isEmpty ? "/" : $0.instancePath) \($0.message)" }
                    .joined(separator: "; ") + ". Fix them and call \(call.name) again.",
                failures.map { .init(path: $0.instancePath, keyword: $0.keyword, message: $0.message) }
            )
        }
        return .ready(tool, arguments)
    }

    /// Runs one validated call in its own child task. Never throws: every ending is an outcome.
    /// Static, so a child task running it captures no copy of the executor. `startedAt` is when the
    /// caller takes the handler to start, if it read the clock already; `nil` reads it here.
    private static func run(
        _ tool: Tool,
        _ call: ToolCall,
        _ arguments: JSONValue,
        context: ToolContext,
        events: (@Sendable (Event) -> Void)?,
        startedAt: ContinuousClock.Instant? = nil
    ) async -> ToolOutcome.Ending {
        let invoke: @Sendable (JSONValue, ToolContext) async throws -> JSONValue
        switch tool.handler {
        case .synchronous(let handler):
            return runInPlace(handler, call, arguments, context: context, events: events, startedAt: startedAt)
        case .suspending(let handler): invoke = handler
        }
        if let ending = cancelledBeforeStart(call, events: events) { return ending }
        let started = startedAt ?? ContinuousClock.now
        let result: ToolOutcome.Result
        do {
            result = .success(try await invoke(arguments, context))
        } catch {
            result = .failure(classify(error, call: call, context: context))
        }
        return finished(call, result, since: started, events: events)
    }

    /// ``run(_:_:_:context:events:startedAt:)`` for a handler that cannot suspend, in the caller's task.
    @inline(never)
    private static func runInPlace(
        _ invoke: @Sendable (JSONValue, ToolContext) throws -> JSONValue,
        _ call: ToolCall,
        _ arguments: JSONValue,
        context: ToolContext,
        events: (@Sendable (Event) -> Void)?,
        startedAt: ContinuousClock.Instant? = nil
    ) -> ToolOutcome.Ending {
        if let ending = cancelledBeforeStart(call, events: events) { return ending }
        let started = startedAt ?? ContinuousClock.now
        let result: ToolOutcome.Result
        do {
            result = .success(try invoke(arguments, context))
        } catch {
            result = .failure(classify(error, call: call, context: context))
        }
        return finished(call, result, since: started, events: events)
    }

    /// The `cancelled` ending of a call whose task is cancelled before its handler starts (reported),
    /// or `nil` after reporting that the handler starts.
    @inline(never)
    private static func cancelledBeforeStart(_ call: ToolCall, events: (@Sendable (Event) -> Void)?) -> ToolOutcome.Ending? {
        guard Task.isCancelled else {
            events?(.running(call))
            return nil
        }
        return report(call, ToolOutcome.Ending(result: .failure(cancelled(call)), duration: .zero), events: events)
    }

    /// The ending of a handler that started at `started`, reported.
    private static func finished(
        _ call: ToolCall,
        _ result: ToolOutcome.Result,
        since started: ContinuousClock.Instant,
        events: (@Sendable (Event) -> Void)?
    ) -> ToolOutcome.Ending {
        report(call, ToolOutcome.Ending(result: result, duration: ContinuousClock.now - started), events: events)
    }

    /// Reports a call's ending as `finished`; the outcome (a copy of the call) is made only for a listener.
    @inline(never)
    private static func report(
        _ call: ToolCall,
        _ ending: ToolOutcome.Ending,
        events: (@Sendable (Event) -> Void)?
    ) -> ToolOutcome.Ending {
        if let events { events(.finished(ToolOutcome(call: call, ending))) }
        return ending
    }

    @inline(never)
    private static func timedOut(_ call: ToolCall, limit: Duration) -> ToolCallError {
        ToolCallError(
            code: .timedOut,
            toolName: call.name,
            callID: call.id,
            message: "\(call.name) did not finish within \(milliseconds(limit)) ms and was stopped. Try again, or tell the user it is unavailable."
        )
    }

    @inline(never)
    private static func cancelled(_ call: ToolCall) -> ToolCallError {
        ToolCallError(
            code: .cancelled,
            toolName: call.name,
            callID: call.id,
            message: "The call to \(call.name) was cancelled before it finished; its effect, if any, is unknown."
        )
    }

    @inline(never)
    private static func classify(_ error: any Error, call: ToolCall, context: ToolContext) -> ToolCallError {
        let failure: ToolCallError
        switch error {
        case _ where error is CancellationError || Task.isCancelled:
            failure = cancelled(call)
        case let error as DecodingError:
            let (path, message) = describe(error)
            failure = ToolCallError(
                code: .invalidArguments,
                toolName: call.name,
                callID: call.id,
                message: "Invalid arguments for \(call.name): \(path.isEmpty ? "/" : path) \(message). Fix them and call \(call.name) again.",
                details: [.init(path: path, keyword: "type", message: message)]
            )
        case let error as any ModelFacingError:
            failure = ToolCallError(
                code: .init(rawValue: error.modelErrorType),
                toolName: call.name,
                callID: call.id,
                message: error.modelMessage
            )
        case let error as ToolCallError:
            failure = error
        default:
            failure = ToolCallError(
                code: .handlerFailed,
                toolName: call.name,
                callID: call.id,
                message:
                    "\(call.name) failed with an internal error (logged as call \(call.id)). Do not retry with the same arguments; tell the user it failed."
            )
        }
        context.logger.warning(
            "tool call failed",
            metadata: ["tool.error.type": "\(failure.code)", "tool.error": "\(String(describing: error))"]
        )
        return failure
    }
}

/// Whole milliseconds of a duration (rounded down).
func milliseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    return seconds * 1000 + attoseconds / 1_000_000_000_000_000
}

/// A decoding error as a JSON Pointer and a sentence, without the offending value.
private func describe(_ error: DecodingError) -> (path: String, message: String) {
    func pointer(_ path: [any CodingKey]) -> String {
        path.map { "/" + ($0.intValue.map(String.init) ?? $0.stringValue) }.joined()
    }
    switch error {
    case .typeMismatch(_, let context): return (pointer(context.codingPath), context.debugDescription)
    case .valueNotFound(_, let context): return (pointer(context.codingPath), "is missing")
    case .keyNotFound(let key, let context):
        return (pointer(context.codingPath + [key]), "is required but missing")
    case .dataCorrupted(let context): return (pointer(context.codingPath), context.debugDescription)
    @unknown default: return ("", "does not match the expected type")
    }
}

/// A run of a turn's calls that one child task works through in call order for as long as it runs
/// inline: started by `addImmediateTask` on the turn's thread, before its first suspension. Calls that
/// finish at once so share one task instead of having one each. When a call suspends, the turn
/// regains its thread, takes back the calls the lane has not started (they start at once in a further
/// lane, as they would have in tasks of their own), and the lane ends with the call it suspended in.
///
/// The lane tells that it still runs inline by its thread: once it has suspended, it resumes on
/// another thread, or on the turn's thread only after the turn left it, which clears `inline` first.
private final class Lane: Sendable {
    /// A call as admitted to the turn, with its tool (a call the lane runs always has one).
    struct Item: Sendable {
        let call: AdmittedCall
        let tool: Tool
    }

    let items: [Item]
    /// The thread the turn starts the lane on.
    let turnThread: UInt
    /// Whether the turn is still inside `addImmediateTask` for this lane; cleared when it returns.
    let inline = Atomic<Bool>(true)
    /// How many items the lane has started.
    let started = Atomic<Int>(0)
    /// How the items finished ended, in item order.
    let endings: Mutex<[ToolOutcome.Ending]>

    init(items: [Item], turnThread: UInt) {
        self.items = items
        self.turnThread = turnThread
        var endings: [ToolOutcome.Ending] = []
        endings.reserveCapacity(items.count)
        self.endings = Mutex(endings)
    }

    /// Whether the lane has not suspended since the turn started it: it may start its next item.
    var runsInline: Bool { currentThreadID() == turnThread && inline.load(ordering: .relaxed) }
}

/// How many of a turn's call tasks have finished, counted by the tasks themselves, so the parent can
/// tell without waiting whether any call still runs (and needs a timeout watchdog). Relaxed ordering
/// suffices: the count is only a hint for arming; outcomes travel through the task group, which
/// synchronizes. A task counts itself after its last suspension, so a full count means waiting for
/// the group ends without a timer.
private final class FinishedCalls: Sendable {
    private let finished = Atomic<Int>(0)

    func increment() { finished.add(1, ordering: .relaxed) }

    var count: Int { finished.load(ordering: .relaxed) }
}
