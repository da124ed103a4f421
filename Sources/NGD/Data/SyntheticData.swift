extension Dataset {
    /// n points drawn as x ~ N(0, I_d) and projected onto the unit sphere, targets y ~ N(0, 1) per output.
    ///
    /// Draw order (part of the reproducibility contract): all of X row by row, then all of Y row by row,
    /// from one `Xoshiro256StarStar(seed:)` stream.
    public static func synthetic(count n: Int, dimension d: Int, outputs k: Int = 1, seed: UInt64) -> Dataset {
        var rng = Xoshiro256StarStar(seed: seed)
        let x = Matrix.unitRows(count: n, dimension: d, using: &rng)
        var y = Matrix(rows: n, columns: k)
        for i in 0..<(n * k) { y.storage[i] = rng.nextNormal() }
        return Dataset(name: "synthetic (n=\(n), d=\(d))", inputs: x, targets: y)
    }
}

extension Matrix {
    /// n rows x = normalise(s ∘ z), z ~ N(0, I_d) drawn row by row from `rng`; s = 1 when `scales` is nil
    /// (uniform points on the unit sphere), else the per-coordinate scales of an anisotropic distribution.
    public static func unitRows(count n: Int, dimension d: Int, scales: [Double]? = nil,
                                using rng: inout Xoshiro256StarStar) -> Matrix {
        precondition(scales.map { $0.count == d } ?? true, "unitRows: \(scales?.count ?? 0) scales for d = \(d)")
        var x = Matrix(rows: n, columns: d)
        for i in 0..<n {
            var norm = 0.0
            for j in 0..<d {
                let v = (scales?[j] ?? 1) * rng.nextNormal()
                x[i, j] = v
                norm += v * v
            }
            norm = norm.squareRoot()
            for j in 0..<d { x[i, j] /= norm }
        }
        return x
    }
}
