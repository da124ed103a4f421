// swift-tools-version:6.0
import PackageDescription

// Module graph (see docs/ARCHITECTURE.md): NGD and Render never import each other;
// Report joins them; the `ngd` executable is a thin command-line layer over Report and NGD.
let package = Package(
    name: "ngd",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ngd", targets: ["ngd"]),
        .library(name: "NGD", targets: ["NGD"]),
        .library(name: "Render", targets: ["Render"]),
        .library(name: "Report", targets: ["Report"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
    ],
    targets: [
        // System libraries: one module map + shim header each.
        .systemLibrary(name: "CLapack", path: "Sources/CLapack", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CPangoCairo", path: "Sources/CPangoCairo", pkgConfig: "pangocairo",
                       providers: [.apt(["libpango1.0-dev"])]),

        // The popcount kernel of the pattern Gram, in C so that it can use POPCNT when the CPU has it.
        .target(name: "CKernels", path: "Sources/CKernels"),

        .target(name: "NGD", dependencies: ["CLapack", "CZlib", "CKernels"],
                exclude: ["Resources/DIGITS-LICENSE.rst", "Engine.md"],
                resources: [.copy("Resources/digits.csv.gz")],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        .target(name: "Render", dependencies: ["CCairo", "CPangoCairo"],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        .target(name: "Report", dependencies: [
                    "NGD", "Render", "CZlib",
                    .product(name: "Yams", package: "Yams"),
                    .product(name: "Mustache", package: "swift-mustache"),
                    .product(name: "Crypto", package: "swift-crypto"),
                ],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "ngd", dependencies: [
                    "NGD", "Render", "Report", "CKernels",
                    .product(name: "ArgumentParser", package: "swift-argument-parser"),
                ],
                swiftSettings: [.swiftLanguageMode(.v5)]),

        .testTarget(name: "NGDTests", dependencies: ["NGD"], swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(name: "RenderTests", dependencies: ["Render"], swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "NGD", "Render"],
                    swiftSettings: [.swiftLanguageMode(.v5)]),
        .testTarget(name: "CLITests", dependencies: ["ngd"], exclude: ["Corpus"],
                    swiftSettings: [.swiftLanguageMode(.v5)]),
    ]
)
