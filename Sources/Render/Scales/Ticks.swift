import Foundation

/// Linear or base-10 logarithmic axis scale.
public enum AxisScale: String, Hashable, Sendable, Codable {
    case linear, log10

    func transform(_ v: Double) -> Double { self == .linear ? v : Foundation.log10(v) }
    func inverse(_ t: Double) -> Double { self == .linear ? t : pow(10, t) }
    func isValid(_ v: Double) -> Bool { v.isFinite && (self == .linear || v > 0) }
}

/// One tick mark: its data value, whether it is a major tick, and its label as Pango markup (nil = unlabelled).
public struct Tick: Hashable, Sendable {
    public var value: Double
    public var isMajor: Bool
    public var label: String?
    public init(value: Double, isMajor: Bool, label: String?) { self.value = value; self.isMajor = isMajor; self.label = label }
}

/// The ticks of one axis, plus an optional common multiplier shown at the axis end (e.g. "×10⁻⁶").
public struct TickSet: Hashable, Sendable {
    public var ticks: [Tick]
    public var multiplier: String?
    public var majors: [Tick] { ticks.filter(\.isMajor) }
    public var minors: [Tick] { ticks.filter { !$0.isMajor } }
    public var labels: [String] { ticks.compactMap(\.label) }
}

public enum TickLocator {
    // MARK: Linear: Wilkinson's extended algorithm (Talbot, Lin & Hanrahan 2010)

    static let niceSteps: [Double] = [1, 5, 2, 2.5, 4, 3]
    static let weights = (simplicity: 0.25, coverage: 0.2, density: 0.5, legibility: 0.05)

    /// Tick positions for a linear axis over [lower, upper] aiming at about `targetCount` ticks.
    /// Ticks outside the range are dropped; a degenerate range is widened around its value.
    public static func linear(lower: Double, upper: Double, targetCount: Int = 5) -> TickSet {
        var (lo, hi) = (min(lower, upper), max(lower, upper))
        guard lo.isFinite, hi.isFinite else { return TickSet(ticks: [], multiplier: nil) }
        if hi - lo <= max(abs(lo), abs(hi)) * 1e-12 {
            let d = lo == 0 ? 1 : abs(lo) * 0.1
            (lo, hi) = (lo - d, hi + d)
        }
        guard let best = extended(dmin: lo, dmax: hi, m: max(2, targetCount)) else { return TickSet(ticks: [], multiplier: nil) }
        // Extend the chosen grid (offset + step) over the whole range, like matplotlib's locators do.
        let tol = 1e-9
        let unit = best.unit
        let iMin = Int(ceil((lo / unit - Double(best.start)) / Double(best.j) - tol))
        let iMax = Int(floor((hi / unit - Double(best.start)) / Double(best.j) + tol))
        var values: [Double] = []
        if iMax >= iMin && iMax - iMin < 1000 {
            for i in iMin...iMax { values.append(best.unitValue(best.start + i * best.j)) }
        }
        let (labels, multiplier) = NumberFormatting.tickLabels(values, step: best.step)
        return TickSet(ticks: zip(values, labels).map { Tick(value: $0, isMajor: true, label: $1) }, multiplier: multiplier)
    }

    /// Ticks at unitValue(start + i·j), unit = q·10^z.
    struct Labeling {
        var q: Double, j: Int, z: Int, start: Int
        var unit: Double { q * pow(10, Double(z)) }
        var step: Double { Double(j) * unit }
        /// n units, computed so that 3 × 0.1 prints and equals 0.3 (divide by 10^-z, do not multiply by 10^z).
        func unitValue(_ n: Int) -> Double {
            let m = Double(n) * q
            return z < 0 ? m / pow(10, Double(-z)) : m * pow(10, Double(z))
        }
    }

    static func extended(dmin: Double, dmax: Double, m: Int, onlyLoose: Bool = false) -> Labeling? {
        let w = weights
        let Q = niceSteps
        let span = dmax - dmin
        var bestScore = -2.0
        var best: Labeling?
        func simplicityMax(_ qi: Int, _ j: Int) -> Double { 1 - Double(qi) / Double(Q.count - 1) - Double(j) + 1 }
        func densityMax(_ k: Int) -> Double { k >= m ? 2 - Double(k - 1) / Double(m - 1) : 1 }
        func coverageMax(_ s: Double) -> Double {
            if s > span { let half = (s - span) / 2; return 1 - 0.5 * (2 * half * half) / ((0.1 * span) * (0.1 * span)) }
            return 1
        }
        var j = 1
        outer: while j <= 12 {
            for (qi, q) in Q.enumerated() {
                let sm = simplicityMax(qi, j)
                if w.simplicity * sm + w.coverage + w.density + w.legibility < bestScore { break outer }
                var k = 2
                while k <= 60 {
                    let dm = densityMax(k)
                    if w.simplicity * sm + w.coverage + w.density * dm + w.legibility < bestScore { break }
                    let delta = span / Double(k + 1) / Double(j) / q
                    var z = Int(ceil(Foundation.log10(delta)))
                    let zStart = z
                    while z < zStart + 20 {
                        let step = Double(j) * q * pow(10, Double(z))
                        let cm = coverageMax(step * Double(k - 1))
                        if w.simplicity * sm + w.coverage * cm + w.density * dm + w.legibility < bestScore { break }
                        let minStart = Int((floor(dmax / step) * Double(j)).clamped(-1e15, 1e15)) - (k - 1) * j
                        let maxStart = Int((ceil(dmin / step) * Double(j)).clamped(-1e15, 1e15))
                        if minStart > maxStart || maxStart - minStart > 10_000 { z += 1; continue }
                        for start in minStart...maxStart {
                            let unit = q * pow(10, Double(z))
                            let lmin = Double(start) * unit
                            let lmax = lmin + step * Double(k - 1)
                            // simplicity: bonus when zero is a tick
                            let zeroIncluded = lmin <= 0 && lmax >= 0 &&
                                (abs(lmin.truncatingRemainder(dividingBy: step)) < 1e-10 * step ||
                                 step - abs(lmin.truncatingRemainder(dividingBy: step)) < 1e-10 * step)
                            let s = 1 - Double(qi) / Double(Q.count - 1) - Double(j) + (zeroIncluded ? 1 : 0)
                            let c = 1 - 0.5 * ((dmax - lmax) * (dmax - lmax) + (dmin - lmin) * (dmin - lmin)) / ((0.1 * span) * (0.1 * span))
                            let r = Double(k - 1) / (lmax - lmin)
                            let rt = Double(m - 1) / (max(lmax, dmax) - min(dmin, lmin))
                            let g = 2 - max(r / rt, rt / r)
                            let score = w.simplicity * s + w.coverage * c + w.density * g + w.legibility
                            if score > bestScore && (!onlyLoose || (lmin <= dmin && lmax >= dmax)) {
                                bestScore = score
                                best = Labeling(q: q, j: j, z: z, start: start)
                            }
                        }
                        z += 1
                    }
                    k += 1
                }
            }
            j += 1
        }
        return best
    }

    // MARK: Log10 (matplotlib's LogLocator behaviour)

    /// Majors at 10^k labelled `10<sup>k</sup>`; minors at 2…9 × 10^k. When more than `maxLabels` decades would be
    /// labelled, only every 2nd, 3rd, … decade is labelled (the rest become minor ticks, and the 2…9 minors are
    /// dropped as they would be a smear). With fewer than two decades in view the minors are labelled instead.
    public static func log10(lower: Double, upper: Double, maxLabels: Int = 6) -> TickSet {
        var (lo, hi) = (min(lower, upper), max(lower, upper))
        guard lo > 0, hi.isFinite, lo.isFinite else { return TickSet(ticks: [], multiplier: nil) }
        if hi / lo < 1 + 1e-9 { lo /= 2; hi *= 2 }
        let tol = 1e-9
        let kLo = Int(floor(Foundation.log10(lo) + tol)), kHi = Int(ceil(Foundation.log10(hi) - tol))
        let inRange: (Double) -> Bool = { v in v >= lo * (1 - tol) && v <= hi * (1 + tol) }
        let decades = (kLo...max(kLo, kHi)).filter { inRange(decade($0)) }
        var ticks: [Tick] = []
        if decades.count >= 2 {
            var stride = 1
            while decades.filter({ $0 % stride == 0 }).count > max(1, maxLabels) { stride += 1 }
            let denseMinors = stride == 1 && Foundation.log10(hi / lo) <= 10
            for k in kLo...kHi {
                let v = decade(k)
                if inRange(v) {
                    let labelled = k.isMultiple(of: stride)
                    ticks.append(Tick(value: v, isMajor: labelled, label: labelled ? powerOfTenMarkup(k) : nil))
                }
                if denseMinors {
                    for s in 2...9 {
                        let mv = Double(s) * v
                        if inRange(mv) { ticks.append(Tick(value: mv, isMajor: false, label: nil)) }
                    }
                }
            }
        } else {
            // Less than two decades in view: label the 1…9 × 10^k values (all, or 1, 2, 5 when crowded).
            var candidates: [(Double, Int, Int)] = []
            for k in (kLo - 1)...kHi {
                for s in 1...9 {
                    let v = Double(s) * decade(k)
                    if inRange(v) { candidates.append((v, s, k)) }
                }
            }
            let crowded = candidates.count > max(2, maxLabels)
            for (v, s, k) in candidates {
                let labelled = !crowded || [1, 2, 5].contains(s)
                ticks.append(Tick(value: v, isMajor: s == 1 || labelled, label: labelled ? mantissaMarkup(s, k) : nil))
            }
        }
        return TickSet(ticks: ticks, multiplier: nil)
    }

    /// 10^k computed exactly for |k| ≤ 22 (10^-3 as 1/1000, not pow's nearest).
    static func decade(_ k: Int) -> Double {
        if k >= 0 { return pow(10, Double(k)) }
        return 1 / pow(10, Double(-k))
    }

    public static func powerOfTenMarkup(_ k: Int) -> String {
        "10<sup>\(NumberFormatting.minusSigned(String(k)))</sup>"
    }

    static func mantissaMarkup(_ s: Int, _ k: Int) -> String {
        if k >= -3 && k <= 3 {
            let v = Double(s) * decade(k)
            return NumberFormatting.plain(v)
        }
        return s == 1 ? powerOfTenMarkup(k) : "\(s)×\(powerOfTenMarkup(k))"
    }
}

extension Double {
    func clamped(_ lo: Double, _ hi: Double) -> Double { Swift.min(Swift.max(self, lo), hi) }
}

/// Number → label text without float noise.
public enum NumberFormatting {
    /// Replaces ASCII hyphen-minus by the typographic minus U+2212.
    public static func minusSigned(_ s: String) -> String { s.replacingOccurrences(of: "-", with: "−") }

    /// Shortest decimal (0…12 places) that reproduces `v` to 1e-9 relative; "−" for negatives; never "−0".
    public static func plain(_ v: Double) -> String {
        for d in 0...12 {
            let s = String(format: "%.\(d)f", v)
            if let back = Double(s), abs(back - v) <= max(abs(v), 1e-300) * 1e-9 { return clean(s) }
        }
        return clean(String(format: "%g", v))
    }

    static func clean(_ s: String) -> String {
        var t = s
        if let d = Double(t), d == 0 { t = t.replacingOccurrences(of: "-", with: "") }
        return minusSigned(t)
    }

    /// Labels for evenly spaced ticks: one common number of decimals, enough to tell neighbours apart; a common
    /// power of ten is factored out (returned as multiplier markup) when the numbers are very large or small.
    public static func tickLabels(_ values: [Double], step: Double) -> ([String], String?) {
        guard !values.isEmpty else { return ([], nil) }
        let maxAbs = values.map(abs).max() ?? 0
        var scaled = values
        var stepScaled = abs(step)
        var multiplier: String?
        if maxAbs >= 1e5 || (maxAbs > 0 && maxAbs < 1e-3) {
            let e = Int(floor(Foundation.log10(maxAbs)))
            let f = TickLocator.decade(e)
            scaled = values.map { $0 / f }
            stepScaled /= f
            multiplier = "×" + TickLocator.powerOfTenMarkup(e)
        }
        var decimals = 0
        search: for d in 0...12 {
            for v in scaled {
                let s = String(format: "%.\(d)f", v)
                guard let back = Double(s), abs(back - v) <= stepScaled * 1e-6 else { continue search }
            }
            decimals = d
            break
        }
        return (scaled.map { clean(String(format: "%.\(decimals)f", $0)) }, multiplier)
    }
}
