/// What a training run hands back to the report: named numbers, nothing about how they were drawn.
///
/// Naming contract with the engine (snake_case, as in `TrainingRun`'s per-step metrics):
/// - `series`: one value per step k = 0…steps (`residual_norm`, `loss`, `gram_lambda_min`, `jacobian_change`, …).
///   `<name>_theory` is the theory curve of `<name>` (e.g. the linearised model), drawn when a figure asks for it.
/// - `scalars`: one number per run (`lambda0`, `lambda_max`, `learning_rate`, `weight_change`, …).
/// - `vectors`: per-example or per-mode values (`gram_eigenvalues`, `cosine_ngd`, …) for spectra and histograms.
/// - `matrices`: `gram_initial` (heatmaps), `outputs_initial`, `outputs_next`, `targets` (n × 2, output-space arrows).
/// - `notes`: sentences the report prints with the run (fallbacks taken, e.g. "G singular: used eigen pseudo-inverse").
public struct RunResult: Codable, Hashable, Sendable {
    public var series: [String: [Double]]
    public var scalars: [String: Double]
    public var vectors: [String: [Double]]
    public var matrices: [String: MatrixValue]
    public var notes: [String]

    public init(series: [String: [Double]] = [:], scalars: [String: Double] = [:], vectors: [String: [Double]] = [:],
                matrices: [String: MatrixValue] = [:], notes: [String] = []) {
        self.series = series
        self.scalars = scalars
        self.vectors = vectors
        self.matrices = matrices
        self.notes = notes
    }
}

/// A row-major matrix as plain data (`values[i * columns + j]`), like `NGD.Matrix`.
public struct MatrixValue: Codable, Hashable, Sendable {
    public var rows: Int
    public var columns: Int
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public subscript(row: Int, column: Int) -> Double { values[row * columns + column] }
}

/// A cached result file `runs/<key>.json`: the run, the tool version that computed it, the result, and the
/// SHA-256 of all of these (see `ChecksummedEntry`), checked before the result is used.
public struct CachedRun: Codable, Hashable, Sendable, KeyedEntry {
    public var key: String
    public var toolVersion: String
    public var run: ResolvedRun
    public var result: RunResult
    public var checksum: String? = nil
}

extension RunResult {
    /// Quantities the report derives from what the engine recorded (never stored in the cache):
    /// - `output_cosines`: per example, cos∠(Δu_i, y_i − u_i) with Δu = outputs_next − outputs_initial and
    ///   y = targets (Figure 1's alignment, docs/CLAIMS.md claim 15), when those three matrices are present.
    public func withDerivedQuantities() -> RunResult {
        var result = self
        if result.vectors["output_cosines"] == nil, let start = matrices["outputs_initial"], let next = matrices["outputs_next"],
           let targets = matrices["targets"], start.rows == next.rows, start.rows == targets.rows,
           start.columns == next.columns, start.columns == targets.columns {
            result.vectors["output_cosines"] = (0..<start.rows).map { i in
                var dot = 0.0, stepNorm = 0.0, errorNorm = 0.0
                for j in 0..<start.columns {
                    let step = next[i, j] - start[i, j], error = targets[i, j] - start[i, j]
                    dot += step * error
                    stepNorm += step * step
                    errorNorm += error * error
                }
                let denominator = (stepNorm * errorNorm).squareRoot()
                return denominator > 0 ? dot / denominator : .nan
            }
        }
        return result
    }
}
