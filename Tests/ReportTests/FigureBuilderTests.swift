import Testing
@testable import Report

@Suite struct FigureBuilderTests {
    private func builder() throws -> FigureBuilder {
        let experiment = try ExperimentSpec.parse(yaml: sampleSpec).resolved()
        let executor = FakeExecutor()
        var results: [String: RunResult] = [:]
        for run in experiment.runs { results[run.key] = try executor.execute(run, shouldStop: { false }) }
        return FigureBuilder(experiment: experiment, results: results)
    }

    @Test func widthSweepsAverageSeedsWithARange() throws {
        let figures = try builder().figures()
        let sweep = try #require(figures.first { $0.id == "ratio-vs-width" })
        #expect(sweep.series.count == 1)
        let line = try #require(sweep.series.first)
        #expect(line.x == [64, 256, 1024])
        let low = try #require(line.low), high = try #require(line.high)
        for index in line.x.indices { #expect(low[index] <= line.y[index] && line.y[index] <= high[index]) }
        #expect(sweep.xAxis.scale == .log10 && sweep.yAxis.scale == .log10)
    }

    @Test func convergenceDrawsTheClosedFormTheoryForNGD() throws {
        let figure = try #require(try builder().figures().first { $0.id == "convergence" })
        // NGD measured + theory, GD measured (no closed form for GD).
        #expect(figure.series.map(\.role) == [.measured, .theory, .measured])
        let theory = figure.series[1]
        #expect(theory.y[0] == 2 && abs(theory.y[3] - 2 * 0.125) < 1e-15)
    }

    @Test func aMissingQuantityIsAnErrorThatListsWhatExists() throws {
        var spec = FigureSpec(id: "f", kind: .convergence, caption: "c", runs: ["ngd_wide"], metric: "losss")
        spec.theory = false
        #expect(throws: FigureError.self) { try builder().figure(for: spec) }
        do {
            _ = try builder().figure(for: spec)
        } catch let error as FigureError {
            #expect(error.message.contains("has no per-step series \"losss\" (it has: residual_norm)"))
        }
    }

    @Test func histogramsCarryEdgesAndCountEveryValue() throws {
        let spec = FigureSpec(id: "h", kind: .histogram, caption: "c", runs: ["ngd_wide", "gd_wide"], metric: "gram_eigenvalues")
        let figure = try builder().figure(for: spec)
        #expect(figure.series.count == 2)
        for series in figure.series {
            #expect(series.edges?.count == 31)
            #expect(series.y.reduce(0, +) == 8)
        }
        #expect(figure.csv.hasPrefix("series,role,style,x,y,low,high\n"))
    }
}
