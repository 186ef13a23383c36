public import Logging

/// What the application knows for sure about a call, and the model cannot set.
///
/// The embedding server builds one per turn (who is signed in, their locale, a deadline, a logger);
/// the executor copies it per call and fills in ``callID`` and ``toolName``. Handlers read it;
/// arguments never override it: a customer's tool call acts for ``customerID`` whatever the model wrote.
///
/// ```swift
/// let context = ToolContext(customerID: session.customerID, locale: "de-DE", logger: logger)
/// let outcomes = await executor.execute(calls, context: context)
/// ```
///
/// Application values beyond these go in the typed bag:
/// ```swift
/// enum TenantKey: ToolContextKey { typealias Value = Tenant }
/// context[TenantKey.self] = tenant
/// ```
public struct ToolContext: Sendable {
    /// The signed-in customer the call acts for, if any.
    public var customerID: String? {
        get { turn.fields.customerID }
        set { update { $0.customerID = newValue } }
    }
    /// The signed-in user (an operator, say) when different from the customer.
    public var userID: String? {
        get { turn.fields.userID }
        set { update { $0.userID = newValue } }
    }
    /// BCP 47 language tag for messages and formatting (`en-US`).
    public var locale: String {
        get { turn.fields.locale }
        set { update { $0.locale = newValue } }
    }
    /// The id of the call being run (the provider's, or the generated one). Set by the executor.
    public var callID: String
    /// True when the provider sent no id and ``callID`` was made up by the runtime. Such an id is the
    /// same for the same position in every response, so it identifies no request: a handler must not
    /// use it as an idempotency key (a later turn's call would get an earlier turn's result).
    public var callIDWasGenerated: Bool
    /// The name of the tool being run. Set by the executor.
    public var toolName: String
    /// When the whole turn must be over, if the application has a deadline. A handler that calls out
    /// should pass it on; the per-call timeout is enforced by the executor independently.
    public var deadline: ContinuousClock.Instant? {
        get { turn.fields.deadline }
        set { update { $0.deadline = newValue } }
    }
    /// The logger for this call, with `tool.name` and `tool.call.id` metadata once the executor set them.
    ///
    /// The metadata is attached when the logger is read (attaching costs more than many handlers do),
    /// so a handler that logs often should read it once: `let logger = context.logger`.
    public var logger: Logger {
        get {
            guard !callID.isEmpty else { return turn.fields.logger }
            var logger = turn.fields.logger
            logger[metadataKey: "tool.name"] = .string(toolName)
            logger[metadataKey: "tool.call.id"] = .string(callID)
            return logger
        }
        set { update { $0.logger = newValue } }
    }

    /// What every call of a turn shares, boxed: the executor makes a context per call, and copying one
    /// reference instead of the strings, the logger and the bag cut that copy to a few words.
    private var turn: Turn

    private struct Fields: Sendable {
        var customerID: String?
        var userID: String?
        var locale: String
        var deadline: ContinuousClock.Instant?
        var logger: Logger
        var values: [ObjectIdentifier: any Sendable]
    }

    /// Immutable, so sharing it between calls (and their tasks) is safe: a setter boxes a changed copy.
    private final class Turn: Sendable {
        let fields: Fields

        init(_ fields: Fields) { self.fields = fields }
    }

    /// Changes the shared fields of this context only (other contexts keep the box they hold).
    private mutating func update(_ change: (inout Fields) -> Void) {
        var fields = turn.fields
        change(&fields)
        turn = Turn(fields)
    }

    public init(
        customerID: String? = nil,
        userID: String? = nil,
        locale: String = "en-US",
        deadline: ContinuousClock.Instant? = nil,
        logger: Logger = Logger(label: "tool-runtime")
    ) {
        self.turn = Turn(
            Fields(customerID: customerID, userID: userID, locale: locale, deadline: deadline, logger: logger, values: [:])
        )
        self.callID = ""
        self.callIDWasGenerated = false
        self.toolName = ""
    }

    /// An application value stored under `key`, or `nil`.
    public subscript<Key: ToolContextKey>(key: Key.Type) -> Key.Value? {
        get { turn.fields.values[ObjectIdentifier(key)] as? Key.Value }
        set { update { $0.values[ObjectIdentifier(key)] = newValue } }
    }

    /// This context for one call: sets the call id and tool name (which tag ``logger``).
    public func forCall(id: String, toolName: String, idWasGenerated: Bool = false) -> ToolContext {
        var copy = self
        copy.callID = id
        copy.callIDWasGenerated = idWasGenerated
        copy.toolName = toolName
        return copy
    }
}

/// A key for an application value in ``ToolContext``'s typed bag.
public protocol ToolContextKey {
    associatedtype Value: Sendable
}
