// swift-tools-version: 6.2
// A third-party tool module: its own package, depending on ToolRuntime and using its build-tool
// plugin to turn `weather.tools.json` into typed Swift at build time.
import PackageDescription

let package = Package(
    name: "WeatherTools",
    platforms: [.macOS(.v15)],
    dependencies: [
        // In your own package: .package(url: "https://…/swift-tool-runtime.git", from: "…")
        .package(name: "swift-tool-runtime", path: "../..")
    ],
    targets: [
        .target(
            name: "WeatherTools",
            dependencies: [.product(name: "ToolRuntime", package: "swift-tool-runtime")],
            plugins: [.plugin(name: "ToolSchemaPlugin", package: "swift-tool-runtime")]
        ),
        .executableTarget(
            name: "weather-demo",
            dependencies: ["WeatherTools", .product(name: "ToolRuntime", package: "swift-tool-runtime")]
        ),
    ]
)

for target in package.targets {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
        .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
    ]
}
