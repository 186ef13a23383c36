// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "swift-tool-runtime",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ToolRuntime", targets: ["ToolRuntime"]),
        .library(name: "ToolRuntimeHTTP", targets: ["ToolRuntimeHTTP"]),
        .library(name: "CatalogTools", targets: ["CatalogTools"]),
        .plugin(name: "ToolSchemaPlugin", targets: ["ToolSchemaPlugin"]),
        .executable(name: "toolrt", targets: ["toolrt"]),
        .executable(name: "catalog-demo", targets: ["catalog-demo"]),
        .executable(name: "tool-codegen", targets: ["tool-codegen"]),
    ],
    dependencies: [
        // Floors must be <= the locally mirrored versions, same major.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
    ],
    targets: [
        // Core runtime: no networking, no database; embeddable anywhere.
        .target(
            name: "ToolRuntime",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        // ModelClient over HTTP for OpenAI-compatible endpoints.
        .target(
            name: "ToolRuntimeHTTP",
            dependencies: [
                "ToolRuntime",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The demo shop's data (SQL schema, seed, tool definitions) as bundled resources.
        .target(
            name: "CatalogData",
            path: "catalog",
            exclude: ["README.md", "generator"],
            resources: [.copy("sql")]
        ),
        // Business tool modules on SQLite.
        .target(
            name: "CatalogTools",
            dependencies: [
                "ToolRuntime",
                "CatalogData",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: [.plugin(name: "ToolSchemaPlugin")]
        ),
        // Code generation: pure core, thin CLI, thin build-tool plugin.
        .target(name: "ToolCodegenCore", dependencies: ["ToolRuntime"]),
        .executableTarget(
            name: "tool-codegen",
            dependencies: [
                "ToolCodegenCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .plugin(name: "ToolSchemaPlugin", capability: .buildTool(), dependencies: ["tool-codegen"]),
        .executableTarget(
            name: "toolrt",
            dependencies: [
                "ToolRuntime",
                "CatalogTools",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The demo's logic (offline model, scenario, terminal view), testable apart from its @main.
        .target(
            name: "CatalogDemo",
            dependencies: [
                "ToolRuntime",
                "ToolRuntimeHTTP",
                "CatalogTools",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "catalog-demo",
            dependencies: [
                "CatalogDemo",
                "ToolRuntime",
                "ToolRuntimeHTTP",
                "CatalogTools",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks print figures; they are never timed unit tests.
        .executableTarget(
            name: "toolrt-bench",
            dependencies: [
                "ToolRuntime",
                "CatalogTools",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "ToolRuntimeTests",
            dependencies: [
                "ToolRuntime",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .testTarget(
            name: "ToolCodegenCoreTests",
            dependencies: ["ToolCodegenCore", "ToolRuntime"],
            exclude: ["Fixtures"],  // inputs; the golden ReferenceSources are compiled and decoded into
            plugins: [.plugin(name: "ToolSchemaPlugin")]  // on CatalogSchemas, a link to the catalog's
        ),
        .testTarget(
            name: "CatalogToolsTests",
            dependencies: [
                "CatalogTools",
                "CatalogData",
                "ToolRuntime",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "CatalogDemoTests", dependencies: ["CatalogDemo", "CatalogTools", "ToolRuntime"]),
        .testTarget(
            name: "ToolRuntimeHTTPTests",
            dependencies: [
                "ToolRuntimeHTTP",
                "ToolRuntime",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ]
)

for target in package.targets where [.regular, .executable, .test].contains(target.type) {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),  // SE-0335
        .enableUpcomingFeature("MemberImportVisibility"),  // SE-0444
        .enableUpcomingFeature("InternalImportsByDefault"),  // SE-0409
        .enableUpcomingFeature("NonisolatedNonsendingByDefault"),  // SE-0461
    ]
}
