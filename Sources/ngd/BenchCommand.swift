import ArgumentParser
import Foundation
import NGD
import Report

/// `ngd bench`: times one step of each optimizer (and the forward pass and Gram) on the paper's network at
/// a few sizes, with GEMM rates, peak RSS and the BLAS in use; `--dump-dir` writes the very data for the
/// numpy peer (benchmarks/peers). Method and numbers: docs/PERFORMANCE.md.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time NGD, GD and K-FAC steps, the forward pass and the Gram matrix; report GEMM rates, peak RSS, "
            + "BLAS.")

    @Flag(help: "Print a JSON array with one object per size instead of a table.")
    var json = false

    @Option(help: "Sizes as \"n,d,m;n,d,m…\" (default: 256,784,4096;1024,784,8192;2048,64,16384).")
    var sizes: String?

    @Option(help: "Timed repeats per operation after one warm-up (≥ 5 advised; at most 10000).")
    var repeats: Int = 5

    @Option(help: "Seed of the synthetic data and the initial weights.")
    var seed: UInt64 = 0

    @Option(name: .customLong("lr"), help: "Step size η of every step.")
    var learningRate: Double = 0.5

    @Option(help: "Thread counts \"1,2,4,…\": every size runs at each (BLAS and the pattern Gram), then a scaling table.")
    var threads: String?

    @Option(help: "Time only these operations \"gram,ngd_step,…\" (a short run: GEMM-rate probes skipped).")
    var operations: String?

    @Option(help: "Hidden layers L; L ≥ 2 times whole deep NGD, K-FAC and GD steps (default size 1024,784,2048).")
    var depth: Int = 1

    @Option(name: .customLong("dump-dir"), help: "Write each size's X, Y, W, A in the numpy peer's format to DIR/n<n>-d<d>-m<m>.")
    var dumpDir: String?

    func run() throws {
        guard repeats >= 1 else { throw NGDError("--repeats", "expected at least 1, got \(repeats)", usage: true) }
        try ResourceLimits.checkLimit(repeats, option: "--repeats", maximum: ResourceLimits.maximumBenchRepeats,
                                      what: "repeats")
        guard learningRate > 0, learningRate.isFinite else {
            throw NGDError("--lr", "expected a positive finite step size, got \(learningRate)", usage: true)
        }
        guard depth == 1 else { return try runDeep() }
        let list = try sizes.map { try BenchmarkSize.parseList($0) } ?? BenchmarkSize.defaults
        let threadCounts = try threads.map { try ThreadScaling.parseList($0) }
        let selection = try operations.map { try Benchmark.parseOperations($0) }
        if let dumpDir { try Self.checkDumpLocations(dumpDir, sizes: list) }
        let limits = try ResourceLimits.current()
        for size in list { try Self.checkMemory(of: size, limits: limits) }
        let blas = BLASInfo.current
        if let warning = blas.genericKernelWarning { Self.printError("warning: \(warning)") }
        if repeats < 5 { Self.printError("note: fewer than 5 repeats; medians are rough") }
        let benchmark = Benchmark(repeats: repeats, seed: seed, learningRate: learningRate, dumpDirectory: dumpDir,
                                  operations: selection)
        var results: [BenchmarkResult] = []
        for size in list {
            guard let threadCounts else {
                let result = try benchmark.run(size) { Self.printError("bench: \($0)") }
                if !json { print(Self.table(result)) }
                results.append(result)
                continue
            }
            var runs: [(threads: Int, result: BenchmarkResult)] = []
            for count in threadCounts {
                BLASInfo.setThreads(count)
                let result = try benchmark.run(size) { Self.printError("bench: \(count) thread(s): \($0)") }
                if !json { print(Self.table(result)) }
                runs.append((count, result))
            }
            let scaling = ThreadScaling.table(runs)
            if !json { print(Self.scalingTable(size, scaling)) }
            results += runs.map { run in
                var result = run.result
                result.threadScaling = scaling
                return result
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf",
                                                                          negativeInfinity: "-inf", nan: "nan")
            var bytes = try encoder.encode(results)
            bytes.append(0x0A)
            FileHandle.standardOutput.write(bytes)
        }
    }

    /// The dump directory, each size's folder in it and the files written there (`PeerExchangeFormat`) must be
    /// real directories and plain files, never links, and files already there must have ngd's meta.json beside
    /// them; checked before anything is timed.
    static func checkDumpLocations(_ directory: String, sizes: [BenchmarkSize], depth: Int = 1) throws {
        try CommandErrors.translating {
            try OutputLocation.checkDirectory(directory, option: "--dump-dir")
            for size in sizes {
                try OutputLocation.checkDataFolder((directory as NSString).appendingPathComponent(size.directoryName),
                                                   files: PeerExchangeFormat.fileNames(depth: depth),
                                                   marker: PeerExchangeFormat.metaFile,
                                                   markerSignature: PeerExchangeFormat.formatSignature,
                                                   option: "--dump-dir")
            }
        }
    }

    /// Refuses a size whose step (Gram, pattern, pre-activations, weights) would not fit in memory, before any is timed.
    static func checkMemory(of size: BenchmarkSize, limits: ResourceLimits) throws {
        let name = "n=\(size.n), d=\(size.d), m=\(size.m)"
        try ResourceLimits.checkLimit(size.n, option: "--sizes", maximum: ResourceLimits.maximumExamples, what: "examples (n)")
        try ResourceLimits.checkLimit(size.d, option: "--sizes", maximum: ResourceLimits.maximumDimension,
                                      what: "input dimensions (d)")
        try ResourceLimits.checkLimit(size.m, option: "--sizes", maximum: ResourceLimits.maximumWidth, what: "hidden "
            + "units (m)")
        let cause = ResourceLimits.Cause(source: "--sizes", subject: name)
        let shape = ResourceLimits.RunShape(examples: size.n, dimension: size.d, outputs: 1, width: size.m, steps: 1,
                                            examplesCause: cause, dimensionCause: cause, widthCause: cause, stepsCause: cause)
        try limits.check(shape)
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data("ngd: \(line)\n".utf8))
    }

    /// One line per operation: for each thread count, the median time, the speed-up and the efficiency.
    static func scalingTable(_ size: BenchmarkSize, _ rows: [OperationScaling]) -> String {
        var counts: [Int] = []
        for row in rows where !counts.contains(row.threads) { counts.append(row.threads) }
        let base = counts.first ?? 1
        var lines = ["thread scaling, \(size) (speed-up and efficiency against \(base) thread\(base == 1 ? "" : "s"))",
                     "  " + "operation".padding(toLength: 16, withPad: " ", startingAt: 0)
                         + counts.map { leftPadded("\($0) thread\($0 == 1 ? "" : "s")", 26) }.joined()]
        for operation in ThreadScaling.operations {
            let cells = counts.map { count -> String in
                guard let row = rows.first(where: { $0.operation == operation && $0.threads == count }) else {
                    return leftPadded("—", 26)
                }
                return String(format: "%10.1f ms ×%5.2f %4.0f %%", row.medianMs, row.speedup, 100 * row.efficiency)
            }
            guard cells.contains(where: { !$0.hasSuffix("—") }) else { continue }
            lines.append("  " + operation.padding(toLength: 16, withPad: " ", startingAt: 0) + cells.joined())
        }
        return lines.joined(separator: "\n")
    }

    static func leftPadded(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: Swift.max(0, width - text.count)) + text
    }

    static func table(_ r: BenchmarkResult) -> String {
        func ms(_ key: String) -> String {
            guard let t = r.timings[key] else { return "—" }
            return String(format: "%9.1f ms  (min %.1f, max %.1f; CPU "
                + "%.1f)", t.medianMs, t.minMs, t.maxMs, t.cpuMedianMs)
        }
        var lines = ["n=\(r.n) d=\(r.d) m=\(r.m)  (Z kept by: \(r.preactivationForm); BLAS \(r.blasLibrary) core "
            + "\(r.blasCore), \(r.blasThreads) thread(s))"]
        for (label, key) in [("forward", "forward"), ("Gram", "gram"), ("  Z = XWᵀ", "gram_z"),
                             ("  Z and signs", "gram_pattern"), ("  XXᵀ (dsyrk)", "gram_inputs"),
                             ("  popcount", "gram_popcount"), ("Gram + λ_min", "gram_lambda_min"),
                             ("NGD step", "ngd_step"), ("  solve", "ngd_solve"), ("GD step", "gd_step"),
                             ("K-FAC step", "kfac_step"), ("NGD step, cold", "ngd_cold_step"), ("Z "
                                 + "refresh", "z_refresh")]
            where r.timings[key] != nil {
            lines.append("  " + label.padding(toLength: 16, withPad: " ", startingAt: 0) + ms(key))
        }
        if r.dgemmGflops.isFinite { lines.append(String(format: "  dgemm X·Wᵀ %.1f GFLOP/s, square %d³ %.1f GFLOP/s; "
            + "NGD-step GEMMs %.1f GFLOP/s (%.0f %% of square)",
                            r.dgemmGflops, r.dgemmSquareSize, r.dgemmSquareGflops, r.ngdStepGemmGflops,
                            100 * r.ngdStepGemmShareOfDgemm)) }
        lines.append(String(format: "  peak RSS %.1f MB (baseline %.1f; problem needs %.1f: ×%.2f, ×%.2f without the "
            + "bench's W₀ copy)",
                            r.peakRssMb, r.baselineRssMb, r.requiredMb, r.peakOverRequired, r.stepperPeakOverRequired))
        if let choice = r.blasCoreChoice { lines.append("  BLAS core \(r.blasCore): \(choice)") }
        lines.append(String(format: "  pattern Gram: %.0f M word "
            + "pairs, ", r.popcountWordPairs / 1e6) + "\(r.popcountKernel) popcount")
        lines.append("  loss \(r.loss) → NGD \(r.ngdStepLoss), GD \(r.gdStepLoss), K-FAC \(r.kfacStepLoss)")
        return lines.joined(separator: "\n")
    }
}
