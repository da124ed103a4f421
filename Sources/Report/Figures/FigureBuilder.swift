import Foundation

/// A figure could not be built from the results (a quantity the engine did not report, a wrong shape).
public struct FigureError: Error, CustomStringConvertible {
    public var figure: String
    public var message: String
    public var description: String { "figure \(figure): \(message)" }
}

/// Turns a figure spec and run results into `FigureData` — the only place a result becomes a picture's data.
public struct FigureBuilder {
    public var experiment: ResolvedExperiment
    public var results: [String: RunResult]

    public init(experiment: ResolvedExperiment, results: [String: RunResult]) {
        self.experiment = experiment
        self.results = results
    }

    public func figures() throws -> [FigureData] {
        try (experiment.spec.figures ?? []).map(figure)
    }

    public func figure(for spec: FigureSpec) throws -> FigureData {
        let size = (spec.size ?? .preset(.neurips)).inches
        let scales = spec.scale ?? defaultScales(spec.kind)
        var figure = FigureData(
            id: spec.id, kind: spec.kind, title: spec.title, caption: spec.caption,
            widthInches: size.width, heightInches: size.height,
            xAxis: .init(label: spec.xLabel ?? "", scale: scales == .logx || scales == .loglog ? .log10 : .linear),
            yAxis: .init(label: spec.yLabel ?? humanName(spec.metric),
                         scale: scales == .logy || scales == .loglog ? .log10 : .linear),
            series: [], heatmap: nil, arrows: [])
        let members = Members(spec: spec, list: spec.runs.flatMap { experiment.members(of: $0) }, results: results)
        switch spec.kind {
        case .convergence: try addConvergence(to: &figure, members)
        case .widthSweep: try addWidthSweep(to: &figure, members)
        case .spectrum: try addSpectrum(to: &figure, members)
        case .histogram: try addHistogram(to: &figure, members)
        case .bar:
            let labels = members.list.map(\.label)
            figure.xAxis.categories = labels
            let ys = try members.list.map { try value(of: $0, spec: spec, fail: members.fail) }
            figure.series.append(.init(label: humanName(spec.metric), role: .measured, style: .bars,
                                       x: labels.indices.map(Double.init), y: ys))
        case .gramHeatmap:
            guard let member = members.list.first else { throw members.fail("names no run") }
            let matrix = try members.matrix(spec.metric, of: member)
            if figure.xAxis.label.isEmpty { figure.xAxis.label = "example j" }
            if spec.yLabel == nil { figure.yAxis.label = "example i" }
            figure.heatmap = .init(label: humanName(spec.metric), matrix: matrix)
        case .outputSpace: try addOutputSpace(to: &figure, members)
        }
        return figure
    }

    /// A figure's runs with their results, and the error messages that name what a run lacks.
    private struct Members {
        var spec: FigureSpec
        var list: [RunMember]
        var results: [String: RunResult]

        func fail(_ message: String) -> FigureError { FigureError(figure: spec.id, message: message) }

        func result(_ member: RunMember) throws -> RunResult {
            guard let result = results[member.key] else { throw fail("no result for \(member.label)") }
            return result
        }

        func vector(_ name: String, of member: RunMember) throws -> [Double] {
            let values = try result(member)
            guard let vector = values.vectors[name] else {
                throw fail("\(member.label) has no vector \"\(name)\" (it has: "
                    + "\(values.vectors.keys.sorted().joined(separator: ", ")))")
            }
            return vector
        }

        func matrix(_ name: String, of member: RunMember) throws -> MatrixValue {
            let values = try result(member)
            guard let matrix = values.matrices[name] else {
                throw fail("\(member.label) has no matrix \"\(name)\" (it has: "
                    + "\(values.matrices.keys.sorted().joined(separator: ", ")))")
            }
            return matrix
        }
    }

    /// One line per run of the per-step series, each with its theory curve when asked.
    private func addConvergence(to figure: inout FigureData, _ members: Members) throws {
        let spec = members.spec
        if figure.xAxis.label.isEmpty { figure.xAxis.label = "step k" }
        for member in members.list {
            let values = try members.result(member)
            guard let series = values.series[spec.metric] else {
                throw members.fail("\(member.label) has no per-step series \"\(spec.metric)\" (it has: "
                    + "\(values.series.keys.sorted().joined(separator: ", ")))")
            }
            figure.series.append(.init(label: member.label, role: .measured, style: .line,
                                       x: series.indices.map(Double.init), y: series))
            if spec.theory ?? false, let theory = theoryCurve(spec.metric, member: member, result: values) {
                figure.series.append(theory)
            }
        }
    }

    /// One line per combination of the other swept parameters; seeds are averaged with a min–max band.
    private func addWidthSweep(to figure: inout FigureData, _ members: Members) throws {
        let spec = members.spec
        let parameter = SweepParameter(rawValue: spec.x ?? "width") ?? .width
        if figure.xAxis.label.isEmpty {
            figure.xAxis.label = parameter == .width ? "width m" : humanName(parameter.rawValue)
        }
        let evaluator = ClaimEvaluator(experiment: experiment, results: results)
        var groups: [(name: String, points: [(x: Double, y: Double)])] = []
        for member in members.list {
            guard let x = evaluator.parameterValue(parameter, of: member) else {
                throw members.fail("\(member.label) has no value for \(parameter.rawValue)")
            }
            let y = try value(of: member, spec: spec, fail: members.fail)
            let others = member.parameters.filter { $0.key != parameter.rawValue && $0.key != "seed" }
                .sorted { $0.key < $1.key }.map { "\(humanName($0.key))=\($0.value)" }.joined(separator: ", ")
            let base = experiment.spec.sweeps?.first { $0.id == member.group }?.label
                ?? experiment.spec.runs?.first { $0.id == member.group }?.label ?? member.group
            let name = others.isEmpty ? base : "\(base) (\(others))"
            if let index = groups.firstIndex(where: { $0.name == name }) {
                groups[index].points.append((x, y))
            } else {
                groups.append((name, [(x, y)]))
            }
        }
        for group in groups {
            let xs = Array(Set(group.points.map(\.x))).sorted()
            var mean: [Double] = [], low: [Double] = [], high: [Double] = []
            for x in xs {
                let ys = group.points.filter { $0.x == x }.map(\.y)
                mean.append(ys.reduce(0, +) / Double(ys.count))
                low.append(ys.min() ?? .nan)
                high.append(ys.max() ?? .nan)
            }
            let spread = zip(low, high).contains { $0 != $1 }
            figure.series.append(.init(label: group.name, role: .measured, style: .line, x: xs, y: mean,
                                       low: spread ? low : nil, high: spread ? high : nil))
        }
    }

    /// Each run's vector sorted from the largest down, against its rank.
    private func addSpectrum(to figure: inout FigureData, _ members: Members) throws {
        if figure.xAxis.label.isEmpty { figure.xAxis.label = "index i" }
        for member in members.list {
            let sorted = try members.vector(members.spec.metric, of: member).sorted(by: >)
            figure.series.append(.init(label: member.label, role: .measured, style: .points,
                                       x: sorted.indices.map { Double($0 + 1) }, y: sorted))
        }
    }

    /// One bar series per run, all on the same bins over the range of every run's finite values.
    private func addHistogram(to figure: inout FigureData, _ members: Members) throws {
        let spec = members.spec
        if figure.xAxis.label.isEmpty { figure.xAxis.label = humanName(spec.metric) }
        if spec.yLabel == nil { figure.yAxis.label = "count" }
        let vectors = try members.list.map { ($0.label, try members.vector(spec.metric, of: $0).filter(\.isFinite)) }
        let all = vectors.flatMap(\.1)
        let lower = all.min() ?? 0, upper = all.max() ?? 1
        for (label, vector) in vectors {
            let bins = HistogramBins(vector, bins: spec.bins ?? 30, lower: lower, upper: upper)
            figure.series.append(.init(label: label, role: .measured, style: .bars, x: bins.centres, y: bins.counts,
                                       edges: bins.edges))
        }
    }

    /// Arrows from u(0) to `metric` (e.g. outputs_next) per example; targets drawn as stars.
    private func addOutputSpace(to figure: inout FigureData, _ members: Members) throws {
        let spec = members.spec
        if figure.xAxis.label.isEmpty { figure.xAxis.label = "output 1" }
        if spec.yLabel == nil { figure.yAxis.label = "output 2" }
        for member in members.list {
            let values = try members.result(member)
            guard let start = values.matrices["outputs_initial"], let end = values.matrices[spec.metric],
                  start.rows == end.rows, start.columns >= 2, end.columns >= 2 else {
                throw members.fail("\(member.label) needs n × 2 matrices \"outputs_initial\" and \"\(spec.metric)\"")
            }
            for i in 0..<start.rows {
                figure.arrows.append(.init(group: member.label, x0: start[i, 0], y0: start[i, 1],
                                           x1: end[i, 0], y1: end[i, 1]))
            }
            if let targets = values.matrices["targets"], targets.columns >= 2 {
                figure.series.append(.init(label: "targets (\(member.label))", role: .measured, style: .star,
                                           x: (0..<targets.rows).map { targets[$0, 0] },
                                           y: (0..<targets.rows).map { targets[$0, 1] }))
            }
        }
    }

    private func defaultScales(_ kind: FigureKind) -> AxisScales {
        switch kind {
        case .convergence, .spectrum: return .logy
        case .widthSweep: return .loglog
        case .histogram, .bar, .gramHeatmap, .outputSpace: return .linear
        }
    }

    /// One number for one run: the figure's `value` expression (reading the run as `run`), else the reduced metric.
    private func value(of member: RunMember, spec: FigureSpec, fail: (String) -> FigureError) throws -> Double {
        guard let expression = spec.value else {
            guard let result = results[member.key] else { throw fail("no result for \(member.label)") }
            return try reduced(spec.metric, spec.reduce ?? .last, result, member: member, fail: fail)
        }
        var single = member
        single.group = "run"
        let evaluator = ClaimEvaluator(experiment: ResolvedExperiment(spec: experiment.spec, members: [single]), results: results)
        do {
            return try evaluator.scalar(expression, role: "value")
        } catch {
            throw fail("\(member.label): \(error)")
        }
    }

    private func reduced(_ metric: String, _ reduction: Reduction, _ result: RunResult, member: RunMember,
                         fail: (String) -> FigureError) throws -> Double {
        if let scalar = result.scalars[metric] { return scalar }
        guard let series = result.series[metric] ?? result.vectors[metric], !series.isEmpty else {
            throw fail("\(member.label) has no scalar or series \"\(metric)\"")
        }
        switch reduction {
        case .first: return series[0]
        case .last: return series[series.count - 1]
        case .min: return series.min() ?? .nan
        case .max: return series.max() ?? .nan
        case .mean: return series.reduce(0, +) / Double(series.count)
        }
    }

    /// The engine's theory curve `<metric>_theory`, else the closed form where the theory gives one:
    /// NGD in the linear limit contracts the residual exactly, ‖r(k)‖ = (1 − η)^k ‖r(0)‖ (docs/CLAIMS.md, claim 4).
    private func theoryCurve(_ metric: String, member: RunMember, result: RunResult) -> FigureData.Series? {
        if let theory = result.series["\(metric)_theory"] {
            return .init(label: "theory: \(member.label)", role: .theory, style: .line,
                         x: theory.indices.map(Double.init), y: theory)
        }
        guard metric == "residual_norm", member.run.optimizer.kind == .ngd, member.run.optimizer.damping == 0,
              case .fixed(let eta) = member.run.optimizer.learningRate,
              let r0 = result.series[metric]?.first else { return nil }
        let steps = result.series[metric]?.count ?? 0
        return .init(label: "(1 − η)^k ‖r(0)‖, η = \(formatNumber(eta))", role: .theory, style: .line,
                     x: (0..<steps).map(Double.init), y: (0..<steps).map { r0 * pow(1 - eta, Double($0)) })
    }
}

/// A metric or parameter key as a label: `kfac_leverage_scores` → "kfac leverage scores" (in figure labels an
/// underscore means a subscript).
func humanName(_ identifier: String) -> String {
    identifier.replacingOccurrences(of: "_", with: " ")
}
