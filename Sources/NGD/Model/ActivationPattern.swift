import CKernels
import Dispatch

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
    func sharedActiveCounts(mask: [UInt64]? = nil) -> [Int] {
        var counts = [Int](repeating: 0, count: count * count)
        guard let mask else {
            words.withUnsafeBufferPointer { pw in
                counts.withUnsafeMutableBufferPointer { pc in
                    ActivationPattern.countSharedBits(pw, rows: count, wordsPerRow: wordsPerRow, into: pc)
                }
            }
            return counts
        }
        // Masking each row once leaves the same exact counts to the one kernel.
        var masked = words
        let w = wordsPerRow
        masked.withUnsafeMutableBufferPointer { pm in
            mask.withUnsafeBufferPointer { pk in
                for i in 0..<count { for t in 0..<w { pm[i * w + t] &= pk[t] } }
            }
        }
        masked.withUnsafeBufferPointer { pw in
            counts.withUnsafeMutableBufferPointer { pc in
                ActivationPattern.countSharedBits(pw, rows: count, wordsPerRow: w, into: pc)
            }
        }
        return counts
    }

    /// "hardware" when `ngd_shared_bit_counts` runs on the CPU's population-count instruction, else "portable".
    public static var countingKernel: String {
        ngd_shared_bit_counts_uses_hardware_popcount() != 0 ? "hardware" : "portable"
    }

    /// counts[i·n + j] = Σ_t popcount(row_i[t] & row_j[t]) for all i, j (both triangles written).
    static func countSharedBits(_ words: UnsafeBufferPointer<UInt64>, rows n: Int, wordsPerRow w: Int,
                                into counts: UnsafeMutableBufferPointer<Int>) {
        var row = [Int64](repeating: 0, count: n)
        row.withUnsafeMutableBufferPointer { scratch in
            for i in 0..<n {
                forEachSharedCount(words, row: i, rows: n, wordsPerRow: w, scratch: scratch) { i, j, s in
                    counts[i * n + j] = s
                    counts[j * n + i] = s
                }
            }
        }
    }

    /// Calls `body(i, j, popcount(row_i & row_j))` for j = i..<n; `scratch` holds ≥ n − i counts.
    ///
    /// The counting is the C kernel `ngd_shared_bit_counts` (four rows per load of row i, hardware POPCNT when
    /// the CPU has it: Swift's baseline x86-64 target would not emit it).
    @inline(__always)
    static func forEachSharedCount(_ words: UnsafeBufferPointer<UInt64>, row i: Int, rows n: Int, wordsPerRow w: Int,
                                   scratch: UnsafeMutableBufferPointer<Int64>, _ body: (Int, Int, Int) -> Void) {
        guard w > 0, let base = words.baseAddress, let counts = scratch.baseAddress else {
            for j in i..<n { body(i, j, 0) }
            return
        }
        precondition(scratch.count >= n - i, "forEachSharedCount: scratch holds \(scratch.count) counts, need \(n - i)")
        ngd_shared_bit_counts(base, n, w, i, counts)
        for j in i..<n { body(i, j, Int(counts[j - i])) }
    }

    /// G ∘= (D Dᵀ)/m in place: entry (i, j) of the n×n matrix becomes g_ij · (popcount(D_i & D_j)/m), the
    /// same two roundings as forming the pattern Gram first — without its n×n array.
    ///
    /// With `threads` > 1 the rows are dealt round-robin to that many workers (row i costs n − i pairs, so
    /// dealing balances the triangle); every pair is counted by exactly one worker and the counts are exact
    /// integers, so the result does not depend on the thread count.
    func scaleBySharedActiveFraction(_ g: inout Matrix, threads: Int = 1) {
        precondition(g.rows == count && g.columns == count, "scaleBySharedActiveFraction: G must be n×n")
        let n = count, w = wordsPerRow, divisor = Double(width)
        let workers = Swift.max(1, Swift.min(threads, n / 64))
        words.withUnsafeBufferPointer { pw in
            g.storage.withUnsafeMutableBufferPointer { buffer in
                let pg = buffer   // the pointer, not the inout binding, is shared with the workers
                let scaleRows = { (first: Int) in
                    var row = [Int64](repeating: 0, count: n)
                    row.withUnsafeMutableBufferPointer { scratch in
                        for i in stride(from: first, to: n, by: workers) {
                            ActivationPattern.forEachSharedCount(pw, row: i, rows: n, wordsPerRow: w,
                                                                 scratch: scratch) { i, j, s in
                                let fraction = Double(s) / divisor
                                pg[i * n + j] *= fraction
                                if j != i { pg[j * n + i] *= fraction }
                            }
                        }
                    }
                }
                if workers == 1 {
                    scaleRows(0)
                } else {
                    DispatchQueue.concurrentPerform(iterations: workers) { scaleRows($0) }
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
