import Synchronization
import Testing

@testable import ToolRuntime

/// A read-only `search` and a side-effecting `order`, each recording when it starts.
private func searchAndOrder(recordingInto timeline: Timeline) throws -> ToolRegistry {
    try ToolRegistry { builder in
        builder.add(name: "search", description: "", parameters: ["type": "object"], safety: .readOnly) { _, _ in
            timeline.record("search started")
            return "found"
        }
        builder.add(name: "order", description: "", parameters: ["type": "object"], safety: .sideEffecting) {
            _,
            _ in
            timeline.record("order started")
            return "ordered"
        }
    }
}

/// `typed`: echoes typed `Echo` arguments under a schema that allows any object, so a mistyped `text`
/// passes validation and fails decoding.
private func typedEcho() throws -> Tool {
    try Tool(name: "typed", description: "", parameters: ["type": "object"], arguments: Echo.self, safety: .readOnly) {
        args,
        _ in args.text
    }
}

/// `slow`: a read-only tool whose handler sleeps 10 s (cancellably).
private func tenSecondTool(timeout: Duration) throws -> Tool {
    try Tool(name: "slow", description: "Takes 10 s.", parameters: ["type": "object"], safety: .readOnly, timeout: timeout) {
        _,
        _ in
        try await Task.sleep(for: .seconds(10))
        return "late"
    }
}

@Suite struct ExecutorTests {
    @Test(arguments: [true, false])
    func parallelCallsFinishingInReverseComeBackInCallOrder(immediateStart: Bool) async throws {
        let timeline = Timeline()
        let registry = try ToolRegistry { builder in
            builder.add(
                name: "wait",
                description: "Sleeps.",
                parameters: ["type": "object"],
                safety: .readOnly
            ) { arguments, context in
                let ms = Int(arguments["ms"]?.number?.int64Value ?? 0)
                try await Task.sleep(for: .milliseconds(ms))
                timeline.record(context.callID)
                return context.callID
            }
        }
        let calls = (0..<4).map { call($0, "wait", #"{"ms":\#((4 - $0) * 25)}"#) }
        let outcomes = await ToolExecutor(registry: registry, configuration: .init(immediateStart: immediateStart)).execute(
            calls,
            context: ToolContext()
        )
        #expect(timeline.all == ["call_3", "call_2", "call_1", "call_0"])
        #expect(outcomes.map(\.call.id) == ["call_0", "call_1", "call_2", "call_3"])
        #expect(outcomes.map(\.content) == ["call_0", "call_1", "call_2", "call_3"])
        #expect(outcomes.allSatisfy { $0.status == "ok" })
    }

    @Test(arguments: [true, false])
    func slowHandlerTimesOutWhileSiblingsSucceed(immediateStart: Bool) async throws {
        let slow = try tenSecondTool(timeout: .milliseconds(100))
        let registry = try ToolRegistry { builder in
            builder.add(slow)
            builder.add(Echo.self) { args, _ in args.text }
        }
        let clock = ContinuousClock()
        let started = clock.now
        let outcomes = await ToolExecutor(registry: registry, configuration: .init(immediateStart: immediateStart)).execute(
            [call(0, "slow"), call(1, "echo", #"{"text":"hi"}"#)],
            context: ToolContext()
        )
        let elapsed = clock.now - started
        #expect(outcomes.map(\.status) == ["timeout", "ok"])
        #expect(outcomes[1].content == "hi")
        #expect(elapsed >= .milliseconds(100))
        // Far below the handler's 10 s, with room for a CPU-starved CI machine running every suite at
        // once; the exact deadline is checked on the injected clock below.
        #expect(elapsed < .seconds(8))
        #expect(outcomes[0].content.contains(#""type":"timeout""#))
        #expect(outcomes[0].content.contains("100 ms"))
    }

    @Test(arguments: [true, false])
    func aTimedOutCallFreesItsSlotForTheNextCall(immediateStart: Bool) async throws {
        let slow = try tenSecondTool(timeout: .milliseconds(50))
        let registry = try ToolRegistry { builder in
            builder.add(slow)
            builder.add(Echo.self) { args, _ in args.text }
        }
        let executor = ToolExecutor(registry: registry, configuration: .init(maxConcurrency: 1, immediateStart: immediateStart))
        let clock = ContinuousClock()
        let started = clock.now
        let outcomes = await executor.execute(
            [call(0, "slow"), call(1, "echo", #"{"text":"next"}"#)],
            context: ToolContext()
        )
        #expect(outcomes.map(\.status) == ["timeout", "ok"])
        #expect(clock.now - started < .seconds(8))  // the 10 s handler did not hold the only slot
    }

    @Test func timeoutsSleepOnTheInjectedClock() async throws {
        let slow = try tenSecondTool(timeout: .seconds(3600))
        let registry = try ToolRegistry { $0.add(slow) }
        let executor = ToolExecutor(registry: registry, clock: JumpingClock())
        let outcomes = await executor.execute([call(0, "slow")], context: ToolContext())
        #expect(outcomes.map(\.status) == ["timeout"])
    }

    @Test(arguments: [true, false])
    func throwingHandlerBecomesThatCallsError(immediateStart: Bool) async throws {
        struct Boom: Error {}
        let registry = try ToolRegistry { builder in
            builder.add(name: "boom", description: "Fails.", parameters: ["type": "object"], safety: .readOnly) {
                (_, _) async throws -> String in throw Boom()
            }
            builder.add(name: "stock", description: "Fails for the model.", parameters: ["type": "object"], safety: .sideEffecting) {
                (_, _) async throws -> String in throw OutOfStock()
            }
            builder.add(Echo.self) { args, _ in args.text }
        }
        let outcomes = await ToolExecutor(registry: registry, configuration: .init(immediateStart: immediateStart)).execute(
            [call(0, "boom"), call(1, "stock"), call(2, "echo", #"{"text":"ok"}"#)],
            context: ToolContext()
        )
        #expect(outcomes.map(\.status) == ["handler_error", "out_of_stock", "ok"])
        #expect(outcomes[0].contentJSON["error"]?["type"] == "handler_error")
        #expect(outcomes[0].content.contains("call_0"))
        #expect(!outcomes[0].content.contains("Boom"))
        #expect(outcomes[1].contentJSON == ["error": ["type": "out_of_stock", "message": "Only 3 left; order at most 3."]])
    }

    @Test func unknownToolIsRejectedWithTheAvailableNames() async throws {
        let registry = try ToolRegistry { $0.add(Echo.self) { args, _ in args.text } }
        let outcomes = await ToolExecutor(registry: registry).execute([call(0, "ehco")], context: ToolContext())
        #expect(outcomes.map(\.status) == ["unknown_tool"])
        let message = outcomes[0].contentJSON["error"]?["message"]?.string ?? ""
        #expect(message.contains("\"ehco\""))
        #expect(message.contains("echo"))
    }

    @Test func invalidArgumentsCarryPathLevelDetails() async throws {
        let schema = try JSONParser.parse(
            #"""
            {"type":"object","properties":{"items":{"type":"array","items":{"type":"object",
             "properties":{"sku":{"type":"string"},"quantity":{"type":"integer","minimum":1}},
             "required":["sku","quantity"]}}},"required":["items"]}
            """#
        )
        let ran = Timeline()
        let registry = try ToolRegistry { builder in
            builder.add(name: "place_order", description: "Orders.", parameters: schema, safety: .sideEffecting) {
                _,
                _ in
                ran.record("ran")
                return "placed"
            }
        }
        let outcomes = await ToolExecutor(registry: registry).execute(
            [call(0, "place_order", #"{"items":[{"sku":"SKU-1","quantity":0}]}"#)],
            context: ToolContext()
        )
        #expect(outcomes.map(\.status) == ["invalid_arguments"])
        let details = outcomes[0].contentJSON["error"]?["details"]
        #expect(details?[0]?["path"] == "/items/0/quantity")
        #expect(details?[0]?["keyword"] == "minimum")
        #expect(details?[0]?["message"]?.string?.isEmpty == false)
        #expect(ran.all.isEmpty)
    }

    @Test func malformedAndTruncatedArgumentsAreRejected() async throws {
        let registry = try ToolRegistry { $0.add(Echo.self) { args, _ in args.text } }
        let truncated = ToolCall(
            index: 1,
            id: "call_1",
            name: "echo",
            arguments: #"{"text":"h"#,
            status: .truncated(reason: "length"),
            value: nil
        )
        let outcomes = await ToolExecutor(registry: registry).execute(
            [call(0, "echo", #"{"text":}"#), truncated],
            context: ToolContext()
        )
        #expect(outcomes.map(\.status) == ["malformed_arguments", "truncated_arguments"])
    }

    @Test func decodingMismatchIsAnArgumentsError() async throws {
        // The schema allows any object; the typed arguments need `text`: decoding reports the path.
        let typed = try typedEcho()
        let outcomes = await ToolExecutor(registry: try ToolRegistry { $0.add(typed) }).execute(
            [call(0, "typed", #"{"text":5}"#)],
            context: ToolContext()
        )
        #expect(outcomes.map(\.status) == ["invalid_arguments"])
        #expect(outcomes[0].contentJSON["error"]?["details"]?[0]?["path"] == "/text")
    }

    @Test(arguments: [true, false])
    func cancellingTheTurnYieldsACancelledResultPerCall(immediateStart: Bool) async throws {
        let timeline = Timeline()
        let registry = try ToolRegistry { builder in
            builder.add(name: "slow", description: "", parameters: ["type": "object"], safety: .readOnly, timeout: nil) {
                _,
                context in
                timeline.record("start \(context.callID)")
                try await Task.sleep(for: .seconds(10))
                return "late"
            }
        }
        let executor = ToolExecutor(registry: registry, configuration: .init(maxConcurrency: 2, immediateStart: immediateStart))
        let clock = ContinuousClock()
        let started = clock.now
        let outcomes = await withTaskGroup(of: [ToolOutcome].self) { group in
            group.addTask { await executor.execute((0..<3).map { call($0, "slow") }, context: ToolContext()) }
            _ = await timeline.waitFor("start call_1")
            group.cancelAll()
            return await group.next() ?? []
        }
        #expect(outcomes.map(\.call.id) == ["call_0", "call_1", "call_2"])
        #expect(outcomes.map(\.status) == ["cancelled", "cancelled", "cancelled"])
        #expect(clock.now - started < .seconds(5))
    }

    @Test(arguments: [true, false])
    func eagerModeStartsReadOnlyCallsBeforeTheStreamEndsAndHoldsSideEffects(immediateStart: Bool) async throws {
        let timeline = Timeline()
        let registry = try searchAndOrder(recordingInto: timeline)
        let outcomes = await ToolExecutor(registry: registry, configuration: .init(immediateStart: immediateStart)).execute(context: ToolContext()) {
            (submit) async throws(Never) -> FinishReason? in
            submit(call(0, "search"))
            submit(call(1, "order"))
            let searchRan = await timeline.waitFor("search started")
            #expect(searchRan, "the read-only call starts while the response still streams")
            try? await Task.sleep(for: .milliseconds(50))
            #expect(!timeline.contains("order started"), "the side-effecting call waits for the finish reason")
            timeline.record("stream finished")
            return FinishReason(raw: "tool_calls")
        }
        #expect(timeline.all == ["search started", "stream finished", "order started"])
        #expect(outcomes.map(\.content) == ["found", "ordered"])
    }

    @Test(arguments: ["length", "content_filter"], [true, false])
    func nothingRunsAfterACutOffFinish(reason: String, immediateStart: Bool) async throws {
        let timeline = Timeline()
        let registry = try searchAndOrder(recordingInto: timeline)
        let outcomes = await ToolExecutor(registry: registry, configuration: .init(immediateStart: immediateStart)).execute(context: ToolContext()) {
            (submit) async throws(Never) -> FinishReason? in
            submit(call(0, "search"))
            submit(call(1, "order"))
            _ = await timeline.waitFor("search started")
            return FinishReason(raw: reason)
        }
        #expect(!timeline.contains("order started"))
        #expect(outcomes.map(\.status) == ["not_executed", "not_executed"], "early results are discarded")
        #expect(outcomes[0].content.contains(reason))
    }

    @Test(arguments: [true, false])
    func streamErrorCancelsStartedCallsAndIsRethrown(immediateStart: Bool) async throws {
        struct StreamBroke: Error {}
        let timeline = Timeline()
        let registry = try ToolRegistry { builder in
            builder.add(name: "slow", description: "", parameters: ["type": "object"], safety: .readOnly) { _, _ in
                timeline.record("started")
                do {
                    try await Task.sleep(for: .seconds(10))
                } catch {
                    timeline.record("cancelled")
                    throw error
                }
                return "late"
            }
        }
        await #expect(throws: StreamBroke.self) {
            _ = try await ToolExecutor(registry: registry, configuration: .init(immediateStart: immediateStart)).execute(context: ToolContext()) {
                (submit) async throws(StreamBroke) -> FinishReason? in
                submit(call(0, "slow"))
                _ = await timeline.waitFor("started")
                throw StreamBroke()
            }
        }
        #expect(timeline.all == ["started", "cancelled"])
    }

    @Test(arguments: [true, false])
    func concurrencyCapIsRespected(immediateStart: Bool) async throws {
        let gauge = Mutex((running: 0, peak: 0))
        let registry = try ToolRegistry { builder in
            builder.add(name: "work", description: "", parameters: ["type": "object"], safety: .readOnly) { _, _ in
                gauge.withLock {
                    $0.running += 1
                    $0.peak = max($0.peak, $0.running)
                }
                try await Task.sleep(for: .milliseconds(15))
                gauge.withLock { $0.running -= 1 }
                return "done"
            }
        }
        let executor = ToolExecutor(registry: registry, configuration: .init(maxConcurrency: 3, immediateStart: immediateStart))
        let outcomes = await executor.execute((0..<12).map { call($0, "work") }, context: ToolContext())
        #expect(outcomes.count == 12)
        #expect(outcomes.allSatisfy { $0.status == "ok" })
        #expect(gauge.withLock { $0.peak } == 3)
    }

    @Test func contextReachesHandlersAndArgumentsCannotOverrideIt() async throws {
        let registry = try ToolRegistry { builder in
            builder.add(name: "whoami", description: "", parameters: ["type": "object"], safety: .readOnly) {
                _,
                context in
                [
                    "customer": context.customerID.map(JSONValue.string) ?? .null, "call": .string(context.callID),
                    "tool": .string(context.toolName), "locale": .string(context.locale),
                ] as JSONValue
            }
        }
        let outcomes = await ToolExecutor(registry: registry).execute(
            [call(0, "whoami", #"{"customerID":"someone-else"}"#, id: "call_abc")],
            context: ToolContext(customerID: "cust-7", locale: "de-DE")
        )
        #expect(outcomes[0].contentJSON == ["customer": "cust-7", "call": "call_abc", "tool": "whoami", "locale": "de-DE"])
    }

    @Test func providerSideToolsAreNotRun() async throws {
        let registry = try ToolRegistry { $0.add(Echo.self) { args, _ in args.text } }
        var web = call(0, "web_search")
        web.kind = .serverTool
        let outcomes = await ToolExecutor(registry: registry).execute(
            [web, call(1, "echo", #"{"text":"x"}"#)],
            context: ToolContext()
        )
        #expect(outcomes.map(\.call.id) == ["call_1"])
    }

    @Test func callsThatFinishAtOnceArmNoTimeoutWatchdog() async throws {
        guard #available(macOS 26, iOS 26, watchOS 26, tvOS 26, visionOS 26, *) else { return }
        let clock = CountingClock()
        let registry = try ToolRegistry { $0.add(Echo.self) { args, _ in args.text } }
        let executor = ToolExecutor(registry: registry, configuration: .init(defaultTimeout: .seconds(30)), clock: clock)
        let outcomes = await executor.execute((0..<8).map { call($0, "echo", #"{"text":"x\#($0)"}"#) }, context: ToolContext())
        #expect(outcomes.map(\.content) == (0..<8).map { "x\($0)" })
        #expect(clock.sleeps == 0, "every call finished while it was started: no timer")
    }

    @Test(arguments: [true, false])
    func aCallStillRunningArmsOneWatchdog(immediateStart: Bool) async throws {
        let clock = CountingClock()
        let executor = try watchdogWaitingExecutor(clock, safety: .readOnly, immediateStart: immediateStart)
        let outcomes = await executor.execute([call(0, "wait"), call(1, "wait")], context: ToolContext())
        #expect(outcomes.map(\.status) == ["ok", "ok"])
        #expect(clock.sleeps == 1, "one watchdog for the turn, not one per call")
    }

    @Test func anImmediateStartRunsAReadOnlyHandlerBeforeSubmitReturns() async throws {
        guard #available(macOS 26, iOS 26, watchOS 26, tvOS 26, visionOS 26, *) else { return }
        let timeline = Timeline()
        let registry = try searchAndOrder(recordingInto: timeline)
        let outcomes = await ToolExecutor(registry: registry).execute(context: ToolContext()) {
            (submit) async throws(Never) -> FinishReason? in
            submit(call(0, "search"))
            #expect(timeline.all == ["search started"])
            submit(call(1, "order"))
            #expect(timeline.all == ["search started"], "a side-effecting call still waits for the finish reason")
            return FinishReason(raw: "tool_calls")
        }
        #expect(timeline.all == ["search started", "order started"])
        #expect(outcomes.map(\.content) == ["found", "ordered"])
    }

    @Test func callsSubmittedOutOfOrderComeBackInCallOrder() async throws {
        let registry = try ToolRegistry { $0.add(Echo.self) { args, _ in args.text } }
        var second = call(0, "echo", #"{"text":"choice 1"}"#, id: "c1")
        second.choiceIndex = 1
        let submitted = [call(2, "echo", #"{"text":"two"}"#), second, call(0, "ehco"), call(1, "echo", #"{"text":"one"}"#)]
        let outcomes = await ToolExecutor(registry: registry).execute(submitted, context: ToolContext())
        #expect(outcomes.map(\.call.id) == ["call_0", "call_1", "call_2", "c1"])
        #expect(outcomes.map(\.status) == ["unknown_tool", "ok", "ok", "ok"])
    }

    /// A lone call without a timeout runs in the caller's task; with a timeout it runs in a child task
    /// without the turn's bookkeeping. Both must give the outcome and the events the turn gives (the
    /// streaming entry point always runs one), whatever the call does.
    @Test(arguments: ["echo", "boom", "invalid", "unknown", "typed-mismatch"])
    func aLoneCallRunsInPlaceAsItWouldInAChildTask(kind: String) async throws {
        struct Boom: Error {}
        let typed = try typedEcho()
        let registry = try ToolRegistry { builder in
            builder.add(Echo.self) { args, _ in args.text }
            builder.add(name: "boom", description: "", parameters: ["type": "object"], safety: .readOnly) {
                (_, _) async throws -> String in throw Boom()
            }
            builder.add(typed)
        }
        let lone: ToolCall =
            switch kind {
            case "echo": call(0, "echo", #"{"text":"hi"}"#)
            case "boom": call(0, "boom")
            case "invalid": call(0, "echo", #"{"text":5}"#)
            case "unknown": call(0, "ehco")
            default: call(0, "typed", #"{"text":5}"#)
            }
        func run(timeout: Duration?, turn: Bool = false) async -> (outcomes: [ToolOutcome], events: [String]) {
            let seen = Timeline()
            let executor = ToolExecutor(registry: registry, configuration: .init(defaultTimeout: timeout))
            let events: @Sendable (ToolExecutor.Event) -> Void = { event in
                switch event {
                case .validated(let call): seen.record("validated \(call.id)")
                case .rejected(let outcome): seen.record("rejected \(outcome.status)")
                case .running(let call): seen.record("running \(call.id)")
                case .finished(let outcome): seen.record("finished \(outcome.status)")
                }
            }
            guard turn else { return (await executor.execute([lone], context: ToolContext(), events: events), seen.all) }
            let outcomes = await executor.execute(context: ToolContext(), events: events) {
                (submit) async throws(Never) -> FinishReason? in
                submit(lone)
                return FinishReason(raw: "tool_calls")
            }
            return (outcomes, seen.all)
        }
        let inPlace = await run(timeout: nil)
        let child = await run(timeout: .seconds(30))
        for turn in [await run(timeout: nil, turn: true), await run(timeout: .seconds(30), turn: true)] {
            for lone in [inPlace, child] {
                #expect(lone.outcomes.map(\.status) == turn.outcomes.map(\.status))
                #expect(lone.outcomes.map(\.content) == turn.outcomes.map(\.content))
                #expect(lone.events == turn.events)
            }
        }
        #expect(inPlace.outcomes.count == 1)
    }

    @Test(arguments: [true, false])
    func aLoneCallTimesOutAndArmsItsWatchdogOnlyWhenStillRunning(immediateStart: Bool) async throws {
        let clock = CountingClock()
        let slow = try tenSecondTool(timeout: .milliseconds(100))
        let registry = try ToolRegistry { builder in
            builder.add(slow)
            builder.add(Echo.self) { args, _ in args.text }
        }
        let executor = ToolExecutor(registry: registry, configuration: .init(immediateStart: immediateStart), clock: clock)
        let seen = Timeline()
        let started = ContinuousClock.now
        let outcomes = await executor.execute([call(0, "slow")], context: ToolContext()) { event in
            if case .finished(let outcome) = event { seen.record("finished \(outcome.status)") }
        }
        #expect(outcomes.map(\.status) == ["timeout"])
        #expect(outcomes[0].content.contains("100 ms"))
        #expect(outcomes[0].duration == .milliseconds(100))
        #expect(ContinuousClock.now - started < .seconds(8))
        // The overdue handler is cancelled once the turn ends, and reports that too, as in a turn.
        #expect(seen.all == ["finished timeout", "finished cancelled"])
        #expect(clock.sleeps == 1)
        let turnSeen = Timeline()
        let turn = await executor.execute(
            context: ToolContext(),
            events: { event in if case .finished(let outcome) = event { turnSeen.record("finished \(outcome.status)") } },
            streaming: { (submit) async throws(Never) -> FinishReason? in
                submit(call(0, "slow"))
                return FinishReason(raw: "tool_calls")
            }
        )
        #expect(turn.map(\.content) == outcomes.map(\.content))
        #expect(turnSeen.all == seen.all)
        #expect(clock.sleeps == 2)
        if #available(macOS 26, iOS 26, watchOS 26, tvOS 26, visionOS 26, *), immediateStart {
            let quick = await executor.execute([call(0, "echo", #"{"text":"hi"}"#)], context: ToolContext())
            #expect(quick.map(\.content) == ["hi"])
            #expect(clock.sleeps == 2, "a lone call that finished while it was started arms no timer")
        }
    }

    @Test(arguments: [true, false])
    func aLoneCallThatSuspendsFinishesBeforeItsTimeout(immediateStart: Bool) async throws {
        let clock = CountingClock()
        let executor = try watchdogWaitingExecutor(clock, safety: .sideEffecting, immediateStart: immediateStart)
        let outcomes = await executor.execute([call(0, "wait")], context: ToolContext())
        #expect(outcomes.map(\.content) == ["done"])
        #expect(clock.sleeps == 1)
    }

    /// In place (no timeout) or in a child under a watchdog (a timeout).
    @Test(arguments: [nil, 30] as [Int64?])
    func cancellingALoneCallYieldsCancelled(timeoutSeconds: Int64?) async throws {
        let timeline = Timeline()
        let registry = try ToolRegistry { builder in
            builder.add(name: "slow", description: "", parameters: ["type": "object"], safety: .readOnly) { _, _ in
                timeline.record("started")
                try await Task.sleep(for: .seconds(10))
                return "late"
            }
        }
        let executor = ToolExecutor(registry: registry, configuration: .init(defaultTimeout: timeoutSeconds.map { .seconds($0) }))
        let clock = ContinuousClock()
        let started = clock.now
        let outcomes = await withTaskGroup(of: [ToolOutcome].self) { group in
            group.addTask { await executor.execute([call(0, "slow")], context: ToolContext()) }
            _ = await timeline.waitFor("started")
            group.cancelAll()
            return await group.next() ?? []
        }
        #expect(outcomes.map(\.status) == ["cancelled"])
        #expect(clock.now - started < .seconds(5))
        // Cancelled before it starts: the handler never runs.
        let never = await withTaskGroup(of: [ToolOutcome].self) { group in
            group.cancelAll()
            group.addTask { await executor.execute([call(1, "slow")], context: ToolContext()) }
            return await group.next() ?? []
        }
        #expect(never.map(\.status) == ["cancelled"])
        #expect(timeline.all == ["started"])
    }

    /// A closure without `await` registers a handler that cannot suspend; one declared `async` (or that
    /// awaits) registers one that may.
    @Test func aClosureWithoutAwaitRegistersASynchronousHandler() throws {
        let registry = try twinRegistry(synchronous: true)
        let twin = try twinRegistry(synchronous: false)
        for tool in registry.tools {
            guard case .synchronous = tool.handler else {
                Issue.record("\(tool.name) is not synchronous")
                continue
            }
        }
        for tool in twin.tools {
            guard case .suspending = tool.handler else {
                Issue.record("\(tool.name) is not suspending")
                continue
            }
        }
    }

    /// A synchronous handler runs in place (no task of its own) where an async one gets a child task,
    /// and must give the same outcomes and events in every way a call can end, alone or in a batch,
    /// from a finished response or a streaming one, with a timeout or without.
    @Test(arguments: [true, false], [nil, 30] as [Int64?])
    func aSynchronousHandlerEndsAsItsAsyncTwin(immediateStart: Bool, timeoutSeconds: Int64?) async throws {
        let batches: [[ToolCall]] = [
            [call(0, "echo", #"{"text":"hi"}"#)], [call(0, "boom")], [call(0, "stock")],
            [call(0, "typed", #"{"text":5}"#)], [call(0, "echo", #"{"text":5}"#)],
            [
                call(0, "order"), call(1, "echo", #"{"text":"a"}"#), call(2, "boom"), call(3, "ehco"),
                call(4, "stock"), call(5, "typed", #"{"text":5}"#), call(6, "echo", #"{"text":"b"}"#),
            ],
        ]
        let configuration = ToolExecutor.Configuration(
            maxConcurrency: 2,
            defaultTimeout: timeoutSeconds.map { .seconds($0) },
            immediateStart: immediateStart
        )
        let synchronous = ToolExecutor(registry: try twinRegistry(synchronous: true), configuration: configuration)
        let suspending = ToolExecutor(registry: try twinRegistry(synchronous: false), configuration: configuration)
        for calls in batches {
            for streaming in [false, true] {
                for cancelled in [false, true] {
                    let expected = await runObserved(suspending, calls, streaming: streaming, cancelled: cancelled)
                    let actual = await runObserved(synchronous, calls, streaming: streaming, cancelled: cancelled)
                    let label = "\(calls.map(\.name)) streaming \(streaming) cancelled \(cancelled)"
                    #expect(actual.outcomes.map(\.status) == expected.outcomes.map(\.status), "\(label)")
                    #expect(actual.outcomes.map(\.content) == expected.outcomes.map(\.content), "\(label)")
                    #expect(actual.outcomes.map(\.call) == expected.outcomes.map(\.call), "\(label)")
                    // Children started on other threads interleave their events; each call's own are ordered.
                    if immediateStart {
                        #expect(actual.events == expected.events, "\(label)")
                    } else {
                        for id in calls.map(\.id) {
                            #expect(
                                actual.events.filter { $0.hasSuffix(" " + id) }
                                    == expected.events.filter { $0.hasSuffix(" " + id) },
                                "\(label) \(id)"
                            )
                        }
                    }
                }
            }
        }
    }

    /// A lone call's synchronous handler runs in the caller's task, with nothing to time: no task is
    /// made and no watchdog armed; a batch's calls share one child task.
    @Test func aSynchronousHandlerRunsInTheCallersTask() async throws {
        guard #available(macOS 26, iOS 26, watchOS 26, tvOS 26, visionOS 26, *) else { return }
        let tasks = Mutex<[Int]>([])
        let registry = try ToolRegistry { builder in
            builder.add(name: "where", description: "", parameters: ["type": "object"], safety: .readOnly) { _, _ in
                let task = withUnsafeCurrentTask { $0?.hashValue ?? 0 }
                tasks.withLock { $0.append(task) }
                return "here"
            }
        }
        let clock = CountingClock()
        let caller = withUnsafeCurrentTask { $0?.hashValue ?? -1 }
        for immediateStart in [true, false] {
            let executor = ToolExecutor(
                registry: registry,
                configuration: .init(defaultTimeout: .seconds(30), immediateStart: immediateStart),
                clock: clock
            )
            tasks.withLock { $0 = [] }
            let lone = await executor.execute([call(0, "where")], context: ToolContext())
            let batch = await executor.execute((0..<3).map { call($0, "where") }, context: ToolContext())
            #expect(lone.map(\.content) == ["here"])
            #expect(batch.map(\.content) == ["here", "here", "here"])
            let seen = tasks.withLock { $0 }
            #expect(seen.map { $0 == caller } == [immediateStart, false, false, false])
            if immediateStart {
                #expect(Set(seen.dropFirst()).count == 1, "the batch shares one task")
                #expect(clock.sleeps == 0)
            }
        }
    }

    /// Calls whose handlers finish at once run one after another in one child task; a call that
    /// suspends hands the calls after it to a further task at once, so they do not wait for it.
    @Test func callsThatFinishAtOnceShareATaskAndOneThatSuspendsHoldsUpNone() async throws {
        guard #available(macOS 26, iOS 26, watchOS 26, tvOS 26, visionOS 26, *) else { return }
        let timeline = Timeline()
        let tasks = Mutex<[Int: Int]>([:])
        let registry = try ToolRegistry { builder in
            builder.add(name: "note", description: "", parameters: ["type": "object"], safety: .readOnly) {
                (arguments, context) async throws -> String in
                let task = withUnsafeCurrentTask { $0?.hashValue ?? 0 }
                tasks.withLock { $0[Int(context.callID.dropFirst(5)) ?? -1] = task }
                timeline.record("start \(context.callID)")
                if arguments["wait"] != nil {
                    try await Task.sleep(for: .milliseconds(50))
                    timeline.record("end \(context.callID)")
                }
                return context.callID
            }
        }
        let executor = ToolExecutor(registry: registry)
        let quick = await executor.execute((0..<8).map { call($0, "note") }, context: ToolContext())
        #expect(quick.map(\.content) == (0..<8).map { "call_\($0)" })
        #expect(Set(tasks.withLock { $0.values }).count == 1, "one task ran them all")

        tasks.withLock { $0 = [:] }
        let calls = (0..<8).map { call($0, "note", $0 == 3 ? #"{"wait":true}"# : "{}") }
        let mixed = await executor.execute(calls, context: ToolContext())
        #expect(mixed.map(\.content) == (0..<8).map { "call_\($0)" })
        #expect(timeline.all.suffix(9) == (0..<8).map { "start call_\($0)" } + ["end call_3"])
        let byCall = tasks.withLock { $0 }
        #expect(Set((0...3).map { byCall[$0] }).count == 1)
        #expect(Set((4...7).map { byCall[$0] }).count == 1)
        #expect(byCall[3] != byCall[4], "the calls after the one that suspended went on in another task")
    }

    /// A call that suspends inside a lane still gets its own deadline and times out while the calls
    /// around it, before and after it in the same batch, succeed; one watchdog for the turn.
    @Test(arguments: [true, false])
    func aCallThatSuspendsInsideALaneTimesOutWhileItsNeighboursSucceed(synchronousNeighbours: Bool) async throws {
        let slow = try tenSecondTool(timeout: .milliseconds(100))
        let registry = try ToolRegistry { builder in
            builder.add(slow)
            if synchronousNeighbours {
                builder.add(Echo.self) { args, _ in args.text }
            } else {
                builder.add(Echo.self) { (args, _) async -> String in args.text }
            }
        }
        let clock = CountingClock()
        let executor = ToolExecutor(registry: registry, clock: clock)
        let started = ContinuousClock.now
        let outcomes = await executor.execute(
            [call(0, "echo", #"{"text":"a"}"#), call(1, "slow"), call(2, "echo", #"{"text":"b"}"#), call(3, "echo", #"{"text":"c"}"#)],
            context: ToolContext()
        )
        let elapsed = ContinuousClock.now - started
        #expect(outcomes.map(\.status) == ["ok", "timeout", "ok", "ok"])
        #expect(outcomes.map(\.content)[2...] == ["b", "c"])
        #expect(outcomes[1].content.contains("100 ms"))
        #expect(elapsed >= .milliseconds(100))
        #expect(elapsed < .seconds(8))
        #expect(clock.sleeps == 1)
    }

    /// Handlers that cannot suspend, handlers that suspend and handlers that could but do not, mixed
    /// in one batch under a cap: they start in call order, never more than the cap at once.
    @Test(arguments: [1, 2, 16])
    func mixedHandlersStartInCallOrderUnderTheCap(cap: Int) async throws {
        let timeline = Timeline()
        let gauge = Mutex((running: 0, peak: 0))
        let registry = try ToolRegistry { builder in
            builder.add(name: "sync", description: "", parameters: ["type": "object"], safety: .readOnly) { _, context in
                timeline.record("start \(context.callID)")
                return "s"
            }
            builder.add(name: "async", description: "", parameters: ["type": "object"], safety: .readOnly) {
                (arguments, context) async throws -> String in
                timeline.record("start \(context.callID)")
                gauge.withLock {
                    $0.running += 1
                    $0.peak = max($0.peak, $0.running)
                }
                if arguments["wait"] != nil { try await Task.sleep(for: .milliseconds(10)) }
                gauge.withLock { $0.running -= 1 }
                return "a"
            }
        }
        let kinds = ["async-wait", "sync", "async", "async-wait", "sync", "async-wait", "async", "sync", "async-wait"]
        let calls = kinds.enumerated().map { index, kind in
            call(index, kind.hasPrefix("async") ? "async" : "sync", kind == "async-wait" ? #"{"wait":true}"# : "{}")
        }
        let outcomes = await ToolExecutor(registry: registry, configuration: .init(maxConcurrency: cap)).execute(
            calls,
            context: ToolContext()
        )
        #expect(outcomes.map(\.content) == kinds.map { $0.hasPrefix("async") ? "a" : "s" })
        #expect(timeline.all == calls.map { "start \($0.id)" })
        #expect(gauge.withLock { $0.peak } <= cap)
    }
}

/// An executor (30 s default timeout) whose `wait` tool runs until the executor armed its watchdog on
/// `clock` (or 2 s, when it never does).
private func watchdogWaitingExecutor(_ clock: CountingClock, safety: ToolSafety, immediateStart: Bool) throws -> ToolExecutor {
    let registry = try ToolRegistry { builder in
        builder.add(name: "wait", description: "", parameters: ["type": "object"], safety: safety) { _, _ in
            let end = ContinuousClock.now + .seconds(2)
            while clock.sleeps == 0, ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(1)) }
            return "done"
        }
    }
    return ToolExecutor(
        registry: registry,
        configuration: .init(defaultTimeout: .seconds(30), immediateStart: immediateStart),
        clock: clock
    )
}

/// `echo` (typed), `boom` (throws), `stock` (throws a model-facing error), `typed` (decoding fails on a
/// mistyped `text`) and a side-effecting `order`: handlers that cannot suspend when `synchronous`, the
/// same bodies declared `async` otherwise.
private func twinRegistry(synchronous: Bool) throws -> ToolRegistry {
    struct Boom: Error {}
    let object: JSONValue = ["type": "object"]
    let typed =
        synchronous
        ? try Tool(name: "typed", description: "", parameters: object, arguments: Echo.self, safety: .readOnly) { args, _ in
            args.text
        }
        : try Tool(name: "typed", description: "", parameters: object, arguments: Echo.self, safety: .readOnly) {
            (args, _) async -> String in args.text
        }
    return try ToolRegistry { builder in
        builder.add(typed)
        if synchronous {
            builder.add(Echo.self) { args, _ in args.text }
            builder.add(name: "boom", description: "", parameters: object, safety: .readOnly) { (_, _) throws -> String in
                throw Boom()
            }
            builder.add(name: "stock", description: "", parameters: object, safety: .readOnly) { (_, _) throws -> String in
                throw OutOfStock()
            }
            builder.add(name: "order", description: "", parameters: object, safety: .sideEffecting) { _, context in
                "ordered for \(context.callID)"
            }
        } else {
            builder.add(Echo.self) { (args, _) async -> String in args.text }
            builder.add(name: "boom", description: "", parameters: object, safety: .readOnly) { (_, _) async throws -> String in
                throw Boom()
            }
            builder.add(name: "stock", description: "", parameters: object, safety: .readOnly) { (_, _) async throws -> String in
                throw OutOfStock()
            }
            builder.add(name: "order", description: "", parameters: object, safety: .sideEffecting) { (_, context) async -> String in
                "ordered for \(context.callID)"
            }
        }
    }
}

/// Runs `calls` as a finished response or as a streaming one (submitted one by one, then `tool_calls`),
/// in a task cancelled before it starts when `cancelled`; returns the outcomes and the events as
/// `"<event> <call id>"`.
private func runObserved(
    _ executor: ToolExecutor,
    _ calls: [ToolCall],
    streaming: Bool,
    cancelled: Bool
) async -> (outcomes: [ToolOutcome], events: [String]) {
    let seen = Timeline()
    let events: @Sendable (ToolExecutor.Event) -> Void = { event in
        switch event {
        case .validated(let call): seen.record("validated \(call.id)")
        case .rejected(let outcome): seen.record("rejected \(outcome.status) \(outcome.call.id)")
        case .running(let call): seen.record("running \(call.id)")
        case .finished(let outcome): seen.record("finished \(outcome.status) \(outcome.call.id)")
        }
    }
    let outcomes = await withTaskGroup(of: [ToolOutcome].self) { group in
        if cancelled { group.cancelAll() }
        group.addTask {
            guard streaming else { return await executor.execute(calls, context: ToolContext(), events: events) }
            return await executor.execute(context: ToolContext(), events: events) {
                (submit) async throws(Never) -> FinishReason? in
                for call in calls { submit(call) }
                return FinishReason(raw: "tool_calls")
            }
        }
        return await group.next() ?? []
    }
    return (outcomes, seen.all)
}
