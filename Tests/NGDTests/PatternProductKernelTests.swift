import CKernels
import Testing
@testable import NGD

/// The tile kernels that make Z = XWᵀ and the coefficient block B on the worker pool without writing either to
/// memory: the same signs, sums and W as the products made whole, at every thread count and tiling. The data are
/// multiples of 1/8 with few terms, so every product and sum of products is exact whatever order a BLAS adds
/// in; what rounds (the output sums, with a real-valued a) must be added in the documented order.
@Suite struct PatternProductKernelTests {
    static let threadCounts: [Int32] = [1, 2, 3, 8]

    /// Entries k/8 for integers |k| ≤ 8 (zeros among them, so that z = 0 happens).
    static func eighths(count: Int, seed: UInt64) -> [Double] {
        var rng = Xoshiro256StarStar(seed: seed)
        return (0..<count).map { _ in Double(Int(rng.next() % 17) - 8) / 8 }
    }

    /// (n, d, m, block): n = 1, 2, 3 and past one tile of rows (n = 300: 19 tiles of 16); m ragged, over one
    /// block and not a multiple of it.
    static let shapes: [(n: Int, d: Int, m: Int, block: Int)] = [(1, 1, 1, 64), (2, 5, 63, 64), (3, 17, 65, 64),
                                                                 (9, 4, 200, 64), (70, 5, 1000, 128), (300, 3, 130, 64)]

    @Test(arguments: Array(shapes.indices))
    func signsAndSumsOfTheTiledProductAreThoseOfTheWholeProductBlockByBlock(shape index: Int) throws {
        let (n, d, m, block) = Self.shapes[index]
        let x = Self.eighths(count: n * d, seed: UInt64(index)), w = Self.eighths(count: m * d, seed: UInt64(50 + index))
        var rng = Xoshiro256StarStar(seed: 7)
        let a = (0..<m).map { _ in rng.nextNormal() }
        let words = (m + 63) / 64
        // The reference: Z exact by plain loops, signs packed, each block's sum of a·max(z, 0) added in order.
        var z = [Double](repeating: 0, count: n * m)
        for i in 0..<n { for r in 0..<m { for t in 0..<d { z[i * m + r] += x[i * d + t] * w[r * d + t] } } }
        var expectedBits = [UInt64](repeating: 0, count: n * words)
        var expectedSums = [Double](repeating: 0.5, count: n)
        z.withUnsafeBufferPointer { pz in
            expectedBits.withUnsafeMutableBufferPointer { pb in
                for i in 0..<n {
                    ActivationPattern.pack(row: pz.baseAddress! + i * m, count: m, into: pb.baseAddress! + i * words)
                    for start in stride(from: 0, to: m, by: block) {
                        var s = 0.0
                        for r in start..<Swift.min(start + block, m) { s += a[r] * Swift.max(pz[i * m + r], 0) }
                        expectedSums[i] += s
                    }
                }
            }
        }
        for threads in Self.threadCounts {
            var bits = [UInt64](repeating: .max, count: n * words)
            var sums = [Double](repeating: 0.5, count: n)
            let status = BLAS.withOneThreadGEMM { gemm in
                ngd_pack_signs_of_product(x, n, d, w, m, block, a, &bits, words, &sums, nil, gemm, threads)
            }
            #expect(status == 0)
            #expect(bits == expectedBits, "n=\(n) d=\(d) m=\(m) threads \(threads)")
            #expect(sums.map(\.bitPattern) == expectedSums.map(\.bitPattern), "n=\(n) d=\(d) m=\(m) threads \(threads)")
        }
    }

    /// n past one tile of rows and ragged (300 = 19 tiles of 16), and small n: every tile's rows of XXᵀ from the
    /// diagonal on, exact, at every thread count; below the diagonal blocks (tiles of at most 16 rows at these n)
    /// nothing is written (-1 stays).
    @Test(arguments: [(1, 3), (2, 5), (3, 17), (70, 5), (300, 3)])
    func tilesWriteTheUpperTriangleOfTheInputGram(n: Int, d: Int) {
        let m = 130, x = Self.eighths(count: n * d, seed: UInt64(n)), w = Self.eighths(count: m * d, seed: 9)
        let a = [Double](repeating: 1, count: m)
        for threads in Self.threadCounts {
            var gram = [Double](repeating: -1, count: n * n), bits = [UInt64](repeating: 0, count: n * 3)
            let status = BLAS.withOneThreadGEMM { gemm in
                ngd_pack_signs_of_product(x, n, d, w, m, 64, a, &bits, 3, nil, &gram, gemm, threads)
            }
            #expect(status == 0)
            var wrong = 0
            for i in 0..<n {
                for j in 0..<n {
                    var dot = 0.0
                    for t in 0..<d { dot += x[i * d + t] * x[j * d + t] }
                    if j >= i ? gram[i * n + j] != dot : gram[i * n + j] != -1 && !(j / 16 == i / 16) { wrong += 1 }
                }
            }
            #expect(wrong == 0, "n=\(n) d=\(d) threads \(threads)")
        }
    }

    @Test func productsWithoutPackingAndABadBlockWriteNothing() {
        let (n, d, m) = (5, 3, 130)
        let x = Self.eighths(count: n * d, seed: 1), w = Self.eighths(count: m * d, seed: 2)
        let a = [Double](repeating: 1, count: m)
        var sums = [Double](repeating: 0.5, count: n)
        var bits = [UInt64](repeating: 7, count: n * 3)
        var gram = [Double](repeating: 3, count: n * n)
        BLAS.withOneThreadGEMM { gemm in
            #expect(ngd_pack_signs_of_product(x, n, d, w, m, 64, a, nil, 3, &sums, nil, gemm, 2) == 0)
            #expect(ngd_pack_signs_of_product(x, n, d, w, m, 96, a, &bits, 3, &sums, &gram, gemm, 2) == -1)
        }
        #expect(sums == [Double](repeating: 0.5, count: n))
        #expect(bits == [UInt64](repeating: 7, count: n * 3))
        #expect(gram == [Double](repeating: 3, count: n * n))
    }

    /// (n, d, m, tile): one tile, several with a ragged last one, and n past the coefficient kernel's row chunks.
    static let updateShapes: [(n: Int, d: Int, m: Int, tile: Int)] = [(1, 1, 1, 64), (3, 2, 65, 64), (17, 5, 300, 128),
                                                                      (40, 3, 1000, 64)]

    @Test(arguments: Array(updateShapes.indices))
    func tiledUpdateAddsTheCoefficientBlocksProductToW(shape index: Int) {
        let (n, d, m, tile) = Self.updateShapes[index]
        let pattern = PatternGramKernelTests.randomPattern(n: n, m: m, seed: UInt64(60 + index))
        var rng = Xoshiro256StarStar(seed: 9)
        let coefficients = (0..<n).map { _ in Double(Int(rng.next() % 9) - 4) / 4 }
        let units = (0..<m).map { _ in rng.next() % 2 == 0 ? -1.0 : 1.0 }
        let r = Self.eighths(count: n * d, seed: 70), start = Self.eighths(count: m * d, seed: 71)
        // The reference: W + BᵀR by plain loops over the whole B (exact: all terms are multiples of 1/32).
        var expected = start
        for q in 0..<m {
            for i in 0..<n where pattern.isActive(example: i, unit: q) {
                for t in 0..<d { expected[q * d + t] += coefficients[i] * units[q] * r[i * d + t] }
            }
        }
        for threads in Self.threadCounts {
            var w = start
            let status = BLAS.withOneThreadGEMM { gemm in
                ngd_add_pattern_product(pattern.words, pattern.wordsPerRow, n, m, tile, coefficients, units, r, d, &w,
                                        gemm, threads)
            }
            #expect(status == 0)
            #expect(w.map(\.bitPattern) == expected.map(\.bitPattern), "n=\(n) d=\(d) m=\(m) threads \(threads)")
        }
        var untouched = start
        let status = BLAS.withOneThreadGEMM { gemm in
            ngd_add_pattern_product(pattern.words, pattern.wordsPerRow, n, m, 100, coefficients, units, r, d,
                                    &untouched, gemm, 2)
        }
        #expect(status == -1 && untouched == start)
    }

    @Test func theOneThreadGEMMRestoresTheBLASThreadCount() {
        let before = BLAS.threads
        let inside = BLAS.withOneThreadGEMM { _ in BLAS.threads }
        #expect(inside == 1)
        #expect(BLAS.threads == before)
    }
}
