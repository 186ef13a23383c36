/// What running a tool does to the world, which decides when it may run.
///
/// A read-only or idempotent call may start while the response still streams ("eager"), because
/// running it for a response that later turns out cut off costs nothing but work. A side-effecting call
/// waits until the response finished with a reason that allows execution.
///
/// The three classes mirror MCP's tool annotations (``mcpAnnotations``).
public enum ToolSafety: String, Sendable, Hashable, CaseIterable {
    /// Reads only (`search_products`). MCP: `readOnlyHint: true`.
    case readOnly = "read_only"
    /// Changes state, but running it twice with the same arguments changes nothing more
    /// (`set_cart_quantity`). MCP: `readOnlyHint: false, idempotentHint: true, destructiveHint: false`.
    case idempotent
    /// Changes state each time it runs (`place_order`). MCP: `readOnlyHint: false, idempotentHint: false,
    /// destructiveHint: true`.
    case sideEffecting = "side_effecting"

    /// Whether a call may start before its response has finished streaming.
    public var mayRunEagerly: Bool { self != .sideEffecting }

    /// The MCP `annotations` members for a tool of this class.
    public var mcpAnnotations: JSONValue {
        switch self {
        case .readOnly: ["readOnlyHint": true, "idempotentHint": true, "destructiveHint": false]
        case .idempotent: ["readOnlyHint": false, "idempotentHint": true, "destructiveHint": false]
        case .sideEffecting: ["readOnlyHint": false, "idempotentHint": false, "destructiveHint": true]
        }
    }

    /// The class MCP hints describe; absent hints take MCP's defaults (not read-only, destructive).
    public init(readOnlyHint: Bool?, idempotentHint: Bool?, destructiveHint: Bool?) {
        if readOnlyHint == true {
            self = .readOnly
        } else if idempotentHint == true || destructiveHint == false {
            self = .idempotent
        } else {
            self = .sideEffecting
        }
    }
}
