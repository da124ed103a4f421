/// A dense float64 matrix in **row-major** order: element (i, j) lives at `storage[i * columns + j]`.
///
/// Row-major matches the paper's layouts (X is n×d with one example per row, W is m×d with one
/// hidden unit per row) and CBLAS's `CblasRowMajor`. All BLAS/LAPACK calls live in `LinearAlgebra/`.
public struct Matrix: Equatable, Codable, Sendable {
    public private(set) var rows: Int
    public private(set) var columns: Int
    public var storage: [Double]

    /// A rows×columns matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = [Double](repeating: value, count: rows * columns)
    }

    /// A rows×columns matrix whose every entry `fill` writes: the memory is not zeroed first, so a one-pass
    /// element-wise kernel touches it once.
    init(rows: Int, columns: Int, filling fill: (UnsafeMutableBufferPointer<Double>) -> Void) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = [Double](unsafeUninitializedCapacity: rows * columns) { buffer, count in
            fill(buffer)
            count = rows * columns
        }
    }

    /// A matrix over existing row-major storage; `nil` when the count does not match.
    public init?(rows: Int, columns: Int, storage: [Double]) {
        guard rows >= 0, columns >= 0, storage.count == rows * columns else { return nil }
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from a list of equally long rows; `nil` when the rows are ragged.
    public init?(rowArrays: [[Double]]) {
        let columns = rowArrays.first?.count ?? 0
        guard rowArrays.allSatisfy({ $0.count == columns }) else { return nil }
        self.rows = rowArrays.count
        self.columns = columns
        self.storage = rowArrays.flatMap { $0 }
    }

    /// The n×n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// A copy of row `i`.
    public func row(_ i: Int) -> [Double] {
        Array(storage[(i * columns)..<((i + 1) * columns)])
    }

    /// A copy of column `j`.
    public func column(_ j: Int) -> [Double] {
        (0..<rows).map { storage[$0 * columns + j] }
    }

    /// The rows at `indices`, in that order.
    public func selectingRows(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: indices.count, columns: columns)
        for (k, i) in indices.enumerated() {
            out.storage.replaceSubrange((k * columns)..<((k + 1) * columns),
                                        with: storage[(i * columns)..<((i + 1) * columns)])
        }
        return out
    }

    public var transposed: Matrix {
        var out = Matrix(rows: columns, columns: rows)
        storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                for i in 0..<rows {
                    for j in 0..<columns { dst[j * rows + i] = src[i * columns + j] }
                }
            }
        }
        return out
    }

    /// The Frobenius norm ‖A‖_F.
    public var frobeniusNorm: Double {
        storage.withUnsafeBufferPointer { $0.reduce(0) { $0 + $1 * $1 } }.squareRoot()
    }

    /// The main diagonal (length min(rows, columns)).
    public var diagonal: [Double] {
        (0..<Swift.min(rows, columns)).map { storage[$0 * columns + $0] }
    }
}
