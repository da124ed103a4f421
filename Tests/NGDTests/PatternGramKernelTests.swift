import Testing
@testable import NGD

/// The pattern Gram's C kernels: every kernel this CPU runs, at every thread count, gives the exact counts of a
/// bit-by-bit reference, on random patterns whose sizes leave ragged tiles, blocks and words.
@Suite struct PatternGramKernelTests {
    /// A random pattern of n rows over m units (unused high bits of each row's last word zero).
    static func randomPattern(n: Int, m: Int, seed: UInt64, density: Int = 2) -> ActivationPattern {
        var rng = Xoshiro256StarStar(seed: seed)
        let w = (m + 63) / 64
        var words = [UInt64](repeating: 0, count: n * w)
        for i in 0..<n {
            for t in 0..<w {
                // density 2: half the bits set; 3: a quarter (AND of two draws), so counts are not all alike.
                var word = rng.next()
                if density == 3 { word &= rng.next() }
                let bits = Swift.min(64, m - 64 * t)
                words[i * w + t] = bits == 64 ? word : word & ((UInt64(1) << UInt64(bits)) - 1)
            }
        }
        return ActivationPattern(count: n, width: m, words: words)
    }

    /// Σ_r 1{D_ir ∧ D_jr}, one unit at a time.
    static func referenceCounts(_ p: ActivationPattern) -> [Int] {
        let n = p.count, w = p.wordsPerRow
        var counts = [Int](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = 0
                for t in 0..<w {
                    var x = p.words[i * w + t] & p.words[j * w + t]
                    while x != 0 { s += Int(x & 1); x >>= 1 }
                }
                counts[i * n + j] = s
                counts[j * n + i] = s
            }
        }
        return counts
    }

    /// (n, m): n = 1, 2, 3 and a few odd sizes around the 4-row blocks and 16–64-row tiles; m not a multiple of
    /// 64 (a partial last word), of 4 or 8 words (the AVX tails), and one wider than a tile's word chunk.
    static let shapes: [(n: Int, m: Int)] = [(1, 1), (2, 63), (3, 65), (5, 130), (17, 200), (66, 477),
                                             (131, 1001), (70, 13_000)]

    @Test(arguments: Array(shapes.indices))
    func everyKernelAndThreadCountGivesTheExactCounts(shape index: Int) {
        let (n, m) = Self.shapes[index]
        let pattern = Self.randomPattern(n: n, m: m, seed: UInt64(100 + index), density: 2 + index % 2)
        let reference = Self.referenceCounts(pattern)
        for kernel in PatternGramKernel.supported {
            for threads in [1, 2, 3, 8] {
                let counts = pattern.sharedActiveCounts(threads: threads, kernel: kernel)
                #expect(counts == reference, "n=\(n) m=\(m) kernel \(kernel) threads \(threads)")
            }
        }
    }

    @Test func aThousandRowsGiveTheSameGramBitForBitFromEveryKernelAndThreadCount() {
        let (n, m) = (1000, 333)
        let pattern = Self.randomPattern(n: n, m: m, seed: 7)
        let reference = Self.referenceCounts(pattern)
        var rng = Xoshiro256StarStar(seed: 8)
        let base = Matrix(rows: n, columns: n, storage: (0..<(n * n)).map { _ in rng.nextNormal() })!
        // The reference scaling: the count divided by m first, then the product (the documented two roundings).
        var expected = base
        for i in 0..<n { for j in 0..<n { expected[i, j] = base[i, j] * (Double(reference[i * n + j]) / Double(m)) } }
        for kernel in PatternGramKernel.supported {
            for threads in [1, 4, 16] {
                var g = base
                pattern.scaleBySharedActiveFraction(&g, threads: threads, kernel: kernel)
                #expect(g.storage.map(\.bitPattern) == expected.storage.map(\.bitPattern),
                        "kernel \(kernel) threads \(threads)")
            }
        }
        #expect(pattern.sharedActiveCounts(threads: 3) == reference)
    }

    @Test func theCPUsBaselineKernelsAreAlwaysAvailable() {
        #expect(PatternGramKernel.supported.contains(.portable))
        #expect(PatternGramKernel.chosen.isSupported && PatternGramKernel.chosen != .automatic)
        #if arch(x86_64)
        #expect(PatternGramKernel.supported.contains(.popcnt))   // every x86-64 CPU since 2011
        #endif
    }
}
