/// The tool loop: send the request with the registry's tools, assemble and run the calls of the
/// response, append the follow-up messages, and repeat until the model answers without calls or the
/// step limit is reached.
///
/// ```swift
/// let conversation = Conversation(client: client, executor: ToolExecutor(registry: registry),
///                                 model: "gpt-4o-mini", prices: ["gpt-4o-mini": price])
/// let result = try await conversation.run([["role": "user", "content": "Two red mugs, please"]],
///                                         context: ToolContext(customerID: "c-42")) { event in
///     render(event)     // text deltas, calls started/validated/running/finished, steps, done
/// }
/// print(result.text, result.usage.totalTokens ?? 0, result.cost ?? .zero)
/// ```
///
/// Or consume the events as one async sequence while the loop runs beside it:
/// ```swift
/// let result = try await conversation.run(messages, context: context) { (events: AsyncStream<ConversationEvent>) in
///     for await event in events { render(event) }
/// }
/// ```
public struct Conversation<Client: ModelClient>: Sendable {
    public var client: Client
    public var executor: ToolExecutor
    public var model: String
    public var format: WireFormat
    public var system: String?
    /// Extra request body members (`temperature`, `tool_choice`, …).
    public var options: JSONObject
    /// Most requests per ``run(_:context:onEvent:)``.
    public var maxSteps: Int
    /// Prices by model name; the run's cost is computed when ``model`` has one.
    public var prices: [String: ModelPrice]
    /// Whether ``ConversationEvent/argumentsGrew(index:fragment:partial:)`` carries a ``PartialJSON``
    /// snapshot of the arguments so far (taken from the assembler's own parser: no second parse,
    /// linear over the whole call; off by default).
    public var partialArguments: Bool

    public init(
        client: Client,
        executor: ToolExecutor,
        model: String,
        format: WireFormat = .openAIChat,
        system: String? = nil,
        options: JSONObject = [:],
        maxSteps: Int = 8,
        prices: [String: ModelPrice] = [:],
        partialArguments: Bool = false
    ) {
        self.client = client
        self.executor = executor
        self.model = model
        self.format = format
        self.system = system
        self.options = options
        self.maxSteps = maxSteps
        self.prices = prices
        self.partialArguments = partialArguments
    }

    /// Runs the loop from `messages` (wire-format messages, usually ending with the user's).
    ///
    /// - Parameters:
    ///   - onEvent: Called for every ``ConversationEvent``, from the running tasks (keep it quick; it may
    ///     yield into an `AsyncStream`).
    /// - Returns: The result; cancellation ends the loop with ``ConversationResult/Stop/cancelled`` and a
    ///   valid transcript rather than an error.
    /// - Throws: What the client throws (the request failed, the stream broke).
    public func run(
        _ messages: [JSONValue],
        context: ToolContext,
        onEvent: @escaping @Sendable (ConversationEvent) -> Void = { _ in }
    ) async throws -> ConversationResult {
        var transcript = messages
        var steps: [StepSummary] = []
        var usage = Usage.none
        let tools = executor.registry.toolsJSON(for: format)
        var stop = ConversationResult.Stop.stepLimit
        var text = ""
        for step in 1...max(1, maxSteps) {
            onEvent(.stepStarted(step: step))
            let request = ModelRequest(
                model: model,
                format: format,
                system: system,
                messages: transcript,
                tools: tools,
                options: options
            )
            let summary = try await runStep(step, request: request, context: context, onEvent: onEvent)
            steps.append(summary.summary)
            text = summary.text
            if let stepUsage = summary.usage { usage = usage + stepUsage }
            transcript += FollowUpMessages.messages(format: format, text: summary.text, outcomes: summary.outcomes)
            onEvent(.stepFinished(summary.summary))
            if Task.isCancelled {
                stop = .cancelled
                break
            }
            if let error = summary.streamError {
                stop = .streamError(error)
                break
            }
            if let reason = summary.finishReason, !reason.allowsExecution {
                stop = .cutOff(reason)
                break
            }
            if summary.finishReason == nil && !summary.outcomes.isEmpty {
                // A body cut short (a dropped connection): its calls were not run; do not loop on it.
                stop = .streamError(
                    StreamError(message: "the response ended without a finish reason; its calls were not run", raw: .null)
                )
                break
            }
            if summary.outcomes.isEmpty {
                stop = .answered
                break
            }
        }
        let result = ConversationResult(
            stop: stop,
            messages: transcript,
            text: text,
            steps: steps,
            usage: usage,
            cost: prices[model].flatMap { $0.cost(of: usage) }
        )
        onEvent(.done(result))
        return result
    }

    /// Runs the loop while `body` consumes its events as one async sequence; both run in one task group.
    ///
    /// - Returns: The loop's result (``run(_:context:onEvent:)``).
    public func run(
        _ messages: [JSONValue],
        context: ToolContext,
        events body: (AsyncStream<ConversationEvent>) async -> Void
    ) async throws -> ConversationResult {
        // Unbounded, but bounded in practice: a run emits O(response size) events, and the stream
        // limits of the assembler bound the response.
        let (events, continuation) = AsyncStream.makeStream(of: ConversationEvent.self)
        return try await withThrowingTaskGroup(of: ConversationResult.self) { group in
            group.addTask {
                defer { continuation.finish() }
                return try await self.run(messages, context: context) { continuation.yield($0) }
            }
            await body(events)
            // The body may stop reading early; the loop still runs to its end.
            guard let result = try await group.next() else { throw CancellationError() }
            return result
        }
    }

    private struct Step: Sendable {
        var summary: StepSummary
        var streamError: StreamError?
        var text: String { summary.text }
        var usage: Usage? { summary.usage }
        var outcomes: [ToolOutcome] { summary.outcomes }
        var finishReason: FinishReason? { summary.finishReason }
    }

    private func runStep(
        _ step: Int,
        request: ModelRequest,
        context: ToolContext,
        onEvent: @escaping @Sendable (ConversationEvent) -> Void
    ) async throws -> Step {
        var assembler = ToolCallAssembler(format: request.format)
        var finishReason: FinishReason?
        var response: AssembledResponse?
        let partialArguments = self.partialArguments
        let forward: @Sendable (ToolExecutor.Event) -> Void = { event in
            switch event {
            case .validated(let call): onEvent(.callValidated(call))
            case .rejected(let outcome): onEvent(.callRejected(outcome))
            case .running(let call): onEvent(.callRunning(call))
            case .finished(let outcome): onEvent(.callFinished(outcome))
            }
        }
        let outcomes = try await executor.execute(context: context, events: forward) {
            (submit) async throws -> FinishReason? in
            var actions: [ToolCallAssembler.Action] = []
            func handle() {
                for action in actions {
                    switch action {
                    case .text(let choice, let text) where choice == 0: onEvent(.textDelta(text))
                    case .reasoning(let choice, let text) where choice == 0: onEvent(.reasoningDelta(text))
                    case .callStarted(let choice, let index, let id, let name, let kind)
                    where choice == 0 && kind == .function:
                        onEvent(.callStarted(index: index, id: id, name: name))
                    case .argumentsGrew(let choice, let index, let fragment) where choice == 0:
                        let partial = partialArguments ? assembler.partialSnapshot(choice: 0, index: index) : nil
                        onEvent(.argumentsGrew(index: index, fragment: fragment, partial: partial))
                    case .callClosed(let call) where call.choiceIndex == 0:
                        submit(call)
                    case .choiceFinished(let choice, let reason) where choice == 0:
                        finishReason = reason
                    default:
                        break
                    }
                }
                actions.removeAll(keepingCapacity: true)
            }
            let events = try await client.stream(request)
            for try await event in events {
                assembler.receive(event, into: &actions)
                handle()
            }
            let assembled = assembler.finish(into: &actions)
            handle()
            response = assembled
            if assembled.error != nil { return FinishReason(raw: "error", category: .error) }
            return finishReason
        }
        let choice = response?.choices.first { $0.index == 0 }
        return Step(
            summary: StepSummary(
                step: step,
                text: choice?.content ?? "",
                finishReason: finishReason,
                usage: response?.usage,
                outcomes: outcomes
            ),
            streamError: response?.error
        )
    }
}
