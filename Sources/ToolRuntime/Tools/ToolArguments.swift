/// The typed arguments of one tool, with everything the runtime needs to offer and run it.
///
/// The `ToolSchemaPlugin` generates a conforming struct per definition in a `*.tools.json` file;
/// a hand-written type works the same way. Registration then reads:
/// ```swift
/// builder.add(PlaceOrderArguments.self) { args, context in
///     try await orders.place(args.items, for: context.customerID)
/// }
/// ```
/// The runtime validates the model's arguments against ``parametersSchemaJSON`` before decoding, so a
/// decoded value has already passed every schema check.
public protocol ToolArguments: Decodable, Sendable {
    /// The wire name (`place_order`).
    static var toolName: String { get }
    /// What the tool does, for the model.
    static var toolDescription: String { get }
    /// The parameters JSON Schema, exactly the text the model is shown.
    static var parametersSchemaJSON: String { get }
    /// What running the tool does to the world.
    static var safety: ToolSafety { get }
    /// How long one call may run; `nil` means the executor's default.
    static var timeout: Duration? { get }
}

extension ToolArguments {
    public static var timeout: Duration? { nil }
}
