/// A group of tools that share dependencies (a database, a client) and register together.
///
/// ```swift
/// struct OrderTools: ToolModule {
///     let database: any DatabaseWriter
///     func register(into builder: inout ToolRegistry.Builder) {
///         builder.add(PlaceOrderArguments.self) { args, context in
///             try await placeOrder(args, customer: context.customerID, in: database)
///         }
///     }
/// }
/// let registry = try ToolRegistry(modules: [OrderTools(database: db), ProductTools(database: db)])
/// ```
public protocol ToolModule: Sendable {
    /// Adds this module's tools. Problems (a duplicate name, a schema that does not compile) are
    /// collected by the builder and reported together by ``ToolRegistry/Builder/build()``.
    func register(into builder: inout ToolRegistry.Builder)
}
