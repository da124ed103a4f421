import Foundation

extension DeclaredTolerance {
    /// The keys of a run that follow its activation patterns: a preactivation at the ReLU kink flips them.
    static let activationPatternKeys = ["flip_fraction", "jacobian_drift", "gram_lambda_min", "gram_lambda_max"]

    /// GD drives some preactivations onto the ReLU kink, where they chatter, and NGD left at the rounding floor
    /// jitters its weights by rounding: which side of the kink each unit lands on is then decided by rounding, so
    /// another BLAS kernel or thread count flips a few units, and the runs' pattern diagnostics move by up to a few
    /// per cent while their residuals and weights stay within the default tolerance. What a claim or a figure
    /// makes of them is still compared at its own tolerance (data/claims.json, the figures' data).
    static let activationPatterns = DeclaredTolerance(
        files: ["runs/*"], keys: activationPatternKeys, relative: 0.1, absolute: 1e-12,
        reason: "GD drives preactivations onto the ReLU kink, and NGD at the rounding floor jitters around it, so "
            + "rounding decides their side; the flip fraction, Jacobian drift and λ(G_k) follow (measured: up to 5 %)")
}
