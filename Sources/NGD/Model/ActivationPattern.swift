/// The activation pattern D_ir = 1{w_rᵀx_i ≥ 0} (ReLU'(0) = 1, as in Du et al.), bit-packed: row i holds
/// m bits in ⌈m/64⌉ `UInt64` words, bit r%64 of word r/64. Gram entries are then exact integer counts
/// (AND + popcount), with no floating-point rounding in the pattern part.
public struct ActivationPattern: Equatable, Sendable {
    /// Number of examples n.
    public let count: Int
    /// Number of hidden units m.
    public let width: Int
    /// Words per example row.
    public let wordsPerRow: Int
    /// n·wordsPerRow packed bits; unused high bits of each row's last word are zero.
    public let words: [UInt64]

    /// The pattern of pre-activations Z (n×m): bit set where z_ir ≥ 0.
    public init(preactivations z: Matrix) {
        count = z.rows
        width = z.columns
        wordsPerRow = (z.columns + 63) / 64
        var bits = [UInt64](repeating: 0, count: count * wordsPerRow)
        let n = z.rows, m = z.columns, w = (z.columns + 63) / 64
        z.storage.withUnsafeBufferPointer { pz in
            bits.withUnsafeMutableBufferPointer { pb in
                for i in 0..<n {
                    for r in 0..<m where pz[i * m + r] >= 0 {
                        pb[i * w + (r >> 6)] |= UInt64(1) << UInt64(r & 63)
                    }
                }
            }
        }
        words = bits
    }

    /// Whether unit r is active on example i.
    public func isActive(example i: Int, unit r: Int) -> Bool {
        words[i * wordsPerRow + (r >> 6)] & (UInt64(1) << UInt64(r & 63)) != 0
    }

    /// Bit mask over units, as packed words, of the units r where `predicate(r)` holds.
    static func unitMask(width: Int, _ predicate: (Int) -> Bool) -> [UInt64] {
        var mask = [UInt64](repeating: 0, count: (width + 63) / 64)
        for r in 0..<width where predicate(r) { mask[r >> 6] |= UInt64(1) << UInt64(r & 63) }
        return mask
    }

    /// n×n counts popcount(D_i & D_j) (row-major, symmetric), optionally restricted to the units of `mask`.
    func sharedActiveCounts(mask: [UInt64]? = nil) -> [Int] {
        let n = count, w = wordsPerRow
        var counts = [Int](repeating: 0, count: n * n)
        words.withUnsafeBufferPointer { pw in
            counts.withUnsafeMutableBufferPointer { pc in
                if let mask {
                    mask.withUnsafeBufferPointer { pm in
                        for i in 0..<n {
                            for j in i..<n {
                                var s = 0
                                for t in 0..<w { s &+= (pw[i * w + t] & pw[j * w + t] & pm[t]).nonzeroBitCount }
                                pc[i * n + j] = s
                                pc[j * n + i] = s
                            }
                        }
                    }
                } else {
                    for i in 0..<n {
                        for j in i..<n {
                            var s = 0
                            for t in 0..<w { s &+= (pw[i * w + t] & pw[j * w + t]).nonzeroBitCount }
                            pc[i * n + j] = s
                            pc[j * n + i] = s
                        }
                    }
                }
            }
        }
        return counts
    }

    /// Per example: how many units are active.
    public func activeCounts() -> [Int] {
        (0..<count).map { i in
            var s = 0
            for t in 0..<wordsPerRow { s += words[i * wordsPerRow + t].nonzeroBitCount }
            return s
        }
    }

    /// Per example: in how many units this pattern differs from `other` (popcount of XOR).
    public func differingCounts(from other: ActivationPattern) -> [Int] {
        precondition(count == other.count && width == other.width, "differingCounts: shape mismatch")
        let w = wordsPerRow
        return words.withUnsafeBufferPointer { a in
            other.words.withUnsafeBufferPointer { b in
                (0..<count).map { i in
                    var s = 0
                    for t in 0..<w { s &+= (a[i * w + t] ^ b[i * w + t]).nonzeroBitCount }
                    return s
                }
            }
        }
    }
}
