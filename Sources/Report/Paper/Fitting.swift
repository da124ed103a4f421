#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A least-squares straight line y ≈ intercept + slope·x, with how well it fits.
public struct LineFit: Codable, Hashable, Sendable {
    public var slope: Double
    public var intercept: Double
    /// Coefficient of determination R² (1 = perfect; NaN when y is constant).
    public var rSquared: Double
    /// Number of points the fit used (non-finite points are dropped).
    public var count: Int

    /// The fitted value at x.
    public func value(at x: Double) -> Double { intercept + slope * x }
}

/// Small fitting helpers shared by the paper studies (width sweeps, λ₀ sweeps, per-mode decay rates).
/// Pure functions on plain arrays, so a claim's measurement can be recomputed from the CSV of its figure.
public enum Fitting {
    /// Ordinary least squares of y on x over the pairs where both are finite; nil with fewer than 2 points or
    /// when all x coincide.
    public static func line(x: [Double], y: [Double]) -> LineFit? {
        let pairs = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
        guard pairs.count >= 2 else { return nil }
        let count = Double(pairs.count)
        let meanX = pairs.reduce(0) { $0 + $1.0 } / count
        let meanY = pairs.reduce(0) { $0 + $1.1 } / count
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for (a, b) in pairs {
            sxx += (a - meanX) * (a - meanX)
            sxy += (a - meanX) * (b - meanY)
            syy += (b - meanY) * (b - meanY)
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        let intercept = meanY - slope * meanX
        var residual = 0.0
        for (a, b) in pairs {
            let e = b - (intercept + slope * a)
            residual += e * e
        }
        let rSquared = syy > 0 ? 1 - residual / syy : .nan
        return LineFit(slope: slope, intercept: intercept, rSquared: rSquared, count: pairs.count)
    }

    /// The log-log slope: a least-squares line of log10(y) on log10(x) over the points where both are positive
    /// and finite (the exponent p of y ∝ x^p). nil with fewer than 2 usable points.
    public static func logLogSlope(x: [Double], y: [Double]) -> LineFit? {
        let pairs = zip(x, y).filter { $0.0 > 0 && $0.1 > 0 && $0.0.isFinite && $0.1.isFinite }
        return line(x: pairs.map { log10($0.0) }, y: pairs.map { log10($0.1) })
    }

    /// The geometric per-step factor q of a sequence decaying as y_k ≈ C·q^k: 10^slope of log10|y_k| on k over
    /// the indices in `range` (or all) where y_k ≠ 0 and is finite. nil with fewer than 2 usable points.
    public static func geometricFactor(_ y: [Double], range: Range<Int>? = nil) -> Double? {
        let indices = Array(range ?? y.indices).filter { $0 >= 0 && $0 < y.count }
        let usable = indices.filter { y[$0] != 0 && y[$0].isFinite }
        guard let fit = line(x: usable.map(Double.init), y: usable.map { log10(abs(y[$0])) }) else { return nil }
        return pow(10, fit.slope)
    }

    /// The points of a fitted log-log line at the given x (for a dashed "fit" series beside the data).
    public static func logLogLine(_ fit: LineFit, at x: [Double]) -> [Double] {
        x.map { pow(10, fit.value(at: log10($0))) }
    }
}
