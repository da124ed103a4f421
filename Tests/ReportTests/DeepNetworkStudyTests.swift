import Testing
@testable import NGD
@testable import Report

@Suite struct DeepNetworkStudyTests {
    @Test func quickStudyMeasuresTheDeepContractionAndAShrinkingGap() throws {
        let context = StudyContext(settings: PaperSettings(quick: true, seeds: 1), cacheDirectory: nil)
        let study = DeepNetworkStudy()
        let m = try study.measure(in: context)
        #expect(m.widths == [128, 512, 2048])
        #expect(m.gaps.count == 3 && m.conditionTwo.count == 2)
        #expect(m.linearizedErrors.allSatisfy { $0 < 1e-9 })      // the linear theory's 1 − η, to rounding
        #expect(m.contractionErrors.allSatisfy { $0 < 0.1 })
        #expect(m.conditionTwo.allSatisfy { $0.allSatisfy { $0 > 0 && $0.isFinite } })
        let claims = study.evaluate(m)
        #expect(claims.count == 3 && claims.allSatisfy { $0.measured?.isFinite == true })
        #expect(study.write(m).blocks.count == 3)
    }

    @Test func eachClaimFlipsWithItsMeasurement() {
        var m = DeepNetworkStudy.Measurements()
        m.gapSlopes = [-0.5, -0.4, -0.45]
        m.contractionErrors = [0.01, 0.02]
        m.linearizedErrors = [1e-15, 2e-15]
        let passing = DeepNetworkStudy().evaluate(m)
        #expect(passing.allSatisfy { $0.passed })
        m.gapSlopes = [-0.5, 0.1, -0.45]
        m.contractionErrors = [0.01, 0.05]
        m.linearizedErrors = [1e-15, 1e-6]
        let failing = DeepNetworkStudy().evaluate(m)
        #expect(failing.allSatisfy { !$0.passed })
    }
}
