import Foundation
import ToolRuntime
import WeatherTools

// Runs two calls the way a model would send them, through validation, decoding into the generated
// type and the typed handler, and prints what the model would get back. Exits non-zero when the
// outcomes are not the expected ones, so `swift run weather-demo` doubles as a smoke test.
let registry = try ToolRegistry(modules: [WeatherTools()])
let calls = [
    #"{"city": "Berlin", "days": 2, "unit": "fahrenheit"}"#,
    #"{"city": "Berlin", "days": 9}"#,
].enumerated().map { index, arguments in
    ToolCall(
        index: index, id: "call_\(index)", name: "get_forecast", arguments: arguments, status: .complete,
        value: try? JSONParser.parse(arguments))
}
let outcomes = await ToolExecutor(registry: registry).execute(calls, context: ToolContext())
for outcome in outcomes {
    print("\(outcome.call.id) \(outcome.status): \(outcome.contentJSON.jsonText)")
}
guard outcomes.map(\.status) == ["ok", "invalid_arguments"] else {
    print("unexpected outcomes: \(outcomes.map(\.status))")
    exit(1)
}
