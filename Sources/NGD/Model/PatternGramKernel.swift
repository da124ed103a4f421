import CKernels

/// The instruction set that counts the pattern Gram's AND + popcounts (C kernels in Sources/CKernels).
///
/// Every kernel returns the same exact integers; `automatic` takes the fastest one this CPU runs. Forcing one
/// is for tests and measurements.
public enum PatternGramKernel: Int32, CaseIterable, Sendable, CustomStringConvertible {
    case automatic = 0
    /// The compiler's baseline popcount, no special instruction.
    case portable = 1
    /// x86-64 POPCNT: one word per instruction.
    case popcnt = 2
    /// AVX2 nibble-table popcount (VPSHUFB): four words per instruction.
    case avx2 = 3
    /// AVX-512 VPOPCNTQ: eight words per instruction.
    case avx512 = 4

    /// Whether this CPU runs the kernel.
    public var isSupported: Bool { ngd_popcount_kernel_supported(rawValue) != 0 }

    /// The kernel `automatic` stands for here.
    public static var chosen: PatternGramKernel {
        PatternGramKernel(rawValue: ngd_popcount_kernel_automatic()) ?? .portable
    }

    /// The kernels this CPU runs, `automatic` excluded.
    public static var supported: [PatternGramKernel] { allCases.filter { $0 != .automatic && $0.isSupported } }

    public var description: String {
        switch self {
        case .automatic: return "automatic"
        case .portable: return "portable"
        case .popcnt: return "popcnt"
        case .avx2: return "avx2"
        case .avx512: return "avx512-vpopcntdq"
        }
    }
}
