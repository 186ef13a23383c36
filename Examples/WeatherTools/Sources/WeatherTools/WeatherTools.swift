public import ToolRuntime

/// A tool module with one tool, `get_forecast`, whose arguments type `GetForecastArguments` is
/// generated at build time from `weather.tools.json` by `ToolSchemaPlugin`.
///
/// ```swift
/// let registry = try ToolRegistry(modules: [WeatherTools()])
/// ```
public struct WeatherTools: ToolModule {
    public init() {}

    public func register(into builder: inout ToolRegistry.Builder) {
        builder.add(GetForecastArguments.self) { args, _ in
            Self.forecast(city: args.city, days: args.days ?? 3, unit: args.unit ?? .celsius)
        }
    }

    /// One day of forecast. Temperatures are whole tenths of a degree, so no `Double` reaches the wire.
    public struct Day: Encodable, Sendable, Equatable {
        public var day: Int
        public var highTenths: Int
        public var lowTenths: Int
        public var unit: String
    }

    /// A made-up but deterministic forecast: the example is about typing, not meteorology.
    static func forecast(city: String, days: Int, unit: GetForecastArguments.Unit) -> [Day] {
        let base = city.unicodeScalars.reduce(0) { ($0 + Int($1.value)) % 150 }
        return (0..<days).map { day in
            let high = 100 + base + day * 5
            let low = high - 80
            switch unit {
            case .celsius: return Day(day: day, highTenths: high, lowTenths: low, unit: unit.rawValue)
            case .fahrenheit:
                return Day(day: day, highTenths: high * 9 / 5 + 320, lowTenths: low * 9 / 5 + 320, unit: unit.rawValue)
            }
        }
    }
}
