import Foundation

/// A run's per-step ratios of residuals — `contraction_ratio` ‖r_{k+1}‖/‖r_k‖ and `residual_cosine`
/// cos∠(r_k, r_{k+1}) — are computed from the residuals of two steps, so they are only as precise as those are:
/// `ngd verify` holds each to its own tolerance plus what it inherits from its residuals,
/// max(|v|, 1)·(δ_k/‖r_k‖ + δ_{k+1}/‖r_{k+1}‖), where δ is the allowance of `residual_norm` in the same file.
/// Once a run reaches the rounding floor (‖r‖ ≈ 1e-15) its ratios are ratios of rounding errors; its residual
/// norms are still checked (against the absolute floor), and the ratios then inherit an allowance that accepts
/// any value — there is nothing left in them to check.
enum ResidualRatios {
    static let ratioKeys = ["contraction_ratio", "residual_cosine"]
    static let residualKey = "residual_norm"

    /// The inherited allowance of every ratio in a run file, by the location `DataFileComparison` names it with:
    /// `run.steps[k].contraction_ratio` (a paper run) or `result.series.contraction_ratio[k]` (a spec run).
    /// Empty for any other file.
    static func allowances(in recorded: Data, residualTolerance: NumericTolerance) -> [String: Double] {
        guard let object = try? JSONSerialization.jsonObject(with: recorded) as? [String: Any] else { return [:] }
        if let steps = (object["run"] as? [String: Any])?["steps"] as? [[String: Any]] {
            let residuals = steps.map { number($0[residualKey]) }
            return allowances(residuals, residualTolerance) { key, step in
                (number(steps[step][key]), "run.steps[\(step)].\(key)")
            }
        }
        if let series = (object["result"] as? [String: Any])?["series"] as? [String: Any],
           let norms = series[residualKey] as? [Any] {
            let residuals = norms.map(number)
            return allowances(residuals, residualTolerance) { key, step in
                let values = series[key] as? [Any] ?? []
                return (step < values.count ? number(values[step]) : nil, "result.series.\(key)[\(step)]")
            }
        }
        return [:]
    }

    private static func allowances(_ residuals: [Double?], _ tolerance: NumericTolerance,
                                   value: (String, Int) -> (Double?, String)) -> [String: Double] {
        var found: [String: Double] = [:]
        for step in residuals.indices.dropLast() {
            guard let now = residuals[step], let next = residuals[step + 1] else { continue }
            let spread = share(tolerance.allowance(for: now), of: now) + share(tolerance.allowance(for: next), of: next)
            for key in ratioKeys {
                let (ratio, location) = value(key, step)
                guard let ratio else { continue }
                found[location] = max(abs(ratio), 1) * spread
            }
        }
        return found
    }

    /// δ/‖r‖: infinite for a residual of 0, whose ratios carry no digits at all.
    private static func share(_ allowance: Double, of norm: Double) -> Double {
        norm == 0 ? .infinity : allowance / abs(norm)
    }

    private static func number(_ value: Any?) -> Double? {
        guard let number = value as? NSNumber, number.objCType.pointee != 0x63 else { return nil }
        return number.doubleValue
    }
}
