import Foundation
import Testing
import NGD

@Suite struct DataLambda0Tests {
    /// The angle between unit vectors a and b, well conditioned for small angles: 2·asin(‖a − b‖/2).
    private func angle(_ a: [Double], _ b: [Double]) -> Double {
        2 * asin(zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() / 2)
    }

    @Test(arguments: [1e-6, 1e-3, 0.1, 1.0, Double.pi / 2])
    func twinsSitAtExactlyTheRequestedAngle(epsilon: Double) throws {
        let data = try Dataset.lambda0(count: 12, dimension: 5, pairs: 3, epsilon: epsilon, seed: 9)
        for p in 0..<3 {
            #expect(abs(angle(data.inputs.row(2 * p), data.inputs.row(2 * p + 1)) - epsilon) < 1e-12)
        }
        for i in 0..<12 {
            #expect(abs(data.inputs.row(i).reduce(0) { $0 + $1 * $1 } - 1) < 1e-14)
        }
    }

    @Test func basePointsAreTheSyntheticPoints() throws {
        let plain = Dataset.synthetic(count: 10, dimension: 4, seed: 2)
        let paired = try Dataset.lambda0(count: 10, dimension: 4, pairs: 2, epsilon: 0.2, seed: 2)
        for i in [0, 2, 4, 5, 6, 7, 8, 9] { #expect(paired.inputs.row(i) == plain.inputs.row(i)) }
        #expect(paired.inputs.row(1) != plain.inputs.row(1))
    }

    @Test func twinsGetIndependentTargetsUnlessAskedToShare() throws {
        let own = try Dataset.lambda0(count: 6, dimension: 3, outputs: 2, pairs: 1, epsilon: 0.1, seed: 4)
        #expect(own.targets.row(0) != own.targets.row(1))
        let shared = try Dataset.lambda0(count: 6, dimension: 3, outputs: 2, pairs: 1, epsilon: 0.1, seed: 4,
                                         twinsShareTargets: true)
        #expect(shared.targets.row(1) == shared.targets.row(0))
        #expect(shared.inputs == own.inputs)
    }

    @Test func requestDefaultsToOnePairAndNeedsEpsilon() throws {
        let data = try DatasetRequest(kind: .lambda0, count: 8, dimension: 4, epsilon: 0.05).load()
        #expect(data.count == 8)
        #expect(abs(angle(data.inputs.row(0), data.inputs.row(1)) - 0.05) < 1e-12)
        #expect(abs(angle(data.inputs.row(2), data.inputs.row(3)) - 0.05) > 1e-3)
        let missing = DataFixtures.error { _ = try DatasetRequest(kind: .lambda0).load() }
        #expect(missing?.source == "--epsilon")
    }

    @Test func invalidSettingsNameTheOption() {
        func failure(n: Int = 10, d: Int = 4, pairs: Int = 1, epsilon: Double = 0.1) -> String? {
            DataFixtures.error { _ = try Dataset.lambda0(count: n, dimension: d, pairs: pairs, epsilon: epsilon, seed: 0) }?
                .source
        }
        #expect(failure(epsilon: 0) == "--epsilon")
        #expect(failure(epsilon: 2) == "--epsilon")
        #expect(failure(epsilon: .nan) == "--epsilon")
        #expect(failure(pairs: 6) == "--pairs")
        #expect(failure(pairs: -1) == "--pairs")
        #expect(failure(d: 1) == "--d")
        #expect(failure(n: 0) == "--n")
        #expect(failure(pairs: 5) == nil)
    }
}
