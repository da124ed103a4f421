/// Repeated timings of one operation: median and spread of wall time, and the median CPU time.
public struct TimingSummary: Codable, Hashable, Sendable {
    public var medianMs: Double
    public var minMs: Double
    public var maxMs: Double
    /// Lower and upper quartile (linear interpolation).
    public var q1Ms: Double
    public var q3Ms: Double
    /// Median user + system CPU time of all threads; ≫ wall time means BLAS threads were busy, ≪ means the
    /// process waited for a core.
    public var cpuMedianMs: Double
    public var warmups: Int
    public var samplesMs: [Double]

    public init(wallMs: [Double], cpuMs: [Double], warmups: Int) {
        let sorted = wallMs.sorted()
        medianMs = TimingSummary.quantile(sorted, 0.5)
        minMs = sorted.first ?? .nan
        maxMs = sorted.last ?? .nan
        q1Ms = TimingSummary.quantile(sorted, 0.25)
        q3Ms = TimingSummary.quantile(sorted, 0.75)
        cpuMedianMs = TimingSummary.quantile(cpuMs.sorted(), 0.5)
        self.warmups = warmups
        samplesMs = wallMs
    }

    /// Times `body` `repeats` times after `warmups` untimed runs; `prepare` runs before each, untimed.
    public static func measure(repeats: Int, warmups: Int = 1, prepare: () throws -> Void = {},
                               _ body: () throws -> Void) rethrows -> TimingSummary {
        for _ in 0..<warmups {
            try prepare()
            try body()
        }
        var wall: [Double] = [], cpu: [Double] = []
        for _ in 0..<repeats {
            try prepare()
            let c0 = ProcessClock.cpuSeconds(), t0 = ProcessClock.wallSeconds()
            try body()
            let t1 = ProcessClock.wallSeconds(), c1 = ProcessClock.cpuSeconds()
            wall.append((t1 - t0) * 1e3)
            cpu.append((c1 - c0) * 1e3)
        }
        return TimingSummary(wallMs: wall, cpuMs: cpu, warmups: warmups)
    }

    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = Swift.min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
}
