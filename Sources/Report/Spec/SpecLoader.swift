import Foundation
import NGD
import Yams

extension ExperimentSpec {
    /// Reads and validates a spec file. Throws `SpecError` (syntax, types, unknown keys) or `SpecErrors`
    /// (every range and reference problem, in document order), each located at `file:line:column`.
    public static func load(contentsOf path: String) throws -> ExperimentSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NGDError(path, "cannot read the spec file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw NGDError(path, "the spec file is not UTF-8 text", usage: true)
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses and validates spec text; `file` names it in error messages.
    public static func parse(yaml: String, file: String = "spec.yaml") throws -> ExperimentSpec {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        }
        guard let root else {
            throw SpecError(file: file, line: 1, column: 1, path: "", message: "the spec is empty")
        }
        if let error = ControlCharacterCheck.firstProblem(in: root, file: file) { throw error }
        let decoder = StrictNodeDecoder(file: file)
        let spec = try decoder.decode(ExperimentSpec.self, from: root)
        var validator = SpecValidator(spec: spec, file: file, marks: decoder.marks, keyMarks: decoder.keyMarks)
        validator.validate()
        if !validator.errors.isEmpty {
            throw SpecErrors(errors: validator.errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return spec
    }

    /// A YAML syntax error as one line: the parser's position and its message.
    private static func syntaxError(_ error: YamlError, file: String) -> SpecError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text) at line \($0.mark.line), column "
                + "\($0.mark.column))" } ?? problem
            return SpecError(file: file, line: mark.line, column: mark.column, path: "", message: "YAML syntax: "
                + "\(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return SpecError(file: file, line: context.mark.line, column: context.mark.column, path: "",
                             message: "duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", "))")
        case .reader(let problem, _, _, _):
            return SpecError(file: file, line: 1, column: 1, path: "", message: "YAML: \(problem)")
        default:
            let firstLine = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
            return SpecError(file: file, line: 1, column: 1, path: "", message: "YAML: \(firstLine)")
        }
    }
}

/// Range and reference checks after decoding; every problem is located through the decoder's marks.
struct SpecValidator {
    let spec: ExperimentSpec
    let file: String
    let marks: [String: Mark]
    let keyMarks: [String: Mark]
    var errors: [SpecError] = []

    /// Run and sweep ids appear in expressions, so they must be identifiers.
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first))
        else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
    }

    /// Figure and claim ids become file names and HTML anchors.
    static func isFileSafe(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy {
            $0 == "_" || $0 == "-" || ($0.isASCII && CharacterSet.alphanumerics.contains($0))
        }
    }

    mutating func fail(_ path: String, _ message: String, key: Bool = false) {
        let mark = (key ? keyMarks[path] : nil) ?? marks[path] ?? keyMarks[path] ?? nearestMark(path)
        let error = SpecError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, path: path, message: message)
        // A data set shared by several runs would otherwise report the same problem once per run.
        if !errors.contains(error) { errors.append(error) }
    }

    /// Figure ids become file names and anchors; claim ids anchors and keys. Longer ids are refused.
    static let maximumIDLength = 64
    /// Explicit figure sizes: inches, each side in (0, maximumFigureInches].
    static let maximumFigureInches = 50.0

    /// The mark of the closest enclosing path that was recorded (for a missing value).
    func nearestMark(_ path: String) -> Mark? {
        var current = path
        while !current.isEmpty {
            if let mark = marks[current] { return mark }
            if let cut = current.lastIndex(where: { $0 == "." || $0 == "[" }) { current = String(current[..<cut]) } else { break }
        }
        return marks[""]
    }

    mutating func validate() {
        if spec.title.trimmingCharacters(in: .whitespaces).isEmpty { fail("title", "must not be empty") }
        if spec.seed != nil, spec.seeds != nil { fail("seeds", "give either seed or seeds, not both") }
        if let seeds = spec.seeds {
            if seeds.isEmpty { fail("seeds", "must list at least one seed") }
            if Set(seeds).count != seeds.count { fail("seeds", "lists a seed twice") }
        }
        for (name, dataset) in spec.datasets.sorted(by: { $0.key < $1.key }) { validate(dataset, at: "datasets.\(name)") }
        for (name, model) in spec.models.sorted(by: { $0.key < $1.key }) { validate(model, at: "models.\(name)") }
        for (name, optimizer) in spec.optimizers.sorted(by: { $0.key < $1.key }) { validate(optimizer, at: "optimizers.\(name)") }

        let runIDs = validateRuns()
        checkRunCount()
        validateFigures(runIDs: runIDs)
        validateClaims(runIDs: runIDs)
        validateReproducibility()
    }

    /// Checks the runs and sweeps; returns their ids, each with the path of its definition.
    mutating func validateRuns() -> [String: String] {
        var runIDs: [String: String] = [:]   // id → path of its definition
        for (index, run) in (spec.runs ?? []).enumerated() {
            let path = "runs[\(index)]"
            checkRunID(run.id, at: path, seen: &runIDs)
            checkReferences(dataset: run.dataset, model: run.model, optimizer: run.optimizer, at: path)
            checkCombination(dataset: run.dataset, model: run.model, optimizer: run.optimizer, over: [:], at: path)
            if run.steps < 0 { fail("\(path).steps", "expected a number of steps ≥ 0, got \(run.steps)") }
        }
        for (index, sweep) in (spec.sweeps ?? []).enumerated() {
            let path = "sweeps[\(index)]"
            checkRunID(sweep.id, at: path, seen: &runIDs)
            checkReferences(dataset: sweep.dataset, model: sweep.model, optimizer: sweep.optimizer, at: path)
            checkCombination(dataset: sweep.dataset, model: sweep.model, optimizer: sweep.optimizer, over: sweep.over, at: path)
            if sweep.steps < 0 { fail("\(path).steps", "expected a number of steps ≥ 0, got \(sweep.steps)") }
            if sweep.over.isEmpty { fail("\(path).over", "must vary at least one parameter") }
            for (parameter, values) in sweep.over.sorted(by: { $0.key < $1.key }) {
                let valuePath = "\(path).over.\(parameter)"
                guard let known = SweepParameter(rawValue: parameter) else {
                    let names = SweepParameter.allCases.map(\.rawValue).joined(separator: ", ")
                    fail(valuePath, "unknown sweep parameter \"\(parameter)\"; expected one of \(names)", key: true)
                    continue
                }
                if values.isEmpty { fail(valuePath, "must list at least one value") }
                if Set(values).count != values.count { fail(valuePath, "lists a value twice") }
                for (valueIndex, value) in values.enumerated() {
                    if let problem = known.problem(with: value, optimizer: spec.optimizers[sweep.optimizer]?.kind,
                                                   dataset: spec.datasets[sweep.dataset]?.kind) {
                        fail("\(valuePath)[\(valueIndex)]", problem)
                    }
                }
            }
        }
        return runIDs
    }

    mutating func validateFigures(runIDs: [String: String]) {
        var figureIDs = Set<String>()
        for (index, figure) in (spec.figures ?? []).enumerated() {
            let path = "figures[\(index)]"
            if !Self.isFileSafe(figure.id) { fail("\(path).id", "must be letters, digits, '_' or '-', got "
                + "\"\(figure.id)\"") }
            checkLength(of: figure.id, at: "\(path).id")
            if figure.id == "claims" { fail("\(path).id", "\"claims\" is reserved (data/claims.json holds the claim "
                + "outcomes)") }
            if !figureIDs.insert(figure.id).inserted { fail("\(path).id", "figure id \"\(figure.id)\" is used twice") }
            if figure.runs.isEmpty { fail("\(path).runs", "must name at least one run or sweep") }
            for (runIndex, id) in figure.runs.enumerated() where runIDs[id] == nil {
                fail("\(path).runs[\(runIndex)]", "no run or sweep named \"\(id)\"\(known(runIDs.keys))")
            }
            if let value = figure.value {
                if figure.kind != .widthSweep && figure.kind != .bar {
                    fail("\(path).value", "only width_sweep and bar figures take a value expression")
                }
                checkExpression(value, at: "\(path).value", runIDs: ["run": "the figure's run"])
            }
            if let bins = figure.bins, bins <= 0 { fail("\(path).bins", "expected a positive number of bins, got "
                + "\(bins)") }
            if let x = figure.x, SweepParameter(rawValue: x) == nil {
                fail("\(path).x", "expected a sweep parameter (\(SweepParameter.allCases.map(\.rawValue).joined(separator: ", "))), got \"\(x)\"")
            }
            if let size = figure.size, case .inches(let width, let height) = size,
               !([width, height].allSatisfy { $0 > 0 && $0 <= Self.maximumFigureInches }) {
                fail("\(path).size", "expected a width and height in inches, each > 0 and ≤ "
                    + "\(formatNumber(Self.maximumFigureInches)), "
                                   + "got \(formatNumber(width)) × \(formatNumber(height))")
            }
        }
    }

    mutating func validateClaims(runIDs: [String: String]) {
        var claimIDs = Set<String>()
        for (index, claim) in (spec.claims ?? []).enumerated() {
            let path = "claims[\(index)]"
            if !Self.isFileSafe(claim.id) { fail("\(path).id", "must be letters, digits, '_' or '-', got "
                + "\"\(claim.id)\"") }
            checkLength(of: claim.id, at: "\(path).id")
            if !claimIDs.insert(claim.id).inserted { fail("\(path).id", "claim id \"\(claim.id)\" is used twice") }
            // An infinite tolerance would let any measurement, even an infinite one, pass.
            if let tolerance = claim.tolerance, !(tolerance >= 0 && tolerance.isFinite) {
                fail("\(path).tolerance", "expected a finite tolerance ≥ 0, got \(formatNumber(tolerance))")
            }
            if case .number(let value) = claim.predicted, !value.isFinite {
                fail("\(path).predicted", "expected a finite number, got \(formatNumber(value))")
            }
            if claim.compare == .approximately || claim.compare == .approx, claim.tolerance == nil {
                fail("\(path).compare", "≈ needs a tolerance")
            }
            checkExpression(claim.measured, at: "\(path).measured", runIDs: runIDs)
            if case .text(let text) = claim.predicted {
                checkExpression(text, at: "\(path).predicted", runIDs: runIDs)
            }
        }
    }

    /// Declared tolerances: finite and ≥ 0 (an infinite one would accept anything), pixels within 0–1, and at
    /// least one report path each.
    mutating func validateReproducibility() {
        for (index, declared) in (spec.reproducibility?.tolerances ?? []).enumerated() {
            let path = "reproducibility.tolerances[\(index)]"
            if declared.files.isEmpty || declared.files.contains(where: \.isEmpty) {
                fail("\(path).files", "must list at least one report path (a file, or a prefix ending in *)")
            }
            if let keys = declared.keys, keys.isEmpty || keys.contains(where: \.isEmpty) {
                fail("\(path).keys", "must list at least one key (a JSON member or a CSV column), or be left out")
            }
            for (key, value) in [("relative", declared.relative), ("absolute", declared.absolute)]
                where !(value >= 0 && value.isFinite) {
                fail("\(path).\(key)", "expected a finite tolerance ≥ 0, got \(formatNumber(value))")
            }
            if let pixels = declared.pixels, !(pixels >= 0 && pixels <= 1) {
                fail("\(path).pixels", "expected a pixel tolerance from 0 to 1, got \(formatNumber(pixels))")
            }
            if declared.reason.trimmingCharacters(in: .whitespaces).isEmpty {
                fail("\(path).reason", "must not be empty")
            }
        }
    }

    mutating func checkLength(of id: String, at path: String) {
        if id.count > Self.maximumIDLength {
            fail(path, "is \(id.count) characters long; at most \(Self.maximumIDLength) are allowed")
        }
    }

    func known<S: Sequence>(_ ids: S) -> String where S.Element == String {
        let list = ids.sorted()
        return list.isEmpty ? "" : "; defined: \(list.joined(separator: ", "))"
    }

    mutating func checkExpression(_ text: String, at path: String, runIDs: [String: String]) {
        do {
            let expression = try ClaimExpression.parse(text)
            for id in Set(expression.references).sorted() where runIDs[id] == nil {
                fail(path, "no run or sweep named \"\(id)\"\(known(runIDs.keys))")
            }
        } catch let error as ExpressionError {
            let shown = text.count > 80 ? text.prefix(80) + "…" : text[...]   // an expression may be 100 000 characters
            fail(path, "\(error.description) in \"\(shown)\"")
        } catch {
            fail(path, "\(error)")
        }
    }

    mutating func checkRunID(_ id: String, at path: String, seen: inout [String: String]) {
        if !Self.isIdentifier(id) {
            fail("\(path).id", "must start with a letter and contain only letters, digits and '_', got \"\(id)\"")
        }
        if let previous = seen[id] {
            fail("\(path).id", "id \"\(id)\" is already used by \(previous)")
        } else {
            seen[id] = path
        }
    }

    mutating func checkReferences(dataset: String, model: String, optimizer: String, at path: String) {
        if spec.datasets[dataset] == nil {
            fail("\(path).dataset", "no data set named \"\(dataset)\"\(known(spec.datasets.keys))")
        }
        if spec.models[model] == nil { fail("\(path).model", "no model named \"\(model)\"\(known(spec.models.keys))") }
        if spec.optimizers[optimizer] == nil {
            fail("\(path).optimizer", "no optimizer named \"\(optimizer)\"\(known(spec.optimizers.keys))")
        }
        if let data = spec.datasets[dataset]?.outputs, let net = spec.models[model]?.outputs, data != net {
            fail("\(path).model", "model \"\(model)\" has \(net) outputs but data set \"\(dataset)\" has \(data)")
        }
    }

    mutating func validate(_ dataset: DatasetSpec, at path: String) {
        func positive(_ value: Int?, _ key: String, _ what: String) {
            if let value, value <= 0 { fail("\(path).\(key)", "expected a positive \(what), got \(value)") }
        }
        positive(dataset.n, "n", "number of examples")
        positive(dataset.d, "d", "input dimension")
        positive(dataset.outputs, "outputs", "number of outputs")
        positive(dataset.perClass, "per_class", "number of examples per class")
        if let pairs = dataset.pairs, pairs < 0 { fail("\(path).pairs", "expected a number of pairs ≥ 0, got "
            + "\(pairs)") }
        if let epsilon = dataset.epsilon, !(epsilon > 0 && epsilon <= Double.pi / 2) {
            fail("\(path).epsilon", "expected an angle in radians with 0 < ε ≤ π/2, got \(formatNumber(epsilon))")
        }
        if dataset.kind == .lambda0, let d = dataset.d, d == 1 {
            fail("\(path).d", "lambda0 data needs an input dimension of at least 2, got \(d)")
        }
        if let noise = dataset.targetNoise, !(noise >= 0 && noise.isFinite) {
            fail("\(path).target_noise", "expected a finite standard deviation ≥ 0, got \(formatNumber(noise))")
        }
        if let kappa = dataset.inputConditioning, !(kappa >= 1 && kappa.isFinite) {
            fail("\(path).input_conditioning", "expected a finite condition number ≥ 1, got \(kappa)")
        }
        if let classes = dataset.classes {
            if classes.count < 2 { fail("\(path).classes", "expected at least two classes") }
            if Set(classes).count != classes.count { fail("\(path).classes", "lists a class twice") }
            if let bad = classes.first(where: { !(0...9).contains($0) }) {
                fail("\(path).classes", "class \(bad) is not a digit 0–9")
            }
        }
        if dataset.kind == .csv, dataset.path?.isEmpty ?? true { fail(path, "a csv data set needs a path") }
        checkApplicability(of: dataset, at: path)
    }

    mutating func validate(_ model: ModelSpec, at path: String) {
        if model.width <= 0 { fail("\(path).width", "expected a positive width, got \(model.width)") }
        if let depth = model.depth, !(1...ResourceLimits.maximumDepth).contains(depth) {
            fail("\(path).depth", "expected 1 to \(ResourceLimits.maximumDepth) hidden layers, got \(depth)")
        }
        if let outputs = model.outputs, outputs <= 0 { fail("\(path).outputs", "expected a positive number of outputs, "
            + "got \(outputs)") }
        if let scale = model.initScale, !(scale > 0 && scale.isFinite) {
            fail("\(path).init_scale", "expected a finite scale > 0, got \(formatNumber(scale))")
        }
    }

    mutating func validate(_ optimizer: OptimizerSpec, at path: String) {
        if !(optimizer.lr.magnitude > 0) || !optimizer.lr.magnitude.isFinite {
            fail("\(path).lr", "expected a learning rate > 0, got \(optimizer.lr)")
        }
        if case .inverseLambdaMax = optimizer.lr, optimizer.kind != .gd {
            fail("\(path).lr", "c/lambda_max is a GD step size; \(optimizer.kind.rawValue) takes a number")
        }
        if let damping = optimizer.damping, !(damping >= 0 && damping.isFinite) {
            fail("\(path).damping", "expected a finite damping ≥ 0, got \(formatNumber(damping))")
        }
        if optimizer.damping != nil, optimizer.kind == .gd {
            fail("\(path).damping", "does not apply to gd: damping is used by ngd and kfac", key: true)
        }
    }
}

extension SweepParameter {
    /// Why `value` is not acceptable for this parameter, or nil.
    func problem(with value: SweepValue, optimizer: OptimizerSpec.Kind?, dataset: DatasetRequest.Kind? = nil) -> String? {
        switch self {
        case .lr:
            let rate: LearningRate?
            switch value {
            case .number(let number): rate = .fixed(number)
            case .text(let text): rate = LearningRate(text: text)
            }
            guard let rate else { return "\(LearningRate.expectation), got \"\(value)\"" }
            if !(rate.magnitude > 0 && rate.magnitude.isFinite) { return "expected a finite learning rate > 0, got "
                + "\(value)" }
            if case .inverseLambdaMax = rate, let optimizer, optimizer != .gd {
                return "c/lambda_max is a GD step size; \(optimizer.rawValue) takes a number"
            }
            return nil
        case .width, .n, .d, .perClass, .depth:
            guard case .number(let number) = value, number == number.rounded(), number > 0, number < 1e12 else {
                return "expected a positive integer, got \(value)"
            }
            if self == .d, dataset == .lambda0, number < 2 { return "lambda0 data needs an input dimension of at least "
                + "2, got \(value)" }
            return nil
        case .steps, .pairs, .seed:
            guard case .number(let number) = value, number == number.rounded(), number >= 0, number < 9e15 else {
                return "expected an integer ≥ 0, got \(value)"
            }
            return nil
        case .epsilon:
            guard case .number(let number) = value, number > 0, number <= Double.pi / 2 else {
                return "expected an angle in radians with 0 < ε ≤ π/2, got \(value)"
            }
            return nil
        case .initScale:
            guard case .number(let number) = value, number > 0, number.isFinite else { return "expected a number > 0, "
                + "got \(value)" }
            return nil
        case .damping, .targetNoise:
            guard case .number(let number) = value, number >= 0, number.isFinite else { return "expected a number ≥ 0, "
                + "got \(value)" }
            return nil
        case .inputConditioning:
            guard case .number(let number) = value, number >= 1, number.isFinite else { return "expected a number ≥ 1, "
                + "got \(value)" }
            return nil
        }
    }
}
