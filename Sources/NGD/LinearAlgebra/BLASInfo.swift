import CLapack
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which BLAS the engine runs on, for provenance records and `ngd bench`.
///
/// OpenBLAS 0.3.21 does not know some recent CPUs and uses generic kernels; the core name tells the user
/// whether `OPENBLAS_CORETYPE` (read once when the library loads) took effect, and `automaticCoreChoice`
/// whether `ngd` set it itself (`BLASCoreChoice`).
public struct BLASInfo: Codable, Hashable, Sendable {
    /// Library family ("OpenBLAS").
    public var library: String
    /// `openblas_get_corename()`: the kernel set in use (e.g. "Prescott", "SkylakeX").
    public var coreName: String
    /// `openblas_get_config()`: build options and version string.
    public var configuration: String
    /// `openblas_get_num_threads()`: threads BLAS will use.
    public var threads: Int
    /// When `ngd` chose the core at start-up: which it replaced and why (nil: OpenBLAS's own choice, or the user's).
    public var automaticCoreChoice: String?

    /// The values reported by the linked library right now.
    public static var current: BLASInfo {
        let core = openblas_get_corename().map { String(cString: $0) } ?? "unknown"
        return BLASInfo(library: "OpenBLAS", coreName: core,
                        configuration: openblas_get_config().map { String(cString: $0) } ?? "unknown",
                        threads: Int(openblas_get_num_threads()),
                        automaticCoreChoice: automaticCoreChoice(coreName: core,
                                                                 chosen: environment(BLASCoreChoice.chosenVariable),
                                                                 coreType: environment(BLASCoreChoice.coreTypeVariable)))
    }

    /// "chosen by ngd over the detected Prescott: this CPU has …" when the re-executed process runs the core
    /// its parent chose (`chosen` = "core|detected|reason", and `OPENBLAS_CORETYPE` still names that core).
    static func automaticCoreChoice(coreName: String, chosen: String?, coreType: String?) -> String? {
        guard let parts = chosen?.split(separator: "|", maxSplits: 2).map(String.init), parts.count == 3,
              let coreType, parts[0].lowercased() == coreType.lowercased(),
              parts[0].lowercased() == coreName.lowercased() else { return nil }
        return "chosen by ngd over the detected \(parts[1]): \(parts[2]) (\(BLASCoreChoice.settingVariable)=keep turns this off)"
    }

    /// The core name as provenance records it: with the automatic choice when there was one.
    public var provenanceCoreName: String {
        automaticCoreChoice.map { "\(coreName) (\($0))" } ?? coreName
    }

    static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}

extension BLASInfo {
    /// Sets the threads BLAS uses from here on (`openblas_set_num_threads`); the pattern Gram follows it.
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(clamping: Swift.max(1, count)))
    }
}
