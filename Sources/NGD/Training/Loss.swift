#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The training loss as a function of the outputs u (n×k) and targets y, summed over all entries.
public enum LossKind: String, Codable, Hashable, Sendable, CaseIterable {
    /// ½‖u − y‖², the paper's loss.
    case squared
    /// Σ δ²(√(1 + ((u − y)/δ)²) − 1): quadratic near 0, linear in the tails; strongly convex and smooth on
    /// bounded sets (Zhang et al. 2019 §4).
    case pseudoHuber = "pseudo-huber"
}

/// A loss value with its parameter δ (used by pseudo-Huber only).
public struct Loss: Hashable, Sendable {
    public var kind: LossKind
    public var delta: Double

    public init(_ kind: LossKind, delta: Double = 1) {
        self.kind = kind
        self.delta = delta
    }

    /// L(u) for residuals r = u − y.
    public func value(residuals r: Matrix) -> Double {
        switch kind {
        case .squared:
            return 0.5 * r.dot(r)
        case .pseudoHuber:
            let d2 = delta * delta
            return r.storage.reduce(0) { sum, v in
                let t = v / delta
                return sum + d2 * (sqrt(1 + t * t) - 1)
            }
        }
    }

    /// ∇_u L for residuals r = u − y (same shape).
    public func gradient(residuals r: Matrix) -> Matrix {
        switch kind {
        case .squared:
            return r
        case .pseudoHuber:
            var g = r
            for i in 0..<g.storage.count {
                let t = r.storage[i] / delta
                g.storage[i] = r.storage[i] / sqrt(1 + t * t)
            }
            return g
        }
    }
}
