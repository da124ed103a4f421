#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether `ngd` should run OpenBLAS with a better kernel set than the one it detected, and which.
///
/// OpenBLAS builds with DYNAMIC_ARCH read `OPENBLAS_CORETYPE` once, when the library loads; older releases
/// (Debian 12's 0.3.21) fall back to generic kernels ("Prescott") on CPUs they do not know, 2–2.5× slower.
/// The decision is a pure function of what the process sees (`decide`); the CLI proves the candidate core in a
/// throwaway child (`productCheckPasses`) and re-executes itself with the variable set.
public enum BLASCoreChoice {
    /// `NGD_BLAS_CORE`: unset or "auto" = choose; "keep" = never; a core name = try that core.
    public static let settingVariable = "NGD_BLAS_CORE"
    /// Set for the proving child: run the check, exit 0 when it passes.
    public static let probeVariable = "NGD_BLAS_CORE_PROBE"
    /// Set by the parent for the re-executed `ngd`: "core|detected|reason", so that provenance can say so.
    public static let chosenVariable = "NGD_BLAS_CORE_CHOSEN"
    /// OpenBLAS's own variable.
    public static let coreTypeVariable = "OPENBLAS_CORETYPE"

    public enum Decision: Equatable, Sendable {
        /// Go on with the loaded library as it is.
        case keep(reason: String)
        /// Prove these cores in order (best first) and use the first that passes.
        case tryCores([String], reason: String)
    }

    /// Kernel sets ngd may choose, best first, with the CPU flags each needs (OpenBLAS's names).
    static let candidates: [(core: String, level: Int, flags: [String], label: String)] = [
        ("SkylakeX", 3, ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd", "avx2", "fma"], "AVX-512 F/BW/VL/DQ"),
        ("Haswell", 2, ["avx2", "fma"], "AVX2 and FMA"),
        ("Sandybridge", 1, ["avx"], "AVX"),
    ]

    /// The vector level of a generic core name OpenBLAS falls back to (nil: not a fallback, keep it).
    static func fallbackLevel(of coreName: String) -> Int? {
        let name = coreName.lowercased()
        guard BLASInfo.preAVX2CoreNames.contains(name) else { return nil }
        return name == "sandybridge" || name == "bulldozer" ? 1 : 0
    }

    /// What to do, from the CPU's flags, the core OpenBLAS reports, whether `OPENBLAS_CORETYPE` is set, and
    /// the value of `NGD_BLAS_CORE` (nil when unset).
    public static func decide(cpuFlags: Set<String>, coreName: String, coreTypeIsSet: Bool,
                              setting: String?) -> Decision {
        let setting = setting?.trimmingCharacters(in: " ") ?? ""
        if setting.lowercased() == "keep" { return .keep(reason: "\(settingVariable)=keep") }
        if coreTypeIsSet { return .keep(reason: "\(coreTypeVariable) is set") }
        if !setting.isEmpty && setting.lowercased() != "auto" {
            if setting.lowercased() == coreName.lowercased() { return .keep(reason: "OpenBLAS already runs \(coreName)") }
            return .tryCores([setting], reason: "\(settingVariable)=\(setting)")
        }
        guard let level = fallbackLevel(of: coreName) else {
            return .keep(reason: "OpenBLAS runs \(coreName) kernels, made for this CPU")
        }
        let better = candidates.filter { $0.level > level && $0.flags.allSatisfy(cpuFlags.contains) }
        guard let best = better.first else {
            return .keep(reason: "this CPU has no vector extension beyond OpenBLAS's \(coreName) kernels")
        }
        return .tryCores(better.map(\.core), reason: "this CPU has \(best.label)")
    }

    /// A small dgemm of odd shapes (edge kernels) and one of 192³ (the main kernels), each in both
    /// transpositions, against a plain triple loop: true when every entry agrees to 1e-12 relative.
    public static func productCheckPasses() -> Bool {
        var rng = Xoshiro256StarStar(seed: 2024)
        for (m, k, n) in [(67, 53, 61), (192, 192, 192), (5, 300, 3)] {
            for (ta, tb) in [(false, false), (true, true)] {
                let a = Matrix(rows: ta ? k : m, columns: ta ? m : k, storage: (0..<(m * k)).map { _ in rng.nextNormal() })
                let b = Matrix(rows: tb ? n : k, columns: tb ? k : n, storage: (0..<(k * n)).map { _ in rng.nextNormal() })
                guard let a, let b else { return false }
                let c = Matrix.product(a, b, transposingFirst: ta, transposingSecond: tb)
                for i in 0..<m {
                    for j in 0..<n {
                        var s = 0.0, scale = 0.0
                        for t in 0..<k {
                            let p = (ta ? a[t, i] : a[i, t]) * (tb ? b[j, t] : b[t, j])
                            s += p
                            scale += abs(p)
                        }
                        guard abs(c[i, j] - s) <= 1e-12 * Swift.max(scale, 1) else { return false }
                    }
                }
            }
        }
        return true
    }
}

extension String {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        String(drop(while: { $0 == character }).reversed().drop(while: { $0 == character }).reversed())
    }
}
