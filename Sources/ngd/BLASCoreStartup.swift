import Foundation
import NGD

/// The start-up step that gives OpenBLAS a kernel set fit for the CPU when it fell back to generic kernels
/// (`BLASCoreChoice`): OpenBLAS reads `OPENBLAS_CORETYPE` only when it loads, so `ngd` proves the better core in
/// a throwaway child of itself and, when the child's dgemm agrees with a plain loop, re-executes itself with
/// the variable set. `NGD_BLAS_CORE=keep` turns it off; Linux only (the child is /proc/self/exe).
enum BLASCoreStartup {
    /// Runs before argument parsing. Returns normally when `ngd` goes on in this process; does not return
    /// when it re-executes itself or is the proving child.
    static func chooseCore(arguments: [String]) {
        #if os(Linux)
        let environment = ProcessInfo.processInfo.environment
        if environment[BLASCoreChoice.probeVariable] != nil {
            // The proving child: pass only when OpenBLAS took the requested core and multiplies correctly.
            let requested = environment[BLASCoreChoice.coreTypeVariable]?.lowercased()
            let passes = requested == BLASInfo.current.coreName.lowercased() && BLASCoreChoice.productCheckPasses()
            exit(passes ? 0 : 1)
        }
        let words = arguments.dropFirst()
        // Help, version and completion scripts compute nothing.
        if words.isEmpty || words.contains(where: { ["--help", "-h", "--version", "--generate-completion-script",
                                                     "--experimental-dump-help"].contains($0) })
            || words.first == "help" { return }
        let blas = BLASInfo.current
        let decision = BLASCoreChoice.decide(cpuFlags: Set(CPUDescription.current.flags), coreName: blas.coreName,
                                             coreTypeIsSet: environment[BLASCoreChoice.coreTypeVariable] != nil,
                                             setting: environment[BLASCoreChoice.settingVariable])
        guard case .tryCores(let cores, let reason) = decision, let executable = executablePath() else { return }
        let quiet = words.contains("--quiet")
        for core in cores where proves(core, executable: executable) {
            setenv(BLASCoreChoice.coreTypeVariable, core, 1)
            setenv(BLASCoreChoice.chosenVariable, "\(core)|\(blas.coreName)|\(reason)", 1)
            if !quiet {
                note("BLAS: using OpenBLAS's \(core) kernels instead of the \(blas.coreName) kernels it detected "
                     + "(\(reason); a test product in a child process agreed; \(BLASCoreChoice.settingVariable)=keep "
                         + "turns this off)")
            }
            var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
            execv(executable, &argv)
            // exec failed: go on as today, in this process, without the variables.
            unsetenv(BLASCoreChoice.coreTypeVariable)
            unsetenv(BLASCoreChoice.chosenVariable)
            return
        }
        if !quiet {
            note("BLAS: OpenBLAS's \(cores.joined(separator: ", ")) kernels failed a test product in a child process; "
                 + "staying with \(blas.coreName)")
        }
        #endif
    }

    /// Whether a child `ngd` with `OPENBLAS_CORETYPE=core` loads that core and multiplies correctly (10 s at most).
    static func proves(_ core: String, executable: String) -> Bool {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: executable)
        child.arguments = []
        var environment = ProcessInfo.processInfo.environment
        environment[BLASCoreChoice.probeVariable] = "1"
        environment[BLASCoreChoice.coreTypeVariable] = core
        environment["OPENBLAS_NUM_THREADS"] = "1"
        child.environment = environment
        child.standardInput = FileHandle.nullDevice
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        do { try child.run() } catch { return false }
        let deadline = Date().addingTimeInterval(10)
        while child.isRunning && Date() < deadline { usleep(5_000) }
        if child.isRunning {
            child.terminate()
            child.waitUntilExit()
            return false
        }
        // A core the CPU cannot run ends in SIGILL: a signal, not exit 0.
        return child.terminationReason == .exit && child.terminationStatus == 0
    }

    /// This executable's path, resolved once so that the child and the re-executed process are the same file;
    /// nil when `ngd` runs under an explicitly invoked dynamic loader (ld-linux… ngd), which cannot re-execute it.
    static func executablePath() -> String? {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
              FileManager.default.isExecutableFile(atPath: path) else { return nil }
        let name = URL(fileURLWithPath: path).lastPathComponent
        return name.hasPrefix("ld-linux") || name.hasPrefix("ld.so") ? nil : path
    }

    static func note(_ line: String) {
        FileHandle.standardError.write(Data("ngd: \(line)\n".utf8))
    }
}
