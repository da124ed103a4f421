import Foundation
import NGD
import Render

/// Where a report came from. Everything here is a fact of the code and the machine, never of the clock:
/// wall time and the start date live only in `timing.json`, outside the verified files (docs/SPEC.md, "Reproducibility").
public struct Provenance: Codable, Hashable, Sendable {
    public var tool: String
    public var toolVersion: String
    public var gitCommit: String
    /// nil when git or the source tree is not available.
    public var gitDirty: Bool?
    /// The compiler the tool was built with (compile-time, so reruns agree).
    public var swiftVersion: String
    public var operatingSystem: String
    public var architecture: String
    public var cpuModel: String
    public var logicalCores: Int
    public var compute: ComputeEnvironment?
    public var graphics: GraphicsEnvironment?
    public var fonts: [FontRecord]
    public var seeds: [UInt64]
    /// Set only from SOURCE_DATE_EPOCH (ISO 8601, UTC): the one date a report may show.
    public var sourceDate: String?
}

/// From NGD: the BLAS behind the numbers (`openblas_get_config`, `openblas_get_corename`, threads).
public struct ComputeEnvironment: Codable, Hashable, Sendable {
    public var blasLibrary: String
    public var blasCoreName: String
    public var blasThreads: Int

    public init(blasLibrary: String, blasCoreName: String, blasThreads: Int) {
        self.blasLibrary = blasLibrary
        self.blasCoreName = blasCoreName
        self.blasThreads = blasThreads
    }
}

/// From Render: library versions and the font files the figures were drawn with.
public struct GraphicsEnvironment: Codable, Hashable, Sendable {
    public var cairoVersion: String
    public var pangoVersion: String
    public var fontFiles: [String]

    public init(cairoVersion: String, pangoVersion: String, fontFiles: [String]) {
        self.cairoVersion = cairoVersion
        self.pangoVersion = pangoVersion
        self.fontFiles = fontFiles
    }
}

public struct FontRecord: Codable, Hashable, Sendable {
    public var path: String
    public var sha256: String
}

extension Provenance {
    /// Collects provenance for a report on `experiment`. `sourceDirectory` is where git is asked (default: the
    /// source tree this binary was built from, if it still exists); `environment` supplies SOURCE_DATE_EPOCH.
    public static func collect(experiment: ResolvedExperiment, compute: ComputeEnvironment?, graphics: GraphicsEnvironment?,
                               sourceDirectory: String? = Provenance.defaultSourceDirectory,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> Provenance {
        collect(seeds: Array(Set(experiment.members.map(\.run.model.seed))).sorted(), compute: compute, graphics: graphics,
                sourceDirectory: sourceDirectory, environment: environment)
    }

    /// Provenance for any report (spec or paper) whose runs used `seeds`.
    static func collect(seeds: [UInt64], compute: ComputeEnvironment?, graphics: GraphicsEnvironment?,
                        sourceDirectory: String?, environment: [String: String]) -> Provenance {
        let git = sourceDirectory.flatMap(GitState.read) ?? GitState(commit: "unknown", dirty: nil)
        let fonts = (graphics?.fontFiles ?? []).sorted().map {
            FontRecord(path: $0, sha256: SHA256Hex.ofFile(at: $0) ?? "unreadable")
        }
        return Provenance(tool: ToolInfo.name, toolVersion: ToolInfo.version, gitCommit: git.commit, gitDirty: git.dirty,
                          swiftVersion: compilerVersion, operatingSystem: operatingSystemName(),
                          architecture: machineArchitecture(), cpuModel: cpuModelName(),
                          logicalCores: ProcessInfo.processInfo.activeProcessorCount,
                          compute: compute, graphics: graphics, fonts: fonts, seeds: seeds,
                          sourceDate: sourceDate(environment["SOURCE_DATE_EPOCH"]))
    }

    /// The package root of the source this binary was compiled from.
    public static var defaultSourceDirectory: String? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        return FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent("Package.swift")) ? root : nil
    }

    static var compilerVersion: String {
        #if compiler(>=6.4)
        return "6.4 or later"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #elseif compiler(>=6.0)
        return "6.0"
        #else
        return "5.x"
        #endif
    }

    static func sourceDate(_ epoch: String?) -> String? {
        guard let seconds = try? SourceDateEpoch.seconds(from: epoch) else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    static func operatingSystemName() -> String {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else {
            #if os(macOS)
            return "macOS \(ProcessInfo.processInfo.operatingSystemVersionString)"
            #else
            return "unknown"
            #endif
        }
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return "unknown"
    }

    static func cpuModelName() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") { return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        return "unknown"
    }

    static func machineArchitecture() -> String {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: &name.machine) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

struct GitState {
    var commit: String
    var dirty: Bool?

    static func read(in directory: String) -> GitState? {
        guard let commit = run(["-C", directory, "rev-parse", "HEAD"], in: directory)?
            .trimmingCharacters(in: .whitespacesAndNewlines), commit.count >= 7 else { return nil }
        let status = run(["-C", directory, "status", "--porcelain", "--untracked-files=no"], in: directory)
        return GitState(commit: commit, dirty: status.map { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty })
    }

    private static func run(_ arguments: [String], in directory: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
