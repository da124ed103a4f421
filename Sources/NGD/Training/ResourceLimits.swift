#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The limits every command checks before it allocates or trains: caps on the counts a user can type, and the
/// memory a run will need against the memory it may use. A refusal is one usage `NGDError` that names the option
/// (or file) and the size, e.g. `--n: 100000 examples need an 80 GB Gram matrix …; this machine has 25.3 GB`.
///
/// The memory budget is the machine's memory (/proc/meminfo MemTotal, else sysconf), or `NGD_MEMORY_LIMIT`
/// (bytes, or a size such as `8GB`, `512MiB`) when set. Estimates are deliberately rough (within a small factor
/// of the peak) and computed with overflow-checked arithmetic, so no count can trap.
public struct ResourceLimits: Sendable, Equatable {
    /// Bytes a run may use.
    public var memoryBytes: Int
    /// Where the budget comes from, for messages: "this machine has 25.3 GB", "NGD_MEMORY_LIMIT is 2 GB".
    public var memorySource: String

    public init(memoryBytes: Int, memorySource: String) {
        self.memoryBytes = memoryBytes
        self.memorySource = memorySource
    }

    /// The environment variable that replaces the machine's memory as the budget.
    public static let memoryVariable = "NGD_MEMORY_LIMIT"

    // MARK: Documented caps on counts (README, "Limits")

    /// Examples n in one data set.
    public static let maximumExamples = 10_000_000
    /// Input dimension d.
    public static let maximumDimension = 100_000_000
    /// Hidden units m.
    public static let maximumWidth = 1_000_000_000
    /// Outputs k.
    public static let maximumOutputs = 10_000
    /// Hidden layers L (`--depth`, spec `depth`).
    public static let maximumDepth = 1_000
    /// Updates per run (`--steps`, spec `steps`).
    public static let maximumSteps = 1_000_000
    /// Updates drawn per example by `ngd figure1 --steps`.
    public static let maximumFigure1Steps = 10_000
    /// Seeds `ngd paper --seeds` averages over.
    public static let maximumSeeds = 1_000
    /// Timed repeats per operation of `ngd bench --repeats`.
    public static let maximumBenchRepeats = 10_000
    /// Runs one spec may expand to (runs × seeds + every sweep's members).
    public static let maximumRuns = 100_000

    /// The budget from `NGD_MEMORY_LIMIT` when set, else the machine's memory.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ResourceLimits {
        if let text = environment[memoryVariable] {
            guard let bytes = parseByteCount(text), bytes > 0 else {
                throw NGDError(memoryVariable, "expected a positive size in bytes or with a unit (e.g. 8GB, 512MiB), got '\(text)'",
                               usage: true)
            }
            return ResourceLimits(memoryBytes: bytes, memorySource: "\(memoryVariable) is \(formatBytes(bytes))")
        }
        let bytes = machineMemoryBytes() ?? 4_000_000_000
        return ResourceLimits(memoryBytes: bytes, memorySource: "this machine has \(formatBytes(bytes))")
    }

    /// Total memory from /proc/meminfo (Linux), else physical pages × page size.
    static func machineMemoryBytes() -> Int? {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }) {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kilobytes = Int(fields[1]) {
                let (bytes, overflow) = kilobytes.multipliedReportingOverflow(by: 1024)
                if !overflow, bytes > 0 { return bytes }
            }
        }
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return nil }
        let (bytes, overflow) = Int(pages).multipliedReportingOverflow(by: Int(pageSize))
        return overflow ? nil : bytes
    }

    /// "123", "8GB", "8 GB", "512MiB", "1.5G": decimal units (K, M, G, T with optional B) and binary ones (KiB…TiB).
    static func parseByteCount(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let unitStart = trimmed.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? trimmed.endIndex
        guard let value = Double(trimmed[..<unitStart]), value.isFinite, value >= 0,
              trimmed[..<unitStart].allSatisfy({ $0.isASCII }) else { return nil }
        let units: [String: Double] = ["": 1, "b": 1, "k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9,
                                       "t": 1e12, "tb": 1e12, "kib": 1024, "mib": 1_048_576, "gib": 1_073_741_824,
                                       "tib": 1_099_511_627_776]
        let unit = trimmed[unitStart...].trimmingCharacters(in: .whitespaces).lowercased()
        guard let scale = units[unit] else { return nil }
        let bytes = (value * scale).rounded()
        guard bytes < 9e18 else { return nil }
        return Int(bytes)
    }

    /// "80 GB", "1.5 MB", "512 B" (decimal units, three significant digits).
    public static func formatBytes(_ bytes: Int) -> String {
        let value = Double(bytes)
        for (scale, unit) in [(1e18, "EB"), (1e15, "PB"), (1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB")] where value >= scale {
            return "\(significant(value / scale)) \(unit)"
        }
        return "\(bytes) B"
    }

    private static func significant(_ x: Double) -> String {
        let text = String(format: x >= 100 ? "%.0f" : x >= 10 ? "%.1f" : "%.2f", x)
        guard text.contains(".") else { return text }
        var trimmed = text
        while trimmed.hasSuffix("0") { trimmed.removeLast() }
        if trimmed.hasSuffix(".") { trimmed.removeLast() }
        return trimmed
    }

    // MARK: Counts

    /// Throws a usage error naming `option` when `value` is above `maximum` (values below 1 are left to the
    /// checks that say what a positive value means for each option).
    public static func checkLimit(_ value: Int, option: String, maximum: Int, what: String) throws {
        guard value <= maximum else {
            throw NGDError(option, "\(value) is above the limit of \(maximum) \(what) (see Limits in the README)", usage: true)
        }
    }

    // MARK: Memory

    /// What the memory of one run is made of, and which option (or file) each part comes from.
    public struct Cause: Sendable, Equatable {
        /// The option or file the error names (`--n`, `data.csv`, `spec.yaml:4:3`).
        public var source: String
        /// The size as a plural noun phrase (`100000 examples`, `200000 rows`); the message goes on "… need …".
        public var subject: String

        public init(source: String, subject: String) {
            self.source = source
            self.subject = subject
        }
    }

    /// The shape of a run as far as memory is concerned, with the causes to blame for each size.
    public struct RunShape: Sendable, Equatable {
        public var examples: Int
        public var dimension: Int
        public var outputs: Int
        public var width: Int
        public var steps: Int
        /// L, the number of hidden layers (each layer after the first adds m×m weights and n×m factors).
        public var depth = 1
        public var depthCause = Cause(source: "--depth", subject: "hidden layers")
        public var optimizer: OptimizerKind = .ngd
        public var recordsOutputs = false
        public var recordsWeights = false
        /// `ngd analyze` and spec runs also compute H∞, G₀ − H∞ and full spectra.
        public var analyzes = false
        /// Spec runs train twice (the run and its linearised theory curve) one after the other.
        public var examplesCause: Cause
        public var dimensionCause: Cause
        public var widthCause: Cause
        public var stepsCause: Cause

        public init(examples: Int, dimension: Int, outputs: Int, width: Int, steps: Int,
                    examplesCause: Cause? = nil, dimensionCause: Cause? = nil, widthCause: Cause? = nil,
                    stepsCause: Cause? = nil) {
            self.examples = examples
            self.dimension = dimension
            self.outputs = outputs
            self.width = width
            self.steps = steps
            self.examplesCause = examplesCause ?? Cause(source: "--n", subject: "\(examples) examples")
            self.dimensionCause = dimensionCause ?? Cause(source: "--d", subject: "\(dimension) input dimensions")
            self.widthCause = widthCause ?? Cause(source: "--width", subject: "\(width) hidden units")
            self.stepsCause = stepsCause ?? Cause(source: "--steps", subject: "\(steps) steps")
        }

        /// The shape of `config` on data of n examples in d dimensions.
        public init(config: TrainingConfig, examples: Int, dimension: Int, analyzes: Bool = false,
                    examplesCause: Cause? = nil, dimensionCause: Cause? = nil) {
            self.init(examples: examples, dimension: dimension, outputs: config.outputs, width: config.width,
                      steps: config.steps, examplesCause: examplesCause, dimensionCause: dimensionCause)
            optimizer = config.optimizer
            depth = config.depth
            depthCause = Cause(source: "--depth", subject: "\(config.depth) hidden layers of \(config.width) units")
            recordsOutputs = config.recordOutputs
            recordsWeights = config.recordWeights
            self.analyzes = analyzes
        }
    }

    /// One part of a run's memory.
    public struct Part: Sendable, Equatable {
        /// "an 80 GB Gram matrix" reads as `article + size + what`.
        public var what: String
        /// Bytes of one such object (what the message quotes).
        public var bytesEach: Int
        /// Bytes of all the objects of this kind the run holds at once.
        public var bytes: Int
        public var cause: Cause
    }

    /// A size too large to count in 64 bits: reported as such, never computed.
    struct Overflow: Error {
        var cause: Cause
    }

    /// The memory parts of a run of `shape`. Throws `Overflow` when a size does not fit in 64 bits.
    static func parts(of shape: RunShape) throws -> [Part] {
        let n = shape.examples, d = shape.dimension, k = shape.outputs, m = shape.width
        func product(_ factors: [Int], _ cause: Cause) throws -> Int {
            var result = 1
            for factor in factors {
                let (next, overflow) = result.multipliedReportingOverflow(by: max(factor, 0))
                guard !overflow else { throw Overflow(cause: cause) }
                result = next
            }
            return result
        }
        func part(_ what: String, each: [Int], copies: Int, _ cause: Cause) throws -> Part {
            let one = try product(each, cause)
            return Part(what: what, bytesEach: one, bytes: try product([one, copies], cause), cause: cause)
        }
        let nk = try product([n, k], shape.examplesCause)
        // G and the pattern Gram at θ₀ and θ_k, the update's system, the solver's factor, its eigen fallback and
        // the eigenvalue copies (nk × nk each); XXᵀ (n × n). Measured: a training step peaks near 9.5 Gram
        // matrices, `analyze` (H∞, G₀ − H∞, spectra) near 8.5.
        let gramCopies = shape.analyzes ? 8 : 9
        var parts = [
            try part("Gram matrix (nk × nk doubles)", each: [nk, nk, 8], copies: gramCopies, shape.examplesCause),
            try part("input Gram matrix (n × n doubles)", each: [n, n, 8], copies: shape.analyzes ? 3 : 1,
                     shape.examplesCause),
            // Z = XWᵀ at θ₀ and θ_k, and the bit-packed activation pattern of each.
            try part("pre-activation matrix (n × m doubles)", each: [n, m, 8], copies: 2, shape.widthCause),
            try part("activation pattern (n × m bits)", each: [n, m / 8 + 1], copies: 2, shape.widthCause),
            // W at θ₀ and θ_k, the update, the next iterate and the displacement.
            try part("weight matrix (m × d doubles)", each: [m, d, 8], copies: shape.recordsWeights ? 8 : 5,
                     shape.widthCause),
            try part("data set (n × (d + k) doubles)", each: [n, d + k, 8], copies: 2,
                     d >= n ? shape.dimensionCause : shape.examplesCause),
        ]
        // Each step's record (about 16 numbers, kept and then written as text), plus the outputs when recorded.
        let stepBytes = try product([shape.recordsOutputs ? nk + 16 : 16, 8 + 24], shape.stepsCause)
        parts.append(try part("per-step history", each: [stepBytes, shape.steps + 1], copies: 1, shape.stepsCause))
        if shape.optimizer == .kfac {
            parts.append(try part("K-FAC input factor (d × d doubles)", each: [d, d, 8], copies: 2, shape.dimensionCause))
        }
        if shape.depth > 1 { parts += try deepParts(of: shape, product: product) }
        return parts
    }

    /// The parts a deep network adds, per layer after the first: W^l (m×m) at θ₀, θ_k, the update, the next
    /// iterate and the displacement; per layer, its input and pre-activations (n × m) and its backward factor
    /// (nk × m) at θ₀ and θ_k, and a layer's share of G and the drift products (nk × nk, a few at a time).
    static func deepParts(of shape: RunShape, product: ([Int], Cause) throws -> Int) throws -> [Part] {
        let n = shape.examples, k = shape.outputs, m = shape.width, layers = shape.depth, cause = shape.depthCause
        func part(_ what: String, each: [Int], copies: Int) throws -> Part {
            let one = try product(each, cause)
            return Part(what: what, bytesEach: one, bytes: try product([one, copies], cause), cause: cause)
        }
        return [
            try part("hidden weight matrix (m × m doubles)", each: [m, m, 8], copies: try product([layers - 1, 5], cause)),
            try part("layer factor matrix (n × m doubles)", each: [n, m, 8], copies: try product([layers, 4 + 2 * k], cause)),
            try part("layer Gram matrix (nk × nk doubles)", each: [n, k, n, k, 8], copies: 4),
        ]
    }

    /// Throws a usage error naming the option (or file) behind the largest part when a run of `shape` needs more
    /// memory than the budget, or a size that cannot even be counted.
    public func check(_ shape: RunShape) throws {
        let parts: [Part]
        do {
            parts = try Self.parts(of: shape)
        } catch let overflow as Overflow {
            throw NGDError(overflow.cause.source, "\(overflow.cause.subject) need more memory than a 64-bit size can "
                                                + "count; \(memorySource)", usage: true)
        }
        var total = 0
        for part in parts {
            let (sum, overflow) = total.addingReportingOverflow(part.bytes)
            total = overflow ? Int.max : sum
        }
        guard total > memoryBytes, let largest = parts.max(by: { $0.bytes < $1.bytes }) else { return }
        let size = Self.formatBytes(largest.bytesEach)
        let whole = size.prefix { $0.isNumber }
        let article = whole.hasPrefix("8") || whole == "11" || whole == "18" ? "an" : "a"
        throw NGDError(largest.cause.source, "\(largest.cause.subject) need \(article) \(size) \(largest.what), "
                                          + "\(Self.formatBytes(total)) in all; \(memorySource)", usage: true)
    }
}
