/// ‖J_k − J₀‖ for the deep network, per layer and in total, in the Frobenius and the spectral norm.
///
/// Layer l's rows differ by Bk_k⊗In_k − Bk₀⊗In₀ = ΔBk⊗In_k + Bk₀⊗ΔIn, so (ΔJˡ)(ΔJˡ)ᵀ (nk×nk) is assembled from
/// the differences themselves — (ΔBkΔBkᵀ)∘(In_kIn_kᵀ) + (ΔBkBk₀ᵀ)∘(In_kΔInᵀ) + its transpose + (Bk₀Bk₀ᵀ)∘(ΔInΔInᵀ)
/// — which keeps a small drift from cancelling away as G_k − 2C + G₀ would. ‖ΔJ‖_F² is its trace; ‖ΔJ‖₂ is the
/// square root of its largest eigenvalue, computed exactly (LAPACK) rather than estimated.
public struct DeepJacobianDrift: Sendable, Equatable {
    /// ‖Jˡ_k − Jˡ₀‖_F for each hidden layer.
    public var layerFrobenius: [Double]
    /// ‖Jˡ_k − Jˡ₀‖₂ for each hidden layer.
    public var layerSpectral: [Double]
    /// ‖J_k − J₀‖_F over all trained parameters.
    public var frobenius: Double
    /// ‖J_k − J₀‖₂ over all trained parameters (the norm of the paper's Condition 2).
    public var spectral: Double

    public init(from reference: DeepJacobian, to current: DeepJacobian) {
        let k = current.outputs
        var layerProducts: [Matrix] = []
        for l in 0..<current.depth {
            var deltaB = current.backwardFactors[l]
            deltaB.addScaled(reference.backwardFactors[l], -1)
            var product = deltaB.gram()
            product.multiplyExpanded(by: current.layerInputs[l].gram(), outputs: k)
            if l > 0 {
                var deltaIn = current.layerInputs[l]
                deltaIn.addScaled(reference.layerInputs[l], -1)
                var cross = Matrix.product(deltaB, reference.backwardFactors[l], transposingSecond: true)
                cross.multiplyExpanded(by: Matrix.product(current.layerInputs[l], deltaIn, transposingSecond: true),
                                       outputs: k)
                product.addScaled(cross, 1)
                product.addScaled(cross.transposed, 1)
                var inputPart = reference.backwardFactors[l].gram()
                inputPart.multiplyExpanded(by: deltaIn.gram(), outputs: k)
                product.addScaled(inputPart, 1)
            }
            layerProducts.append(product)
        }
        var total = layerProducts[0]
        for product in layerProducts.dropFirst() { total.addScaled(product, 1) }
        if current.includesOutputLayer {
            var deltaH = current.topActivations
            deltaH.addScaled(reference.topActivations, -1)
            total.addOutputLayerBlock(deltaH.gram(), outputs: k, width: current.width)
        }
        func spectralNorm(_ a: Matrix) -> Double {
            guard let top = a.extremeSymmetricEigenvalues()?.max else { return .nan }
            return Swift.max(top, 0).squareRoot()
        }
        func frobeniusNorm(_ a: Matrix) -> Double { max(a.diagonal.reduce(0, +), 0).squareRoot() }
        layerFrobenius = layerProducts.map(frobeniusNorm)
        layerSpectral = layerProducts.map(spectralNorm)
        frobenius = frobeniusNorm(total)
        spectral = layerProducts.count == 1 && !current.includesOutputLayer ? layerSpectral[0] : spectralNorm(total)
    }
}
