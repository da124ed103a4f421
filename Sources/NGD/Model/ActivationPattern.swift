import CKernels

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
        let n = z.rows, m = z.columns, w = (z.columns + 63) / 64
        var bits = [UInt64](repeating: 0, count: n * w)
        z.storage.withUnsafeBufferPointer { pz in
            bits.withUnsafeMutableBufferPointer { pb in
                guard let z = pz.baseAddress, let b = pb.baseAddress else { return }   // n·m = 0
                for i in 0..<n { ActivationPattern.pack(row: z + i * m, count: m, into: b + i * w) }
            }
        }
        self.init(count: n, width: m, words: bits)
    }

    /// A pattern over already packed words (n·⌈m/64⌉, unused high bits zero).
    init(count: Int, width: Int, words: [UInt64]) {
        precondition(words.count == count * ((width + 63) / 64), "ActivationPattern: word count mismatch")
        self.count = count
        self.width = width
        self.wordsPerRow = (width + 63) / 64
        self.words = words
    }

    /// Packs 1{z_r ≥ 0} for r < count into ⌈count/64⌉ words (branch-free: a NaN packs as 0).
    @inline(__always)
    static func pack(row z: UnsafePointer<Double>, count: Int, into words: UnsafeMutablePointer<UInt64>) {
        var r = 0, t = 0
        while r < count {
            let end = Swift.min(r + 64, count)
            var word: UInt64 = 0
            for q in r..<end { word |= (z[q] >= 0 ? 1 : 0) << UInt64(q - r) }
            words[t] = word
            r = end
            t += 1
        }
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
    func sharedActiveCounts(mask: [UInt64]? = nil, threads: Int = 1,
                            kernel: PatternGramKernel = .automatic) -> [Int] {
        guard let mask else { return Self.sharedBitCounts(words, rows: count, wordsPerRow: wordsPerRow,
                                                          threads: threads, kernel: kernel) }
        // Masking each row once leaves the same exact counts to the one kernel.
        var masked = words
        let w = wordsPerRow
        masked.withUnsafeMutableBufferPointer { pm in
            mask.withUnsafeBufferPointer { pk in
                for i in 0..<count { for t in 0..<w { pm[i * w + t] &= pk[t] } }
            }
        }
        return Self.sharedBitCounts(masked, rows: count, wordsPerRow: w, threads: threads, kernel: kernel)
    }

    /// The kernel that counts the pattern Gram on this CPU (`PatternGramKernel.chosen`), by name.
    public static var countingKernel: String { PatternGramKernel.chosen.description }

    /// counts[i·n + j] = Σ_t popcount(row_i[t] & row_j[t]) for all i, j: the C kernel fills the lower triangle,
    /// the upper is its mirror. An unsupported forced kernel falls back to `automatic`.
    static func sharedBitCounts(_ words: [UInt64], rows n: Int, wordsPerRow w: Int, threads: Int,
                                kernel: PatternGramKernel) -> [Int] {
        var counts = [Int64](repeating: 0, count: n * n)
        words.withUnsafeBufferPointer { pw in
            counts.withUnsafeMutableBufferPointer { pc in
                guard let base = pw.baseAddress, let out = pc.baseAddress else { return }   // n·w = 0
                let forced = kernel.isSupported ? kernel : .automatic
                _ = ngd_pattern_gram_counts(base, n, w, out, n, forced.rawValue, Int32(clamping: threads))
                for i in 0..<n { for j in (i + 1)..<Swift.max(i + 1, n) { out[i * n + j] = out[j * n + i] } }
            }
        }
        return counts.map { Int($0) }
    }

    /// G ∘= (D Dᵀ)/m in place: entry (i, j) of the n×n matrix becomes g_ij · (popcount(D_i & D_j)/m), the
    /// same two roundings as forming the pattern Gram first — without its n×n array.
    ///
    /// The C kernel deals tiles of the lower triangle to `threads` threads; every pair is counted by exactly one
    /// thread and the counts are exact integers, so the result depends neither on the thread count nor on the
    /// kernel (`automatic` unless a test or measurement forces one this CPU runs).
    func scaleBySharedActiveFraction(_ g: inout Matrix, threads: Int = 1, kernel: PatternGramKernel = .automatic) {
        precondition(g.rows == count && g.columns == count, "scaleBySharedActiveFraction: G must be n×n")
        let n = count, w = wordsPerRow, divisor = Double(width)
        let forced = kernel.isSupported ? kernel : .automatic
        words.withUnsafeBufferPointer { pw in
            g.storage.withUnsafeMutableBufferPointer { pg in
                guard let g = pg.baseAddress else { return }   // n = 0
                guard let base = pw.baseAddress else {   // m = 0: every count is 0, and 0/0 as before
                    for t in 0..<(n * n) { g[t] *= 0 / divisor }
                    return
                }
                _ = ngd_pattern_gram_scale(base, n, w, g, n, divisor, forced.rawValue, Int32(clamping: threads))
            }
        }
    }

    /// Writes G_ij = S_ij · (popcount(D_i & D_j)/m) into both triangles of `g` (n×n), reading only the upper
    /// triangle of S: `source`, or `g` itself when nil (a `dsyrk` result before mirroring). The same two
    /// roundings as mirroring S and then `scaleBySharedActiveFraction`, in one pass over the n×n entries whose
    /// tiles are dealt to `threads` threads (exact counts: the result depends on neither threads nor kernel).
    func writeScaledGram(into g: inout Matrix, upperTriangleOf source: Matrix? = nil, threads: Int = 1,
                         kernel: PatternGramKernel = .automatic) {
        precondition(g.rows == count && g.columns == count, "writeScaledGram: G must be n×n")
        precondition(source.map { $0.rows == count && $0.columns == count } ?? true, "writeScaledGram: S must be n×n")
        let n = count, w = wordsPerRow, divisor = Double(width)
        let forced = kernel.isSupported ? kernel : .automatic
        words.withUnsafeBufferPointer { pw in
            g.storage.withUnsafeMutableBufferPointer { pg in
                guard let out = pg.baseAddress else { return }   // n = 0
                func write(from s: UnsafePointer<Double>) {
                    guard let base = pw.baseAddress else {   // m = 0: every count is 0, and 0/0 as before
                        for i in 0..<n {
                            for j in 0...i {
                                out[i * n + j] = s[j * n + i] * (0 / divisor)
                                out[j * n + i] = out[i * n + j]
                            }
                        }
                        return
                    }
                    _ = ngd_pattern_gram_product(base, n, w, s, n, out, n, divisor, forced.rawValue,
                                                 Int32(clamping: threads))
                }
                guard let source else { return write(from: out) }
                source.storage.withUnsafeBufferPointer { ps in
                    if let s = ps.baseAddress { write(from: s) }
                }
            }
        }
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
