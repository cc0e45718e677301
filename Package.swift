// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Berth",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "berth", targets: ["berth"]),
    ],
    targets: [
        // C libraries from Debian's -dev packages.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CPostgres", path: "Sources/CPostgres", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"])]),
        // Our own small C shim for Linux syscalls Swift's Glibc module does not expose.
        .target(name: "CLinuxShim", path: "Sources/CLinuxShim",
                cSettings: [.define("_GNU_SOURCE")]),

        .target(name: "BerthCore", path: "Sources/BerthCore"),
        .target(name: "BerthCrypto", dependencies: ["BerthCore", "COpenSSL"], path: "Sources/BerthCrypto"),
        .target(name: "HTTPServer", dependencies: ["BerthCore", "CLinuxShim", "COpenSSL"], path: "Sources/HTTPServer"),
        .target(name: "HTTPClient", dependencies: ["BerthCore", "COpenSSL"], path: "Sources/HTTPClient"),
        .target(name: "BerthStorage", dependencies: ["BerthCore", "BerthCrypto", "HTTPClient"], path: "Sources/BerthStorage"),
        .target(name: "BerthMetadata", dependencies: ["BerthCore", "CSQLite", "CPostgres"], path: "Sources/BerthMetadata"),
        .target(name: "BerthRegistry", dependencies: ["BerthCore", "BerthCrypto", "BerthStorage", "BerthMetadata"],
                path: "Sources/BerthRegistry"),
        .target(name: "BerthScanner", dependencies: ["BerthCore", "BerthCrypto", "CZlib", "CZstd", "CSQLite"], path: "Sources/BerthScanner"),
        .target(name: "BerthAuth", dependencies: ["BerthCore", "BerthCrypto", "BerthMetadata"], path: "Sources/BerthAuth"),
        .target(name: "BerthJobs", dependencies: ["BerthCore", "BerthMetadata"], path: "Sources/BerthJobs"),
        .target(name: "BerthPolicy", dependencies: ["BerthCore"], path: "Sources/BerthPolicy"),
        .target(name: "BerthAPI", dependencies: ["BerthCore", "HTTPServer", "BerthRegistry", "BerthAuth", "BerthPolicy"], path: "Sources/BerthAPI"),
        .target(name: "BerthApp", dependencies: ["BerthCore", "HTTPServer", "BerthStorage", "BerthMetadata",
                                                 "BerthRegistry", "BerthAPI", "BerthAuth", "BerthCrypto",
                                                 "BerthJobs", "BerthScanner", "BerthPolicy"],
                path: "Sources/BerthApp"),
        .executableTarget(name: "berth", dependencies: ["BerthApp"], path: "Sources/berth"),

        .testTarget(name: "BerthCoreTests", dependencies: ["BerthCore", "BerthCrypto"], path: "Tests/BerthCoreTests"),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"], path: "Tests/HTTPServerTests"),
        .testTarget(name: "BerthStorageTests", dependencies: ["BerthStorage", "BerthMetadata"],
                    path: "Tests/BerthStorageTests"),
        .testTarget(name: "BerthMetadataTests", dependencies: ["BerthMetadata", "BerthCore"],
                    path: "Tests/BerthMetadataTests"),
        .testTarget(name: "BerthAPITests", dependencies: ["BerthAPI", "BerthApp", "HTTPServer"],
                    path: "Tests/BerthAPITests"),
        .testTarget(name: "BerthScannerTests", dependencies: ["BerthScanner", "BerthCore"],
                    path: "Tests/BerthScannerTests", resources: [.copy("Fixtures")]),
        .testTarget(name: "BerthAuthTests", dependencies: ["BerthAuth", "BerthCrypto", "BerthMetadata", "BerthCore"],
                    path: "Tests/BerthAuthTests"),
        .testTarget(name: "BerthJobsTests", dependencies: ["BerthJobs", "BerthMetadata", "BerthCore"],
                    path: "Tests/BerthJobsTests"),
        .testTarget(name: "BerthPolicyTests", dependencies: ["BerthPolicy", "BerthCore"], path: "Tests/BerthPolicyTests"),
        .testTarget(name: "BerthRegistryTests", dependencies: ["BerthRegistry", "BerthStorage", "BerthMetadata"],
                    path: "Tests/BerthRegistryTests"),
    ],
    swiftLanguageModes: [.v6]
)
