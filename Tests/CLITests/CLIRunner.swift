import Foundation

/// Runs the built `ngd` executable (a dependency of this test target, so SwiftPM builds it first).
struct CLIRunner {
    struct Outcome {
        var status: Int32
        /// True when the process ended by a signal (a crash), not by exit().
        var crashed: Bool
        var stdout: String
        var stderr: String
    }

    /// The `ngd` binary beside the test bundle in the build directory.
    static let executable: URL = {
        let testBundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let beside = testBundleDirectory.appendingPathComponent("ngd")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        // Fallback: <package>/.build/debug/ngd, from this file's location.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/ngd")
    }()

    static func run(_ arguments: [String], environment: [String: String] = [:],
                    currentDirectory: URL? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = "1"
        // The BLAS core stays what OpenBLAS detects: no start-up re-exec with another core in the suite.
        env["NGD_BLAS_CORE"] = "keep"
        env.removeValue(forKey: "NGD_MNIST_DIR")
        // Under `swift test --sanitize=address` the child is instrumented too; LeakSanitizer would report what is
        // still allocated when an error path calls exit(), which is not a leak of a running program.
        if env["ASAN_OPTIONS"] == nil { env["ASAN_OPTIONS"] = "detect_leaks=0" }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting, so a chatty child cannot block on a full pipe.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus,
                       crashed: process.terminationReason == .uncaughtSignal,
                       stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary directory, removed by the caller with `FileManager.removeItem`.
    static func temporaryDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ngd-cli-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
