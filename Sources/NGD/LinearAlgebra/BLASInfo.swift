import CLapack

/// Which BLAS the engine runs on, for provenance records and `ngd bench`.
///
/// OpenBLAS 0.3.21 does not know this machine's CPU and silently uses generic kernels; the core name tells
/// the user whether `OPENBLAS_CORETYPE` (read once when the library loads) took effect.
public struct BLASInfo: Codable, Hashable, Sendable {
    /// Library family ("OpenBLAS").
    public var library: String
    /// `openblas_get_corename()`: the kernel set in use (e.g. "Prescott", "SkylakeX").
    public var coreName: String
    /// `openblas_get_config()`: build options and version string.
    public var configuration: String
    /// `openblas_get_num_threads()`: threads BLAS will use.
    public var threads: Int

    /// The values reported by the linked library right now.
    public static var current: BLASInfo {
        BLASInfo(library: "OpenBLAS",
                 coreName: openblas_get_corename().map { String(cString: $0) } ?? "unknown",
                 configuration: openblas_get_config().map { String(cString: $0) } ?? "unknown",
                 threads: Int(openblas_get_num_threads()))
    }
}
