/// The deep step's element-wise passes, each in one pass over fresh memory. Every one computes exactly the numbers
/// of the two-step form it replaces (a copy, then an in-place pass), so the deep results keep their bits; at
/// n = 1024, m = 2048 a pass is 16 MB, and the copies and zero fills were a quarter of a GD step.
extension Matrix {
    /// s·max(self, 0), NaN kept: `rectified()` then `scale(by: s)`, in one pass.
    func rectified(scaledBy s: Double) -> Matrix {
        storage.withUnsafeBufferPointer { source in
            Matrix(rows: rows, columns: columns) { out in
                for i in 0..<out.count {
                    let v = source[i]
                    out[i] = (v > 0 || v.isNaN ? v : 0) * s
                }
            }
        }
    }

    /// self + scale·other as a new matrix: a copy of self, then `addScaled(other, scale)`, in one pass.
    func adding(_ other: Matrix, scaledBy scale: Double) -> Matrix {
        precondition(rows == other.rows && columns == other.columns, "adding: shape mismatch")
        return storage.withUnsafeBufferPointer { a in
            other.storage.withUnsafeBufferPointer { b in
                Matrix(rows: rows, columns: columns) { out in
                    for i in 0..<out.count { out[i] = a[i] + scale * b[i] }
                }
            }
        }
    }

    /// 0 + s·self as a new matrix (a −0 becomes +0): a zero matrix, then `addScaled(self, s)`, in one pass.
    func scaledFromZero(by s: Double) -> Matrix {
        storage.withUnsafeBufferPointer { x in
            Matrix(rows: rows, columns: columns) { out in
                for i in 0..<out.count { out[i] = 0 + s * x[i] }
            }
        }
    }

    /// Row i scaled by v_i (v of `rows` entries): a copy, then each row multiplied in place, in one pass.
    func rowsScaled(by v: [Double]) -> Matrix {
        precondition(v.count == rows, "rowsScaled: \(v.count) scales for \(rows) rows")
        let m = columns
        return storage.withUnsafeBufferPointer { source in
            Matrix(rows: rows, columns: columns) { out in
                for i in 0..<rows {
                    let s = v[i]
                    for r in 0..<m { out[i * m + r] = source[i * m + r] * s }
                }
            }
        }
    }
}
