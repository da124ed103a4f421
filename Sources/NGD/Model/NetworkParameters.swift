/// The trainable state of the two-layer network: hidden weights W (m×d, one unit per row) and output
/// weights a (m×k, one unit per row). The flat parameter vector θ used in the theory is W row-major
/// (index r·d + j) followed, when the output layer is trained, by a row-major (index m·d + r·k + c).
public struct NetworkParameters: Codable, Equatable, Sendable {
    /// W: m×d.
    public var hiddenWeights: Matrix
    /// a: m×k, entries ±1 at initialisation.
    public var outputWeights: Matrix

    public init(hiddenWeights: Matrix, outputWeights: Matrix) {
        self.hiddenWeights = hiddenWeights
        self.outputWeights = outputWeights
    }

    /// Zero parameters shaped like `self` (a zero update).
    public var zero: NetworkParameters {
        NetworkParameters(hiddenWeights: Matrix(rows: hiddenWeights.rows, columns: hiddenWeights.columns),
                          outputWeights: Matrix(rows: outputWeights.rows, columns: outputWeights.columns))
    }

    /// self + scale·other, element-wise on both layers.
    public func adding(_ other: NetworkParameters, scaledBy scale: Double = 1) -> NetworkParameters {
        var result = self
        result.hiddenWeights.addScaled(other.hiddenWeights, scale)
        result.outputWeights.addScaled(other.outputWeights, scale)
        return result
    }

    /// The squared Euclidean norm of θ (both layers).
    public var squaredNorm: Double {
        let w = hiddenWeights.frobeniusNorm, a = outputWeights.frobeniusNorm
        return w * w + a * a
    }
}

extension Matrix {
    /// self += scale·other (same shape).
    mutating func addScaled(_ other: Matrix, _ scale: Double) {
        precondition(rows == other.rows && columns == other.columns, "addScaled: shape mismatch")
        other.storage.withUnsafeBufferPointer { src in
            storage.withUnsafeMutableBufferPointer { dst in
                for i in 0..<dst.count { dst[i] += scale * src[i] }
            }
        }
    }

    /// ⟨self, other⟩ = Σ self_ij·other_ij.
    func dot(_ other: Matrix) -> Double {
        precondition(storage.count == other.storage.count, "dot: size mismatch")
        return storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                var s = 0.0
                for i in 0..<a.count { s += a[i] * b[i] }
                return s
            }
        }
    }
}
