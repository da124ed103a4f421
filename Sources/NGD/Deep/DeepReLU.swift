/// The L-hidden-layer ReLU network of docs/DEEP.md (issue 13), with k ≥ 1 outputs and no biases:
///
///     g¹ = W¹x (W¹ m×d, entries N(0, ν²)),  hˡ = ReLU(gˡ),  g^{l+1} = √(2/m)·W^{l+1}hˡ (W^{l+1} m×m, N(0, 1)),
///     f(x) = (1/√m)·aᵀh^L (a m×k, entries ±1, fixed unless the output layer is trained).
///
/// L = 1 is `TwoLayerReLU`: same parameters from the same seed (W¹ and a are drawn first, in its order),
/// same outputs. Like `TwoLayerReLU` this holds only the architecture; parameters are a `DeepParameters`.
public struct DeepReLU: Codable, Hashable, Sendable {
    /// d.
    public var inputDimension: Int
    /// m, the width of every hidden layer.
    public var width: Int
    /// k.
    public var outputs: Int
    /// L ≥ 1, the number of hidden layers.
    public var depth: Int

    public init(inputDimension: Int, width: Int, outputs: Int = 1, depth: Int = 1) {
        self.inputDimension = inputDimension
        self.width = width
        self.outputs = outputs
        self.depth = depth
    }

    /// The two-layer model these parameters start from (W¹ and a).
    public var firstLayerModel: TwoLayerReLU {
        TwoLayerReLU(inputDimension: inputDimension, width: width, outputs: outputs)
    }

    /// √(2/m), the scale of every hidden layer's input after the first.
    public var hiddenInputScale: Double { (2 / Double(width)).squareRoot() }

    /// The random initialisation. Draw order (reproducibility contract), from one `Xoshiro256StarStar(seed:)`
    /// stream: W¹ row by row (ν·`nextNormal()`), a row by row (`nextSign()`) — exactly `TwoLayerReLU`'s draws —
    /// then W², …, W^L, each row by row (`nextNormal()`, continuing the same stream).
    public func initialParameters(initScale nu: Double, seed: UInt64) -> DeepParameters {
        var rng = Xoshiro256StarStar(seed: seed)
        var first = Matrix(rows: width, columns: inputDimension)
        for index in 0..<(width * inputDimension) { first.storage[index] = nu * rng.nextNormal() }
        var a = Matrix(rows: width, columns: outputs)
        for index in 0..<(width * outputs) { a.storage[index] = rng.nextSign() }
        var layers = [first]
        for _ in 1..<max(depth, 1) {
            var w = Matrix(rows: width, columns: width)
            for index in 0..<(width * width) { w.storage[index] = rng.nextNormal() }
            layers.append(w)
        }
        return DeepParameters(hiddenWeights: layers, outputWeights: a)
    }

    /// The forward pass on `inputs` (n×d): every layer's input and pre-activation, and the outputs.
    public func forward(_ inputs: Matrix, parameters: DeepParameters) -> DeepForward {
        var layerInputs = [inputs]
        var preactivations: [Matrix] = []
        for (l, w) in parameters.hiddenWeights.enumerated() {
            let g = Matrix.product(layerInputs[l], w, transposingSecond: true)
            preactivations.append(g)
            if l + 1 < parameters.hiddenWeights.count { layerInputs.append(g.rectified(scaledBy: hiddenInputScale)) }
        }
        // f = (1/√m)·ReLU(g^L)·a, as `TwoLayerReLU.outputs(preactivations:outputWeights:)`, keeping ReLU(g^L).
        let top = preactivations[preactivations.count - 1].rectified()
        let outputs = Matrix.product(top, parameters.outputWeights, scaledBy: 1 / Double(width).squareRoot())
        return DeepForward(layerInputs: layerInputs, preactivations: preactivations, topActivations: top,
                           outputs: outputs)
    }

    /// Outputs f (n×k) on `inputs`.
    public func outputs(on inputs: Matrix, parameters: DeepParameters) -> Matrix {
        forward(inputs, parameters: parameters).outputs
    }

    /// The structured Jacobian of the outputs on `inputs` at `parameters`.
    public func jacobian(on inputs: Matrix, parameters: DeepParameters, includesOutputLayer: Bool = false)
        -> DeepJacobian {
        DeepJacobian(forward: forward(inputs, parameters: parameters), parameters: parameters,
                     includesOutputLayer: includesOutputLayer)
    }
}

/// What one forward pass computed: Inˡ (In¹ = X, In^{l+1} = √(2/m)·hˡ), gˡ = Inˡ·Wˡᵀ, ReLU(g^L) and f, all
/// n-row matrices.
public struct DeepForward: Sendable {
    public var layerInputs: [Matrix]
    public var preactivations: [Matrix]
    public var topActivations: Matrix
    public var outputs: Matrix
}

/// The trainable state of the deep network: W¹ (m×d), W², …, W^L (m×m) and a (m×k). The flat θ is
/// vec(W¹), …, vec(W^L) row-major, then (when trained) vec(a) — for L = 1 exactly `NetworkParameters`' order.
public struct DeepParameters: Codable, Equatable, Sendable {
    public var hiddenWeights: [Matrix]
    public var outputWeights: Matrix

    public init(hiddenWeights: [Matrix], outputWeights: Matrix) {
        self.hiddenWeights = hiddenWeights
        self.outputWeights = outputWeights
    }

    /// The two-layer parameters of an L = 1 network (W¹, a).
    public init(_ parameters: NetworkParameters) {
        self.init(hiddenWeights: [parameters.hiddenWeights], outputWeights: parameters.outputWeights)
    }

    /// L.
    public var depth: Int { hiddenWeights.count }

    /// W¹ and a as two-layer parameters (what a run summary records for every depth).
    public var firstLayer: NetworkParameters {
        NetworkParameters(hiddenWeights: hiddenWeights[0], outputWeights: outputWeights)
    }

    /// Zero parameters shaped like `self`.
    public var zero: DeepParameters {
        DeepParameters(hiddenWeights: hiddenWeights.map { Matrix(rows: $0.rows, columns: $0.columns) },
                       outputWeights: Matrix(rows: outputWeights.rows, columns: outputWeights.columns))
    }

    /// self + scale·other, layer by layer.
    public func adding(_ other: DeepParameters, scaledBy scale: Double = 1) -> DeepParameters {
        DeepParameters(hiddenWeights: zip(hiddenWeights, other.hiddenWeights).map { $0.adding($1, scaledBy: scale) },
                       outputWeights: outputWeights.adding(other.outputWeights, scaledBy: scale))
    }

    /// ⟨self, other⟩ over every layer (a included).
    public func dot(_ other: DeepParameters) -> Double {
        zip(hiddenWeights, other.hiddenWeights).reduce(outputWeights.dot(other.outputWeights)) { $0 + $1.0.dot($1.1) }
    }
}

extension Matrix {
    /// self *= s element-wise.
    mutating func scale(by s: Double) {
        storage.withUnsafeMutableBufferPointer { p in for i in 0..<p.count { p[i] *= s } }
    }
}
