import Testing
@testable import NGD

@Suite struct RandomTests {
    /// Values from an independent Python implementation of SplitMix64 seeding + xoshiro256** 1.0.
    @Test func firstOutputsArePinnedForSeeds0And42() {
        var zero = Xoshiro256StarStar(seed: 0)
        #expect([zero.next(), zero.next(), zero.next()] == [0x99ec_5f36_cb75_f2b4, 0xbf6e_1f78_4956_452a, 0x1a5f_849d_4933_e6e0])
        var fortyTwo = Xoshiro256StarStar(seed: 42)
        #expect([fortyTwo.next(), fortyTwo.next(), fortyTwo.next()] == [0x1578_0b2e_0c2e_c716, 0x6104_d986_6d11_3a7e, 0xae17_5332_39e4_99a1])
    }

    @Test func normalsHaveUnitVarianceAndZeroMean() {
        var rng = Xoshiro256StarStar(seed: 7)
        let count = 200_000
        var sum = 0.0, squares = 0.0
        for _ in 0..<count {
            let v = rng.nextNormal()
            sum += v
            squares += v * v
        }
        let mean = sum / Double(count)
        let variance = squares / Double(count) - mean * mean
        // Standard errors: 1/√N ≈ 0.0022 for the mean, √(2/N) ≈ 0.0032 for the variance.
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.015)
    }

    @Test func initialisationIsSeededAndFollowsTheDocumentedDrawOrder() {
        let model = TwoLayerReLU(inputDimension: 3, width: 5, outputs: 2)
        let p = model.initialParameters(initScale: 0.5, seed: 42)
        #expect(p == model.initialParameters(initScale: 0.5, seed: 42))
        #expect(p != model.initialParameters(initScale: 0.5, seed: 43))
        var rng = Xoshiro256StarStar(seed: 42)
        let w = (0..<15).map { _ in 0.5 * rng.nextNormal() }
        let a = (0..<10).map { _ in rng.nextSign() }
        #expect(p.hiddenWeights.storage == w)
        #expect(p.outputWeights.storage == a)
    }
}
