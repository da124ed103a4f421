extension Dataset {
    /// The inputs stretched along a geometric spectrum and projected back onto the unit sphere, for K-FAC's
    /// input-conditioning sweeps: coordinate j is scaled by s_j = κ^(−j / (2(d−1))), so the stretch's covariance
    /// ratio s₀²/s_{d−1}² is κ. The condition number of XᵀX that results is close to κ for isotropic inputs and
    /// n ≫ d; the report measures and prints the actual κ(XᵀX). Targets and labels are kept.
    public func stretched(toConditioning kappa: Double) throws -> Dataset {
        guard kappa >= 1, kappa.isFinite else {
            throw NGDError("input_conditioning", "expected a finite condition number ≥ 1, got \(kappa)", usage: true)
        }
        let d = dimension
        guard d > 1, kappa > 1 else { return self }
        let logKappa = _log(kappa)
        let scales: [Double] = (0..<d).map { j in
            let exponent = -logKappa * Double(j) / (2.0 * Double(d - 1))
            return _exp(exponent)
        }
        var inputs = self.inputs
        inputs.storage.withUnsafeMutableBufferPointer { x in
            for i in 0..<count {
                var norm = 0.0
                for j in 0..<d {
                    x[i * d + j] *= scales[j]
                    norm += x[i * d + j] * x[i * d + j]
                }
                norm = norm.squareRoot()
                guard norm > 0 else { continue }
                for j in 0..<d { x[i * d + j] /= norm }
            }
        }
        var copy = self
        copy.inputs = inputs
        copy.name = "\(name), stretched to κ = \(kappa)"
        return copy
    }
}
