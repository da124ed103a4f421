import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// What one child process cost: its wall time and its own peak resident set (ru_maxrss from wait4, which
    /// counts this child only, unlike getrusage(RUSAGE_CHILDREN) under parallel tests).
    struct Measured {
        var status: Int32
        var seconds: Double
        var maxResidentKilobytes: Int
        var stderr: String
    }

    /// Runs `ngd arguments` under GNU time (`/usr/bin/time`, Debian's `time` package, which `make test` installs) and
    /// reads the child's own peak RSS from it; stdout is discarded, stderr goes through a file in `scratch` (paths in
    /// `arguments` must be absolute: the child keeps our directory). Why not wait4's ru_maxrss: posix_spawn starts the
    /// child on this process's address space (vfork), and Linux folds that space's high-water mark into the child's
    /// maxrss at exec, so it would report the test runner's size. GNU time forks from its own small process.
    static func runMeasured(_ arguments: [String], scratch: URL) throws -> Measured {
        let errorPath = scratch.appendingPathComponent(".stderr-\(UUID().uuidString)").path
        let peakPath = scratch.appendingPathComponent(".peak-\(UUID().uuidString)").path
        defer { for path in [errorPath, peakPath] { try? FileManager.default.removeItem(atPath: path) } }
        let time = "/usr/bin/time"
        guard FileManager.default.isExecutableFile(atPath: time) else {
            throw CocoaError(.executableNotLoadable, userInfo: [NSFilePathErrorKey: time])
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        environment["NGD_BLAS_CORE"] = "keep"
        environment["ASAN_OPTIONS"] = environment["ASAN_OPTIONS"] ?? "detect_leaks=0"
        let argv = ([time, "-f", "%M", "-o", peakPath, executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        let started = Date()
        var pid = pid_t()
        let spawned = posix_spawn(&pid, time, &actions, nil, argv, envp)
        guard spawned == 0 else { throw CocoaError(.executableLoad) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let seconds = Date().timeIntervalSince(started)
        let exited = status & 0x7F == 0
        // GNU time writes "Command exited with non-zero status N" before the format's line when the child failed.
        let peakText = (try? String(contentsOfFile: peakPath, encoding: .utf8)) ?? ""
        let peak = peakText.split(separator: "\n").last.flatMap { Int(String($0)) } ?? Int.max
        return Measured(status: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), seconds: seconds,
                        maxResidentKilobytes: peak,
                        stderr: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
    }

    /// A fresh temporary directory, removed by the caller with `FileManager.removeItem`.
    static func temporaryDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ngd-cli-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
