// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// ONNX Runtime's library lives in .deps/onnxruntime/lib (scripts/bootstrap.sh); link it with an rpath so
// that aishorts, the benchmarks and the tests find it without LD_LIBRARY_PATH.
let onnxRuntimeLib = Context.packageDirectory + "/.deps/onnxruntime/lib"

let package = Package(
    name: "aishorts",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "aishorts", targets: ["aishorts"]),
        .library(name: "AiShortsCore", targets: ["AiShortsCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", .upToNextMinor(from: "1.0.2")),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", .upToNextMinor(from: "0.12.1")),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        // The PostgreSQL job queue (scale-out: many API nodes and workers share one queue).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(name: "COnnxRuntime"),
        .systemLibrary(name: "CKissFFT"),
        .systemLibrary(name: "CZlib"),
        .systemLibrary(name: "CMalloc"),
        // Word boundaries from Debian's ICU (libicu-dev): dictionary words for Chinese, Japanese and
        // Thai, which write no spaces. A C target rather than a module map: ICU's headers clash with
        // the ICU copy inside Foundation (`_FoundationICU`), so only plain C types cross into Swift.
        .target(name: "CWordBreaks", linkerSettings: [.linkedLibrary("icuuc")]),
        // The hibari voice's signal back end (vocoder, noise, vector math). Its own module so that it is
        // optimised even in debug builds: unoptimised, its SIMD loops run ~200x slower, which made every
        // debug narration (tests, `make demo`) crawl. It holds numeric kernels only; the engine that
        // uses it is AiShortsCore's HibariNarrator.
        .target(
            name: "HibariKernels",
            dependencies: ["CKissFFT"],
            swiftSettings: strict + [.unsafeFlags(["-O"])]
        ),
        .target(
            name: "AiShortsCore",
            dependencies: [
                "COnnxRuntime",
                "HibariKernels",
                "CZlib",
                "CMalloc",
                "CWordBreaks",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict + [.enableUpcomingFeature("InternalImportsByDefault")],
            linkerSettings: [
                .unsafeFlags(["-L\(onnxRuntimeLib)", "-Xlinker", "-rpath", "-Xlinker", onnxRuntimeLib])
            ]
        ),
        // The HTTP face of the core: REST, server-sent events, uploads, metrics. One file per resource.
        .target(
            name: "AiShortsServer",
            dependencies: [
                "AiShortsCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                // Reads the OpenAPI document's paths, so a known path with the wrong method gets 405.
                .product(name: "Yams", package: "Yams"),
            ],
            // Studio: the web page served at / (HTML, CSS and JavaScript modules, no build step).
            resources: [.copy("Resources"), .copy("Studio")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "aishorts",
            dependencies: [
                "AiShortsCore",
                "AiShortsServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MCP", package: "swift-sdk"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "aishorts-bench",
            // The footage benchmark starts the loopback stock-footage stub the tests use.
            dependencies: [
                "AiShortsCore", "AiShortsServer", "HibariKernels", "AiShortsTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // The queue benchmark runs its worker processes.
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/aishorts-bench",
            swiftSettings: strict
        ),
        // Test helpers shared by both test targets: the loopback OpenAI-compatible stub server.
        .target(
            name: "AiShortsTestSupport",
            dependencies: [
                "AiShortsCore",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/AiShortsTestSupport",
            exclude: ["openai_stub.py", "footage_stub.py"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "aishortsTests",
            dependencies: ["AiShortsCore", "AiShortsTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AiShortsServerTests",
            dependencies: [
                "AiShortsCore", "AiShortsServer", "AiShortsTestSupport",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["Support/mcp_http_client.py"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AiShortsCoreTests",
            dependencies: ["AiShortsCore", "HibariKernels", "AiShortsTestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
    ]
)
