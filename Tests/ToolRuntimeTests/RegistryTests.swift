import Testing
import ToolRuntime

private struct SearchArguments: ToolArguments {
    static let toolName = "search_products"
    static let toolDescription = "Finds products."
    static let parametersSchemaJSON = #"{"type":"object","properties":{"query":{"type":"string"}}}"#
    static let safety = ToolSafety.readOnly
    var query: String?
}

private struct BrokenSchemaArguments: ToolArguments {
    static let toolName = "broken"
    static let toolDescription = "Its schema is not JSON."
    static let parametersSchemaJSON = #"{"type":"object""#
    static let safety = ToolSafety.readOnly
}

private struct Products: ToolModule {
    func register(into builder: inout ToolRegistry.Builder) {
        builder.add(SearchArguments.self) { args, _ in ["query": .string(args.query ?? "")] as JSONValue }
    }
}

private struct Utilities: ToolModule {
    func register(into builder: inout ToolRegistry.Builder) {
        builder.add(Echo.self) { args, _ in args.text }
    }
}

@Suite struct RegistryTests {
    @Test func modulesRegisterInOneLineAndAreLookedUpByName() throws {
        let registry = try ToolRegistry(modules: [Products(), Utilities()])
        #expect(registry.names == ["search_products", "echo"])
        #expect(registry["echo"]?.safety == .readOnly)
        #expect(registry["search_products"]?.description == "Finds products.")
        #expect(registry["nope"] == nil)
    }

    @Test func rejectsDuplicateNamesWithEveryProblemListed() {
        #expect {
            try ToolRegistry(modules: [Products(), Utilities(), Products()])
        } throws: { error in
            let error = error as? ToolRegistryError
            return error?.problems == [.init(toolName: "search_products", message: "a tool with this name is already registered")]
                && error?.description.contains("search_products") == true
        }
    }

    @Test func reportsASchemaThatIsNotJSON() {
        #expect {
            try ToolRegistry { builder in
                builder.add(BrokenSchemaArguments.self) { _, _ in "never" }
                builder.add(name: "", description: "", parameters: [:], safety: .readOnly) { _, _ in "never" }
            }
        } throws: { error in
            let problems = (error as? ToolRegistryError)?.problems ?? []
            return problems.count == 2 && problems[0].toolName == "broken"
                && problems[0].message.contains("not JSON") && problems[1].message.contains("empty")
        }
    }

    @Test func exportsToolsInEachWireShape() throws {
        let registry = try ToolRegistry(modules: [Utilities()])
        let parameters = try JSONParser.parse(Echo.parametersSchemaJSON)
        #expect(
            registry.toolsJSON(for: .openAIChat)
                == [["type": "function", "function": ["name": "echo", "description": "Returns its text.", "parameters": parameters]]]
        )
        #expect(
            registry.toolsJSON(for: .anthropicMessages)
                == [["name": "echo", "description": "Returns its text.", "input_schema": parameters]]
        )
        #expect(
            registry.toolsJSON(for: .openAIResponses)
                == [["type": "function", "name": "echo", "description": "Returns its text.", "parameters": parameters]]
        )
    }

    @Test func safetyClassesMapToMCPHints() {
        #expect(ToolSafety.readOnly.mcpAnnotations["readOnlyHint"] == true)
        #expect(ToolSafety.idempotent.mcpAnnotations["idempotentHint"] == true)
        #expect(ToolSafety.sideEffecting.mcpAnnotations["destructiveHint"] == true)
        for safety in ToolSafety.allCases {
            let hints = safety.mcpAnnotations
            #expect(
                ToolSafety(
                    readOnlyHint: hints["readOnlyHint"]?.bool,
                    idempotentHint: hints["idempotentHint"]?.bool,
                    destructiveHint: hints["destructiveHint"]?.bool
                ) == safety
            )
        }
        #expect(ToolSafety(readOnlyHint: nil, idempotentHint: nil, destructiveHint: nil) == .sideEffecting)
        #expect(!ToolSafety.sideEffecting.mayRunEagerly)
        #expect(ToolSafety.idempotent.mayRunEagerly)
    }

    @Test func contextBagIsTyped() {
        enum TenantKey: ToolContextKey { typealias Value = String }
        var context = ToolContext(customerID: "c-1")
        #expect(context[TenantKey.self] == nil)
        context[TenantKey.self] = "acme"
        let perCall = context.forCall(id: "call_9", toolName: "echo")
        #expect(perCall[TenantKey.self] == "acme")
        #expect(perCall.callID == "call_9")
    }

    /// The turn-wide fields are shared between a context and its per-call copies: changing them in one
    /// copy must leave every other copy as it was.
    @Test func contextCopiesAreIndependent() {
        enum TenantKey: ToolContextKey { typealias Value = String }
        let deadline = ContinuousClock.now
        var turn = ToolContext(customerID: "c-1", userID: "u-1", locale: "de-DE", deadline: deadline)
        turn[TenantKey.self] = "acme"
        var perCall = turn.forCall(id: "call_1", toolName: "echo", idWasGenerated: true)
        #expect(perCall.customerID == "c-1" && perCall.userID == "u-1" && perCall.locale == "de-DE")
        #expect(perCall.deadline == deadline && perCall.callIDWasGenerated && perCall.toolName == "echo")

        perCall.customerID = "c-2"
        perCall.userID = nil
        perCall.locale = "fr-FR"
        perCall.deadline = nil
        perCall[TenantKey.self] = "other"
        #expect(perCall.customerID == "c-2" && perCall.userID == nil && perCall.locale == "fr-FR")
        #expect(perCall.deadline == nil && perCall[TenantKey.self] == "other")

        #expect(turn.customerID == "c-1" && turn.userID == "u-1" && turn.locale == "de-DE")
        #expect(turn.deadline == deadline && turn[TenantKey.self] == "acme")
        let sibling = turn.forCall(id: "call_2", toolName: "echo")
        #expect(sibling.customerID == "c-1" && sibling[TenantKey.self] == "acme" && sibling.callID == "call_2")
    }
}
