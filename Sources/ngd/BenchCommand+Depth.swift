import Foundation
import NGD
import Report

extension BenchCommand {
    /// `ngd bench --depth L` for L ≥ 2 (docs/DEEP.md): one row per size, whole steps of the deep network.
    func runDeep() throws {
        let deep = TrainingConfig(width: 1, depth: depth)
        try deep.validate()   // --depth 0 and depths above the limit, before anything else
        guard threads == nil, operations == nil else {
            throw NGDError(threads != nil ? "--threads" : "--operations", "applies to the two-layer bench only (--depth 1)",
                           usage: true)
        }
        guard repeats >= 1 else { throw NGDError("--repeats", "expected at least 1, got \(repeats)", usage: true) }
        try ResourceLimits.checkLimit(repeats, option: "--repeats", maximum: ResourceLimits.maximumBenchRepeats,
                                      what: "repeats")
        guard learningRate > 0, learningRate.isFinite else {
            throw NGDError("--lr", "expected a positive finite step size, got \(learningRate)", usage: true)
        }
        let list = try sizes.map { try BenchmarkSize.parseList($0) } ?? [DeepBenchmark.defaultSize]
        let limits = try ResourceLimits.current()
        for size in list {
            try Self.checkMemory(of: size, limits: limits)
            var shape = ResourceLimits.RunShape(config: TrainingConfig(width: size.m, steps: 1, depth: depth),
                                                examples: size.n, dimension: size.d)
            shape.depthCause = ResourceLimits.Cause(source: "--depth", subject: "\(depth) hidden layers at \(size)")
            try limits.check(shape)
        }
        if let dumpDir { try Self.checkDumpLocations(dumpDir, sizes: list, depth: depth) }
        let bench = DeepBenchmark(depth: depth, repeats: repeats, seed: seed, learningRate: learningRate,
                                  dumpDirectory: dumpDir)
        var results: [DeepBenchmarkResult] = []
        for size in list {
            let result = try bench.run(size)
            if !json { print(Self.deepRow(result)) }
            results.append(result)
        }
        guard json else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                      nan: "nan")
        var bytes = try encoder.encode(results)
        bytes.append(0x0A)
        FileHandle.standardOutput.write(bytes)
    }

    static func deepRow(_ r: DeepBenchmarkResult) -> String {
        func ms(_ key: String) -> String {
            guard let t = r.timings[key] else { return "—" }
            return String(format: "%9.1f ms  (min %.1f, max %.1f; CPU %.1f)", t.medianMs, t.minMs, t.maxMs, t.cpuMedianMs)
        }
        return ["n=\(r.n) d=\(r.d) m=\(r.m) depth=\(r.depth)  (\(r.blasThreads) BLAS thread(s); whole steps)",
                "  NGD step        " + ms("ngd_step"), "  K-FAC step      " + ms("kfac_step"),
                "  GD step         " + ms("gd_step"), String(format: "  peak RSS %.1f MB", r.peakRssMb),
                "  loss \(r.loss) → NGD \(r.ngdStepLoss), GD \(r.gdStepLoss), K-FAC \(r.kfacStepLoss)"]
            .joined(separator: "\n")
    }
}
