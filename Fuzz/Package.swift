// swift-tools-version:6.0
import PackageDescription

// libFuzzer harnesses for ngd's parsers. A separate package so that the main build never needs -sanitize=fuzzer:
//   scripts/fuzz.sh SECONDS        (builds with `swift build -sanitize=fuzzer` here and runs each target)
let harness: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"]), .swiftLanguageMode(.v5)]

let package = Package(
    name: "ngd-fuzz",
    dependencies: [.package(name: "ngd", path: "..")],
    targets: [
        .executableTarget(name: "FuzzIDX", dependencies: [.product(name: "NGD", package: "ngd")], swiftSettings: harness),
        .executableTarget(name: "FuzzCSV", dependencies: [.product(name: "NGD", package: "ngd")], swiftSettings: harness),
        .executableTarget(name: "FuzzGzip", dependencies: [.product(name: "NGD", package: "ngd")], swiftSettings: harness),
    ]
)
