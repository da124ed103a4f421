import Foundation
import Testing
@testable import Render

@Suite struct LinearTickTests {
    func labels(_ lo: Double, _ hi: Double, _ m: Int = 5) -> [String] { TickLocator.linear(lower: lo, upper: hi, targetCount: m).labels }

    @Test func unitIntervalGetsTenthsOrFifths() {
        let l = labels(0, 1)
        #expect(l == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"] || l == ["0.00", "0.25", "0.50", "0.75", "1.00"])
    }
    @Test func floatNoiseNeverReachesLabels() {
        let t = TickLocator.linear(lower: 0.1, upper: 0.7, targetCount: 7)
        #expect(t.labels.allSatisfy { $0.count <= 4 }, "\(t.labels)")
        #expect(t.labels.contains("0.3"), "\(t.labels)")
        #expect(t.ticks.contains { $0.value == 0.3 })
    }
    @Test func negativeRangeUsesTypographicMinus() {
        let l = labels(-3.2, 17)
        #expect(l.first?.hasPrefix("−") == true || l.first == "0", "\(l)")
        #expect(!l.joined().contains("-"))
        #expect(l.contains("0") && l.contains("10"))
    }
    @Test func microRangeFactorsOutPowerOfTen() {
        let t = TickLocator.linear(lower: 1e-6, upper: 3e-6)
        #expect(t.multiplier == "×10<sup>−6</sup>")
        #expect(t.labels.first == "1.0" || t.labels.first == "1")
        #expect(t.labels.contains(where: { $0.hasPrefix("3") }))
    }
    @Test func hugeRangeFactorsOutPowerOfTen() {
        let t = TickLocator.linear(lower: 0, upper: 4.2e9)
        #expect(t.multiplier == "×10<sup>9</sup>")
        #expect(t.labels.first == "0")
    }
    @Test func tinyRelativeRangeStillGivesDistinctLabels() {
        let t = TickLocator.linear(lower: 1, upper: 1 + 1e-9)
        #expect(t.ticks.count >= 2)
        #expect(Set(t.labels).count == t.labels.count, "\(t.labels)")
    }
    @Test func degenerateRangeIsWidenedAroundTheValue() {
        let t = TickLocator.linear(lower: 5, upper: 5)
        #expect(t.ticks.count >= 2)
        #expect(t.ticks.first!.value <= 5 && t.ticks.last!.value >= 5)
        #expect(TickLocator.linear(lower: 0, upper: 0).ticks.count >= 2)
    }
    @Test func tickCountFollowsTarget() {
        for (lo, hi) in [(0.0, 1.0), (-0.25, 5.25), (0.0, 10.5), (-3.2, 17.0), (0.0, 37.0), (1000.0, 1234.0)] {
            for m in 3...8 {
                let n = TickLocator.linear(lower: lo, upper: hi, targetCount: m).ticks.count
                #expect(n >= max(2, m - 2) && n <= m + 3, "range \(lo)…\(hi) target \(m) gave \(n)")
            }
        }
    }
    @Test func ticksStayInsideTheRange() {
        for (lo, hi) in [(0.13, 0.91), (-7.5, -2.1), (123.0, 4567.0)] {
            let t = TickLocator.linear(lower: lo, upper: hi)
            #expect(t.ticks.allSatisfy { $0.value >= lo - 1e-12 && $0.value <= hi + 1e-12 })
        }
    }
    @Test func plainNumbersAreShortest() {
        #expect(NumberFormatting.plain(0.1 + 0.2) == "0.3")
        #expect(NumberFormatting.plain(-2) == "−2")
        #expect(NumberFormatting.plain(-0.0) == "0")
    }
}

@Suite struct LogTickTests {
    @Test func majorsAtPowersOfTenWithSuperscripts() {
        let t = TickLocator.log10(lower: 1e-3, upper: 1e1)
        #expect(t.majors.map(\.value) == [1e-3, 1e-2, 1e-1, 1, 10])
        #expect(t.majors.first?.label == "10<sup>−3</sup>")
        #expect(t.majors.last?.label == "10<sup>1</sup>")
    }
    @Test func minorsAtTwoToNine() {
        let t = TickLocator.log10(lower: 1, upper: 100)
        let minors = t.minors.map(\.value)
        #expect(minors.count == 16)
        #expect(minors.first == 2 && minors.last == 90)
        #expect(t.minors.allSatisfy { $0.label == nil })
    }
    @Test func fifteenDecadesAreThinned() {
        let t = TickLocator.log10(lower: 1e-15, upper: 1, maxLabels: 6)
        let labelled = t.ticks.filter { $0.label != nil }
        #expect(labelled.count <= 6 && labelled.count >= 3)
        #expect(labelled.contains { $0.value == 1 })
        // unlabelled decades remain as minor ticks; no 2…9 smear
        #expect(t.ticks.count == 16)
    }
    @Test func subDecadeRangeLabelsMinorValues() {
        let t = TickLocator.log10(lower: 0.03, upper: 0.5)
        #expect(t.labels.contains("0.1"))
        #expect(t.labels.count >= 2)
    }
}
