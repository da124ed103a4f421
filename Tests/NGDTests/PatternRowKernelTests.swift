import CKernels
import Testing
@testable import NGD

/// The step's parallel C loops (pattern packing with output sums, coefficient blocks, the popcount Gram read from
/// one triangle): bit for bit what the one-thread Swift loops they replaced computed, at every thread count.
@Suite struct PatternRowKernelTests {
    static let threadCounts: [Int32] = [1, 2, 3, 8]

    /// Normal draws with exact zeros, −0, NaN and infinities sprinkled in.
    static func preactivations(count: Int, seed: UInt64) -> [Double] {
        var rng = Xoshiro256StarStar(seed: seed)
        let specials: [Double] = [0, -0.0, .nan, .infinity, -.infinity]
        return (0..<count).map { t in t % 37 == 5 ? specials[(t / 37) % specials.count] : rng.nextNormal() }
    }

    /// (n, b, ldz): n = 1, 2, 3 and past the 8-row interleave and 16-row chunks; b not a multiple of 64 or 4.
    static let shapes: [(n: Int, b: Int, ldz: Int)] = [(1, 1, 1), (2, 63, 70), (3, 64, 64), (9, 65, 65),
                                                       (17, 130, 131), (40, 1000, 1000)]

    @Test(arguments: Array(shapes.indices))
    func packingSignsAndSummingOutputsMatchTheSwiftLoopAtEveryThreadCount(shape index: Int) {
        let (n, b, ldz) = Self.shapes[index]
        let z = Self.preactivations(count: n * ldz, seed: UInt64(index))
        var rng = Xoshiro256StarStar(seed: 99)
        let a = (0..<b).map { _ in rng.nextNormal() }
        let words = (b + 63) / 64
        // The reference: the loops StructuredStepper ran before (Swift.max, in order of units).
        var expectedBits = [UInt64](repeating: 0, count: n * words)
        var expectedSums = [Double](repeating: 0.25, count: n)
        z.withUnsafeBufferPointer { pz in
            expectedBits.withUnsafeMutableBufferPointer { pb in
                for i in 0..<n {
                    ActivationPattern.pack(row: pz.baseAddress! + i * ldz, count: b, into: pb.baseAddress! + i * words)
                    var s = 0.0
                    for q in 0..<b { s += a[q] * Swift.max(pz[i * ldz + q], 0) }
                    expectedSums[i] += s
                }
            }
        }
        for threads in Self.threadCounts {
            var bits = [UInt64](repeating: .max, count: n * words)
            var sums = [Double](repeating: 0.25, count: n)
            ngd_pack_signs(z, n, b, ldz, &bits, words, a, &sums, threads)
            #expect(bits == expectedBits, "n=\(n) b=\(b) threads \(threads)")
            #expect(sums.map(\.bitPattern) == expectedSums.map(\.bitPattern), "n=\(n) b=\(b) threads \(threads)")
            var bitsOnly = [UInt64](repeating: 0, count: n * words)
            ngd_pack_signs(z, n, b, ldz, &bitsOnly, words, a, nil, threads)
            #expect(bitsOnly == expectedBits)
        }
    }

    @Test(arguments: Array(shapes.indices))
    func coefficientBlocksAndTheirAccumulationMatchTheSwiftLoopAtEveryThreadCount(shape index: Int) {
        let (n, b, _) = Self.shapes[index]
        let pattern = PatternGramKernelTests.randomPattern(n: n, m: b, seed: UInt64(40 + index))
        var rng = Xoshiro256StarStar(seed: 5)
        let rows = (0..<n).map { _ in rng.nextNormal() }, units = (0..<b).map { _ in rng.nextNormal() < 0 ? -1.0 : 1.0 }
        let start = (0..<(n * b)).map { _ in rng.nextNormal() }
        var expected = [Double](repeating: 0, count: n * b), expectedSum = start
        for i in 0..<n {
            for q in 0..<b {
                let bit = pattern.isActive(example: i, unit: q) ? 1.0 : 0.0
                expected[i * b + q] = rows[i] * units[q] * bit
                expectedSum[i * b + q] += expected[i * b + q]
            }
        }
        for threads in Self.threadCounts {
            var out = [Double](repeating: .nan, count: n * b), sum = start
            ngd_pattern_coefficients(pattern.words, pattern.wordsPerRow, n, b, rows, units, &out, b, &sum, b, threads)
            #expect(out.map(\.bitPattern) == expected.map(\.bitPattern), "n=\(n) b=\(b) threads \(threads)")
            #expect(sum.map(\.bitPattern) == expectedSum.map(\.bitPattern), "n=\(n) b=\(b) threads \(threads)")
        }
    }

    /// n = 1, 2, 3, 1000 and odd sizes; m not a multiple of 64.
    @Test(arguments: [(1, 1), (2, 63), (3, 65), (67, 477), (1000, 333)])
    func gramReadFromTheUpperTriangleEqualsMirroringThenScalingFromEveryKernelAndThreadCount(n: Int, m: Int) {
        let pattern = PatternGramKernelTests.randomPattern(n: n, m: m, seed: UInt64(n + m))
        var rng = Xoshiro256StarStar(seed: 3)
        var upper = Matrix(rows: n, columns: n)
        for i in 0..<n { for j in i..<n { upper[i, j] = rng.nextNormal() } }
        var expected = upper
        for i in 0..<n { for j in 0..<i { expected[i, j] = upper[j, i] } }
        pattern.scaleBySharedActiveFraction(&expected, threads: 1, kernel: .portable)
        for kernel in PatternGramKernel.supported {
            for threads in [1, 3, 16] {
                var separate = Matrix(rows: n, columns: n, repeating: .nan)
                pattern.writeScaledGram(into: &separate, upperTriangleOf: upper, threads: threads, kernel: kernel)
                var inPlace = upper
                pattern.writeScaledGram(into: &inPlace, threads: threads, kernel: kernel)
                #expect(separate.storage.map(\.bitPattern) == expected.storage.map(\.bitPattern),
                        "kernel \(kernel) threads \(threads)")
                #expect(inPlace.storage.map(\.bitPattern) == expected.storage.map(\.bitPattern),
                        "kernel \(kernel) threads \(threads), in place")
            }
        }
    }

    /// Both forms of the stepper (Z held, Z recomputed; m not a multiple of 64), every optimizer: the same
    /// weights and loss bit for bit whether its kernels run on one thread or several. (600, 300, 200) recomputes Z
    /// block by block, not in tiles (a 256-unit block of W is past the tiles' 2¹⁶ doubles).
    @Test(arguments: [(12, 20, 300), (70, 5, 200), (600, 300, 200)])
    func stepperStepsAreBitIdenticalAcrossKernelThreadCounts(n: Int, d: Int, m: Int) throws {
        let data = Dataset.synthetic(count: n, dimension: d, seed: 4)
        let theta = TwoLayerReLU(inputDimension: d, width: m).initialParameters(initScale: 1, seed: 6)
        for optimizer in OptimizerKind.allCases {
            var results: [([UInt64], UInt64)] = []
            for threads in [1, 2, 5] {
                var stepper = try StructuredStepper(inputs: data.inputs, targets: data.targets, parameters: theta)
                stepper.kernelThreads = threads
                try stepper.step(optimizer, learningRate: 0.5)
                try stepper.step(optimizer, learningRate: 0.5)
                results.append((stepper.hiddenWeights.storage.map(\.bitPattern), stepper.loss().bitPattern))
            }
            for result in results.dropFirst() {
                #expect(result.0 == results[0].0 && result.1 == results[0].1, "\(optimizer) n=\(n) d=\(d) m=\(m)")
            }
        }
    }
}
