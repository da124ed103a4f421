#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Dataset {
    /// Points on the unit sphere with `pairs` near-duplicate pairs at exact angle `epsilon`, so that
    /// λ₀ = λ_min(H∞) shrinks as ε → 0 (docs/CLAIMS.md, claim 8).
    ///
    /// Construction (part of the reproducibility contract), from one `Xoshiro256StarStar(seed:)` stream:
    /// 1. n base points exactly as `Dataset.synthetic` draws them (x ~ N(0, I_d), projected to the sphere);
    /// 2. for pair p = 0..<pairs, row 2p+1 is replaced by the twin of row 2p:
    ///    x_{2p+1} = normalise(cos ε · x_{2p} + sin ε · z⊥), with z⊥ a random unit vector orthogonal to x_{2p}
    ///    (a normal draw with its x_{2p} component removed);
    /// 3. targets y ~ N(0, 1), n×k, row by row.
    ///
    /// Each twin gets its own independent target (the default), so the pair's targets disagree while its inputs
    /// nearly coincide — the hard case for GD. With `twinsShareTargets` the twin copies its partner's target
    /// instead (docs/CLAIMS.md claim 8: GD then follows the G₀ prediction); the draws are the same either way.
    public static func lambda0(count n: Int, dimension d: Int, outputs k: Int = 1, pairs: Int, epsilon: Double,
                               seed: UInt64, twinsShareTargets: Bool = false) throws -> Dataset {
        guard n > 0 else { throw NGDError("--n", "expected a positive number of examples, got \(n)", usage: true) }
        guard d >= 2 else {
            throw NGDError("--d", "lambda0 data needs an input dimension of at least 2, got \(d)", usage: true)
        }
        guard k > 0 else { throw NGDError("--outputs", "expected at least one output, got \(k)", usage: true) }
        guard epsilon.isFinite, epsilon > 0, epsilon <= Double.pi / 2 else {
            throw NGDError("--epsilon", "expected an angle in radians with 0 < ε ≤ π/2, got \(epsilon)", usage: true)
        }
        guard pairs >= 0 else { throw NGDError("--pairs", "expected a non-negative number of pairs, got \(pairs)", usage: true) }
        guard pairs <= n / 2 else {   // not 2·pairs ≤ n: that product can overflow
            throw NGDError("--pairs", "\(pairs) pairs need 2·pairs ≤ n points, but n = \(n)", usage: true)
        }

        var rng = Xoshiro256StarStar(seed: seed)
        var x = Matrix(rows: n, columns: d)
        x.storage.withUnsafeMutableBufferPointer { out in
            for i in 0..<n {
                for j in 0..<d { out[i * d + j] = rng.nextNormal() }
                normalise(out, row: i, dimension: d)
            }
            var z = [Double](repeating: 0, count: d)
            let (c, s) = (cos(epsilon), sin(epsilon))
            for p in 0..<pairs {
                let base = 2 * p * d, twin = (2 * p + 1) * d
                // A random direction orthogonal to x_base; redraw in the (probability-zero) degenerate case.
                var norm = 0.0
                repeat {
                    for j in 0..<d { z[j] = rng.nextNormal() }
                    var along = 0.0
                    for j in 0..<d { along += z[j] * out[base + j] }
                    for j in 0..<d { z[j] -= along * out[base + j] }
                    // A second pass removes what rounding left of the x_base component.
                    along = 0
                    for j in 0..<d { along += z[j] * out[base + j] }
                    for j in 0..<d { z[j] -= along * out[base + j] }
                    norm = 0
                    for j in 0..<d { norm += z[j] * z[j] }
                    norm = norm.squareRoot()
                } while norm < 1e-8
                for j in 0..<d { out[twin + j] = c * out[base + j] + s * z[j] / norm }
                normalise(out, row: 2 * p + 1, dimension: d)
            }
        }
        var y = Matrix(rows: n, columns: k)
        for i in 0..<(n * k) { y.storage[i] = rng.nextNormal() }
        if twinsShareTargets {
            for p in 0..<pairs {
                for c in 0..<k { y[2 * p + 1, c] = y[2 * p, c] }
            }
        }
        let pairText = pairs == 1 ? "1 pair" : "\(pairs) pairs"
        return Dataset(name: "lambda0 (n=\(n), d=\(d), \(pairText) at ε=\(epsilon))", inputs: x, targets: y)
    }

    private static func normalise(_ x: UnsafeMutableBufferPointer<Double>, row i: Int, dimension d: Int) {
        var norm = 0.0
        for j in 0..<d { norm += x[i * d + j] * x[i * d + j] }
        norm = norm.squareRoot()
        for j in 0..<d { x[i * d + j] /= norm }
    }
}
