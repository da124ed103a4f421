/// A supervised data set as the theory sees it: inputs X (n×d, one example per row) and targets Y (n×k).
public struct Dataset: Sendable, Codable, Equatable {
    /// A short human name ("synthetic n=64 d=16", "MNIST 4 vs 9", …) for reports.
    public var name: String
    /// n×d inputs, one example per row. Unit-norm rows unless the source was loaded without normalisation.
    public var inputs: Matrix
    /// n×k regression targets.
    public var targets: Matrix
    /// Class label of each row when the source has classes (digits, MNIST, CSV with a label column).
    public var labels: [Int]?
    /// Where each row came from, for messages: "path:line" (CSV) or "path#index" (image files, index from 0).
    /// nil for generated data.
    public var rowOrigins: [String]?

    public init(name: String, inputs: Matrix, targets: Matrix, labels: [Int]? = nil, rowOrigins: [String]? = nil) {
        precondition(inputs.rows == targets.rows, "inputs and targets must have the same number of rows")
        precondition(labels == nil || labels?.count == inputs.rows, "one label per row")
        precondition(rowOrigins == nil || rowOrigins?.count == inputs.rows, "one origin per row")
        self.name = name
        self.inputs = inputs
        self.targets = targets
        self.labels = labels
        self.rowOrigins = rowOrigins
    }

    public var count: Int { inputs.rows }
    public var dimension: Int { inputs.columns }
    public var outputs: Int { targets.columns }
}
