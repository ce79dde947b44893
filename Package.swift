// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "cadet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cadet", targets: ["cadet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Signing certificates' Open Badges credentials (VC-JWT, ES256).
        .package(url: "https://github.com/vapor/jwt.git", from: "5.2.0"),
    ],
    targets: [
        // The domain: Foundation only, no framework.
        .target(name: "CadetCore", swiftSettings: strict),
        // Running untrusted Python under bubblewrap: Foundation and Glibc only.
        .target(name: "CSpawn"),
        // QR codes through libqrencode (Debian: libqrencode-dev).
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        // PDFs (certificates) through cairo and pango (Debian: libcairo2-dev, libpango1.0-dev).
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]),
        .target(name: "CadetSandbox", dependencies: ["CSpawn"], resources: [.copy("Harness")], swiftSettings: strict),
        .target(
            name: "CadetApp",
            dependencies: [
                "CadetCore",
                "CadetSandbox",
                "CQREncode",
                "CPangoCairo",
                .product(name: "JWT", package: "jwt"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // The exam load benchmark's simulated takers.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        .executableTarget(name: "cadet", dependencies: ["CadetApp", .product(name: "ArgumentParser", package: "swift-argument-parser")], swiftSettings: strict),
        .testTarget(name: "CadetCoreTests", dependencies: ["CadetCore"], swiftSettings: strict),
        .testTarget(name: "CadetSandboxTests", dependencies: ["CadetSandbox"], swiftSettings: strict),
        .testTarget(
            name: "CadetAppTests",
            dependencies: [
                "CadetApp",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
