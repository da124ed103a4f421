@testable import NGD

/// The Jacobian J = ∂u/∂θ formed explicitly, entry by entry — only for tiny nets in tests.
/// Rows (i, c) → i·k + c; columns W (r·d + j) then, if `includesOutputLayer`, a (m·d + r·k + c).
func explicitJacobian(inputs x: Matrix, parameters p: NetworkParameters, includesOutputLayer: Bool) -> Matrix {
    let n = x.rows, d = x.columns, m = p.hiddenWeights.rows, k = p.outputWeights.columns
    let columns = m * d + (includesOutputLayer ? m * k : 0)
    var j = Matrix(rows: n * k, columns: columns)
    let s = 1 / Double(m).squareRoot()
    for i in 0..<n {
        for r in 0..<m {
            var z = 0.0
            for t in 0..<d { z += p.hiddenWeights[r, t] * x[i, t] }
            let active = z >= 0
            for c in 0..<k {
                if active {
                    for t in 0..<d { j[i * k + c, r * d + t] = s * p.outputWeights[r, c] * x[i, t] }
                }
                if includesOutputLayer { j[i * k + c, m * d + r * k + c] = s * max(z, 0) }
            }
        }
    }
    return j
}

/// θ flattened in the Jacobian's column order.
func flatten(_ p: NetworkParameters, includesOutputLayer: Bool) -> [Double] {
    p.hiddenWeights.storage + (includesOutputLayer ? p.outputWeights.storage : [])
}

func maxAbsDifference(_ a: Matrix, _ b: Matrix) -> Double {
    precondition(a.rows == b.rows && a.columns == b.columns)
    return zip(a.storage, b.storage).map { abs($0 - $1) }.max() ?? 0
}

func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// A random matrix with N(0, 1) entries.
func randomMatrix(rows: Int, columns: Int, seed: UInt64) -> Matrix {
    var rng = Xoshiro256StarStar(seed: seed)
    var a = Matrix(rows: rows, columns: columns)
    for t in 0..<a.storage.count { a.storage[t] = rng.nextNormal() }
    return a
}

/// Replaces the output weights by non-±1 values, as after training a.
func perturbedOutputWeights(_ p: NetworkParameters, seed: UInt64) -> NetworkParameters {
    var q = p
    let noise = randomMatrix(rows: p.outputWeights.rows, columns: p.outputWeights.columns, seed: seed)
    q.outputWeights.addScaled(noise, 0.3)
    return q
}
