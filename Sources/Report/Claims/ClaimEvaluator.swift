import Foundation

/// A value of a claim expression: a number or a (nested) list of numbers.
public indirect enum ExpressionValue: Hashable, Sendable {
    case number(Double)
    case list([ExpressionValue])
}

/// The outcome of one claim, as the manifest and the report show it. A failing claim keeps its numbers.
public struct ClaimOutcome: Codable, Hashable, Sendable {
    public var id: String
    public var statement: String
    public var source: String?
    /// The comparison as written (`<=`, `>=`, `≈`).
    public var comparison: String
    public var measuredExpression: String
    public var predicted: Double?
    public var measured: Double?
    public var tolerance: Double?
    public var relative: Bool
    public var passed: Bool
    /// How the verdict was reached, in words and numbers (or why no number could be computed).
    public var detail: String
}

/// Evaluates claim expressions against run results.
public struct ClaimEvaluator {
    public var experiment: ResolvedExperiment
    public var results: [String: RunResult]

    public init(experiment: ResolvedExperiment, results: [String: RunResult]) {
        self.experiment = experiment
        self.results = results
    }

    public func outcomes() -> [ClaimOutcome] {
        (experiment.spec.claims ?? []).map(outcome)
    }

    public func outcome(of claim: ClaimSpec) -> ClaimOutcome {
        let comparison = claim.compare == .approx ? "≈" : claim.compare.rawValue
        var outcome = ClaimOutcome(id: claim.id, statement: claim.statement, source: claim.source, comparison: comparison,
                                   measuredExpression: claim.measured, predicted: nil, measured: nil,
                                   tolerance: claim.tolerance, relative: claim.relative ?? false, passed: false, detail: "")
        do {
            let measured = try scalar(claim.measured, role: "measured")
            let predicted: Double
            switch claim.predicted {
            case .number(let value): predicted = value
            case .text(let text): predicted = try scalar(text, role: "predicted")
            }
            outcome.measured = measured
            outcome.predicted = predicted
            let tolerance = claim.tolerance ?? 0
            let allowance = (claim.relative ?? false) ? tolerance * abs(predicted) : tolerance
            let slack = allowance == 0 ? "" : " (tolerance \(formatNumber(allowance)))"
            switch claim.compare {
            case .atMost:
                outcome.passed = measured <= predicted + allowance
                outcome.detail = "\(formatMeasure(measured)) \(outcome.passed ? "≤" : ">") "
                    + "\(formatMeasure(predicted))\(slack)"
            case .atLeast:
                outcome.passed = measured >= predicted - allowance
                outcome.detail = "\(formatMeasure(measured)) \(outcome.passed ? "≥" : "<") "
                    + "\(formatMeasure(predicted))\(slack)"
            case .approximately, .approx:
                let gap = abs(measured - predicted)
                outcome.passed = gap <= allowance
                outcome.detail = "|\(formatMeasure(measured)) − \(formatMeasure(predicted))| = \(formatMeasure(gap)) "
                    + "\(outcome.passed ? "≤" : ">") \(formatMeasure(allowance))"
            }
            if measured.isNaN || predicted.isNaN {
                outcome.passed = false
                outcome.detail = "not a number: " + outcome.detail
            }
        } catch {
            outcome.passed = false
            outcome.detail = "could not be measured: \(error)"
        }
        return outcome
    }

    /// Evaluates `text` to a single number.
    public func scalar(_ text: String, role: String) throws -> Double {
        let value = try evaluate(ClaimExpression.parse(text))
        guard case .number(let number) = value else {
            throw EvaluationError("the \(role) expression gives a list, not one number; reduce it with last(), max(), "
                + "mean() …")
        }
        return number
    }

    public func evaluate(_ expression: ClaimExpression) throws -> ExpressionValue {
        switch expression {
        case .number(let value):
            return .number(value)
        case .reference(let id, let selector, let name):
            return try reference(id: id, selector: selector, name: name)
        case .unary(_, let operand):
            return try map(evaluate(operand)) { -$0 }
        case .binary(let op, let lhs, let rhs):
            let function: (Double, Double) -> Double
            switch op {
            case "+": function = (+)
            case "-": function = (-)
            case "*": function = (*)
            case "/": function = (/)
            case "^": function = { pow($0, $1) }
            case "<": function = { $0 < $1 ? 1 : 0 }
            case ">": function = { $0 > $1 ? 1 : 0 }
            case "<=": function = { $0 <= $1 ? 1 : 0 }
            case ">=": function = { $0 >= $1 ? 1 : 0 }
            default: throw EvaluationError("unknown operator \(op)")
            }
            return try broadcast(evaluate(lhs), evaluate(rhs), function)
        case .call(let name, let arguments):
            let values = try arguments.map(evaluate)
            return try call(name, values)
        }
    }

    private func reference(id: String, selector: [ClaimExpression.Selector], name: String) throws -> ExpressionValue {
        var members = experiment.members(of: id)
        guard !members.isEmpty else { throw EvaluationError("no run or sweep named \(id)") }
        for condition in selector {
            members = members.filter { member in
                if case .number(let value)? = member.parameters[condition.parameter] { return value == condition.value }
                return false
            }
        }
        guard !members.isEmpty else {
            let wanted = selector.map { "\($0.parameter)=\(formatNumber($0.value))" }.joined(separator: ", ")
            throw EvaluationError("\(id)[\(wanted)] selects no run")
        }
        let values = try members.map { try quantity(name, of: $0) }
        return values.count == 1 ? values[0] : .list(values)
    }

    /// A named quantity of one run: a sweep parameter, or a series, vector or scalar of its result.
    func quantity(_ name: String, of member: RunMember) throws -> ExpressionValue {
        if let parameter = SweepParameter(rawValue: name), let value = parameterValue(parameter, of: member) {
            return .number(value)
        }
        guard let result = results[member.key] else {
            throw EvaluationError("no result for \(member.label)")
        }
        if let series = result.series[name] { return .list(series.map(ExpressionValue.number)) }
        if let vector = result.vectors[name] { return .list(vector.map(ExpressionValue.number)) }
        if let scalar = result.scalars[name] { return .number(scalar) }
        let known = (result.series.keys.sorted() + result.vectors.keys.sorted() + result.scalars.keys.sorted()).joined(separator: ", ")
        throw EvaluationError("\(member.label) has no quantity \"\(name)\" (it has: \(known))")
    }

    func parameterValue(_ parameter: SweepParameter, of member: RunMember) -> Double? {
        let run = member.run
        switch parameter {
        case .width: return Double(run.model.width)
        case .depth: return Double(run.model.layers)
        case .lr:
            if case .fixed(let value) = run.optimizer.learningRate { return value }
            return results[member.key]?.scalars["learning_rate"]
        case .damping: return run.optimizer.damping
        case .steps: return Double(run.steps)
        case .seed: return Double(run.model.seed)
        case .n: return run.dataset.count.map(Double.init)
        case .d: return run.dataset.dimension.map(Double.init)
        case .epsilon: return run.dataset.epsilon
        case .pairs: return run.dataset.pairs.map(Double.init)
        case .initScale: return run.model.initScale
        case .perClass: return run.dataset.perClass.map(Double.init)
        case .targetNoise: return run.dataset.targetNoise
        case .inputConditioning: return run.inputConditioning
        }
    }

    private func map(_ value: ExpressionValue, _ function: (Double) -> Double) -> ExpressionValue {
        switch value {
        case .number(let x): return .number(function(x))
        case .list(let items): return .list(items.map { map($0, function) })
        }
    }

    private func broadcast(_ lhs: ExpressionValue, _ rhs: ExpressionValue, _ function: (Double, Double) -> Double) throws
        -> ExpressionValue {
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)): return .number(function(a, b))
        case (.list(let items), .number): return .list(try items.map { try broadcast($0, rhs, function) })
        case (.number, .list(let items)): return .list(try items.map { try broadcast(lhs, $0, function) })
        case (.list(let a), .list(let b)):
            guard a.count == b.count else {
                throw EvaluationError("cannot combine lists of different lengths (\(a.count) and \(b.count))")
            }
            return .list(try zip(a, b).map { try broadcast($0, $1, function) })
        }
    }

    /// Applies `reduce` to the innermost lists of `value`.
    private func reduceInner(_ value: ExpressionValue, _ name: String, _ reduce: ([Double]) throws -> ExpressionValue) throws
        -> ExpressionValue {
        guard case .list(let items) = value else { throw EvaluationError("\(name)() needs a list, got one number") }
        if items.allSatisfy({ if case .number = $0 { return true } else { return false } }) {
            return try reduce(items.compactMap { if case .number(let x) = $0 { return x } else { return nil } })
        }
        return .list(try items.map { try reduceInner($0, name, reduce) })
    }

    private func numbers(_ value: ExpressionValue, _ name: String) throws -> [Double] {
        guard case .list(let items) = value else { throw EvaluationError("\(name)() needs a list") }
        return try items.map {
            guard case .number(let x) = $0 else { throw EvaluationError("\(name)() needs a flat list of numbers") }
            return x
        }
    }

    private func call(_ name: String, _ arguments: [ExpressionValue]) throws -> ExpressionValue {
        func nonEmpty(_ xs: [Double]) throws -> [Double] {
            guard !xs.isEmpty else { throw EvaluationError("\(name)() of an empty list") }
            return xs
        }
        switch name {
        case "abs": return map(arguments[0]) { abs($0) }
        case "log": return map(arguments[0]) { Foundation.log($0) }
        case "log10": return map(arguments[0]) { Foundation.log10($0) }
        case "exp": return map(arguments[0]) { Foundation.exp($0) }
        case "sqrt": return map(arguments[0]) { $0.squareRoot() }
        case "first": return try reduceInner(arguments[0], name) { .number(try nonEmpty($0)[0]) }
        case "last": return try reduceInner(arguments[0], name) { .number(try nonEmpty($0)[$0.count - 1]) }
        case "min": return try reduceInner(arguments[0], name) { .number(try nonEmpty($0).min() ?? .nan) }
        case "max": return try reduceInner(arguments[0], name) { .number(try nonEmpty($0).max() ?? .nan) }
        case "sum": return try reduceInner(arguments[0], name) { .number($0.reduce(0, +)) }
        case "count": return try reduceInner(arguments[0], name) { .number(Double($0.count)) }
        case "mean": return try reduceInner(arguments[0], name) { .number(try nonEmpty($0).reduce(0, +) / Double($0.count)) }
        case "median":
            return try reduceInner(arguments[0], name) { xs in
                let sorted = try nonEmpty(xs).sorted()
                let middle = sorted.count / 2
                return .number(sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2)
            }
        case "ratio":
            return try reduceInner(arguments[0], name) { xs in
                .list(xs.count < 2 ? [] : (1..<xs.count).map { .number(xs[$0] / xs[$0 - 1]) })
            }
        case "index":
            // The step numbers 0, 1, … of a series, to write per-step bounds such as (1 − η)^k.
            return try reduceInner(arguments[0], name) { xs in .list(xs.indices.map { .number(Double($0)) }) }
        case "at":
            guard case .number(let k) = arguments[1], k == k.rounded() else { throw EvaluationError("at(list, k) needs "
                + "an integer k") }
            return try reduceInner(arguments[0], name) { xs in
                // Checked before converting: an index like 1e300 has no Int, and is outside every list anyway.
                guard abs(k) <= Double(xs.count), let offset = Int(exactly: k) else {
                    throw EvaluationError("at(): index \(formatNumber(k)) outside 0..<\(xs.count)")
                }
                let index = k < 0 ? xs.count + offset : offset
                guard xs.indices.contains(index) else { throw EvaluationError("at(): index \(offset) outside "
                    + "0..<\(xs.count)") }
                return .number(xs[index])
            }
        case "steps_to":
            guard case .number(let tolerance) = arguments[1] else { throw EvaluationError("steps_to(series, tolerance) "
                + "needs a number") }
            // The first step k with value ≤ tolerance; NaN (never reached) makes any claim on it fail.
            return try reduceInner(arguments[0], name) { xs in .number(xs.firstIndex { $0 <= tolerance }.map(Double.init) ?? .nan) }
        case "slope", "loglog_slope":
            var x = try numbers(arguments[0], name), y = try numbers(arguments[1], name)
            guard x.count == y.count, x.count >= 2 else {
                throw EvaluationError("\(name)(x, y) needs two lists of the same length ≥ 2 (got \(x.count) and "
                    + "\(y.count))")
            }
            if name == "loglog_slope" {
                guard (x + y).allSatisfy({ $0 > 0 }) else { throw EvaluationError("loglog_slope() needs positive "
                    + "values") }
                x = x.map { Foundation.log($0) }
                y = y.map { Foundation.log($0) }
            }
            // Fitting.line drops non-finite points; a claim must not pass on the points that are left.
            guard (x + y).allSatisfy(\.isFinite) else { return .number(.nan) }
            guard let fit = Fitting.line(x: x, y: y) else { throw EvaluationError("\(name)(): all x values are equal") }
            return .number(fit.slope)
        default:
            throw EvaluationError("unknown function \(name)")
        }
    }
}

public struct EvaluationError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
