/// The CPU's model and feature flags as /proc/cpuinfo lists them (empty elsewhere).
public struct CPUDescription: Codable, Hashable, Sendable {
    public var model: String
    public var vendor: String
    /// Feature flags, sorted.
    public var flags: [String]
    public var logicalCPUs: Int

    public init(model: String, vendor: String, flags: [String], logicalCPUs: Int) {
        self.model = model
        self.vendor = vendor
        self.flags = flags.sorted()
        self.logicalCPUs = logicalCPUs
    }

    /// Parses the text of /proc/cpuinfo (first processor's model, vendor and flags; processor count).
    public init(cpuinfo text: String) {
        var model = "unknown", vendor = "unknown", flags: [String] = [], processors = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingWhitespace, value = parts[1].trimmingWhitespace
            switch key {
            case "processor": processors += 1
            case "model name" where model == "unknown": model = value
            case "vendor_id" where vendor == "unknown": vendor = value
            case "flags" where flags.isEmpty: flags = value.split(separator: " ").map(String.init)
            default: break
            }
        }
        self.init(model: model, vendor: vendor, flags: flags, logicalCPUs: processors)
    }

    /// This machine (reads /proc/cpuinfo).
    public static var current: CPUDescription {
        CPUDescription(cpuinfo: ProcessClock.readSmallFile("/proc/cpuinfo") ?? "")
    }
}

extension BLASInfo {
    /// OpenBLAS core names whose kernels predate AVX2 (the generic fallbacks OpenBLAS picks for a CPU it
    /// does not recognise, e.g. 0.3.21 on newer Intel parts).
    public static let preAVX2CoreNames: Set<String> = [
        "generic", "prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "athlon", "opteron",
        "opteron_sse3", "barcelona", "bobcat", "sandybridge", "bulldozer", "katmai", "coppermine", "northwood",
        "banias", "unknown",
    ]

    /// A warning when OpenBLAS runs pre-AVX2 kernels on a CPU with AVX2/AVX-512 (dgemm several times slower),
    /// naming the `OPENBLAS_CORETYPE` that fixes it; nil when the kernels fit the CPU.
    public static func genericKernelWarning(coreName: String, cpu: CPUDescription) -> String? {
        let hasAVX512 = cpu.flags.contains("avx512f"), hasAVX2 = cpu.flags.contains("avx2")
        guard hasAVX2 || hasAVX512, preAVX2CoreNames.contains(coreName.lowercased()) else { return nil }
        let core = hasAVX512 ? "SkylakeX" : (cpu.vendor == "AuthenticAMD" ? "Zen" : "Haswell")
        return "OpenBLAS is running its generic '\(coreName)' kernels although this CPU supports "
            + "\(hasAVX512 ? "AVX-512" : "AVX2"); matrix products are several times slower than they can be. "
            + "Set OPENBLAS_CORETYPE=\(core) for the command (e.g. `OPENBLAS_CORETYPE=\(core) ngd bench`; "
            + "it is read when the library loads), or install an OpenBLAS that knows this CPU (≥ 0.3.26)."
    }

    /// `genericKernelWarning` for the linked BLAS on this machine.
    public var genericKernelWarning: String? {
        BLASInfo.genericKernelWarning(coreName: coreName, cpu: .current)
    }
}

extension Substring {
    var trimmingWhitespace: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
