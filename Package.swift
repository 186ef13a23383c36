// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "swift-tool-runtime",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ToolRuntime", targets: ["ToolRuntime"]),
        .executable(name: "toolrt", targets: ["toolrt"]),
    ],
    dependencies: [
        // Floors must be <= the locally mirrored versions, same major.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
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
        .executableTarget(
            name: "toolrt",
            dependencies: [
                "ToolRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "ToolRuntimeTests",
            dependencies: [
                "ToolRuntime",
                .product(name: "OrderedCollections", package: "swift-collections"),
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
