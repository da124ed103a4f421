import Foundation
import NGD

extension ExperimentSpec {
    /// Expands runs and sweeps into fully specified runs. The spec must have been validated (`parse`);
    /// a reference that does not resolve is reported as a usage error rather than trusted.
    ///
    /// `dataDirectory` is the spec file's directory: relative data paths (a CSV `path:`, a digits file, an MNIST
    /// directory) name files there, whatever the current directory. The runs keep the paths as written (so keys
    /// and manifests do not depend on where the report is built) and carry the content digest of the files
    /// they read (so keys change when the data do); each file is read once however many runs use it.
    public func resolved(dataDirectory: String? = nil) throws -> ResolvedExperiment {
        let digests = InputDigest.Memo()
        var members: [RunMember] = []
        for run in runs ?? [] {
            let seeds = replicatedSeeds(explicit: run.seed, sweepVariesSeed: false)
            for seed in seeds {
                var parameters: [String: SweepValue] = [:]
                if seeds.count > 1 { parameters["seed"] = .number(Double(seed)) }
                var resolved = try resolve(dataset: run.dataset, model: run.model, optimizer: run.optimizer,
                                           steps: run.steps, seed: seed, assignments: [], owner: run.id)
                resolved.dataset.contentDigest = try digests.digest(of: resolved.dataset.located(in: dataDirectory))
                members.append(RunMember(group: run.id, label: label(run.label ?? run.id, parameters),
                                         parameters: parameters, run: resolved, key: resolved.key))
            }
        }
        for sweep in sweeps ?? [] {
            // Nest the product in the fixed SweepParameter order (never Dictionary order).
            var axes: [(SweepParameter, [SweepValue])] = SweepParameter.allCases.compactMap { parameter in
                sweep.over[parameter.rawValue].map { (parameter, $0) }
            }
            if !axes.contains(where: { $0.0 == .seed }) {
                let seeds = replicatedSeeds(explicit: sweep.seed, sweepVariesSeed: false)
                if seeds.count > 1 { axes.append((.seed, seeds.map { .number(Double($0)) })) }
            }
            let baseSeed = sweep.seed ?? seed ?? seeds?.first ?? 0
            for assignment in cartesianProduct(axes) {
                let seedValue = assignment.first { $0.0 == .seed }.flatMap { pair -> UInt64? in
                    if case .number(let number) = pair.1 { return UInt64(exactly: number) }
                    return nil
                } ?? baseSeed
                var resolved = try resolve(dataset: sweep.dataset, model: sweep.model, optimizer: sweep.optimizer,
                                           steps: sweep.steps, seed: seedValue, assignments: assignment, owner: sweep.id)
                resolved.dataset.contentDigest = try digests.digest(of: resolved.dataset.located(in: dataDirectory))
                var parameters: [String: SweepValue] = [:]
                for (parameter, value) in assignment { parameters[parameter.rawValue] = value }
                // Human labels: "input conditioning=10", not the key (an underscore would typeset as a subscript).
                let coordinates = assignment.map { "\($0.0.rawValue.replacingOccurrences(of: "_", with: " "))=\($0.1)" }
                    .joined(separator: ", ")
                members.append(RunMember(group: sweep.id, label: "\(sweep.label ?? sweep.id) (\(coordinates))",
                                         parameters: parameters, run: resolved, key: resolved.key))
            }
        }
        return ResolvedExperiment(spec: self, members: members, dataDirectory: dataDirectory)
    }

    private func replicatedSeeds(explicit: UInt64?, sweepVariesSeed: Bool) -> [UInt64] {
        if let explicit { return [explicit] }
        if let seeds, !seeds.isEmpty { return seeds }
        return [seed ?? 0]
    }

    private func label(_ base: String, _ parameters: [String: SweepValue]) -> String {
        guard let seed = parameters["seed"] else { return base }
        return "\(base) (seed=\(seed))"
    }

    private func cartesianProduct(_ axes: [(SweepParameter, [SweepValue])]) -> [[(SweepParameter, SweepValue)]] {
        var product: [[(SweepParameter, SweepValue)]] = [[]]
        for (parameter, values) in axes {
            product = product.flatMap { prefix in values.map { prefix + [(parameter, $0)] } }
        }
        return product
    }

    private func resolve(dataset datasetName: String, model modelName: String, optimizer optimizerName: String,
                         steps: Int, seed: UInt64, assignments: [(SweepParameter, SweepValue)], owner: String) throws
        -> ResolvedRun {
        guard let data = datasets[datasetName] else { throw NGDError(owner, "no data set named "
            + "\"\(datasetName)\"", usage: true) }
        guard let net = models[modelName] else { throw NGDError(owner, "no model named \"\(modelName)\"", usage: true) }
        guard let method = optimizers[optimizerName] else {
            throw NGDError(owner, "no optimizer named \"\(optimizerName)\"", usage: true)
        }
        let outputs = net.outputs ?? data.outputs ?? 1
        var request = DatasetRequest(kind: data.kind, count: data.n, dimension: data.d, outputs: outputs,
                                     classes: data.classes ?? [4, 9], perClass: data.perClass, path: data.path,
                                     normalize: data.normalize ?? true, seed: data.seed ?? seed, epsilon: data.epsilon,
                                     pairs: data.pairs, targetOperator: data.targetOperator ?? .minus,
                                     targetNoise: data.targetNoise ?? 0.3).withDefaultsFilled()
        var run = ResolvedRun(
            dataset: request, inputConditioning: data.inputConditioning,
            model: .init(width: net.width, outputs: outputs, initScale: net.initScale ?? 1,
                         trainOutputLayer: net.trainOutputLayer ?? false, seed: seed,
                         depth: net.depth.flatMap { $0 == 1 ? nil : $0 }),
            optimizer: .init(kind: method.kind, learningRate: method.lr, damping: method.damping ?? 0,
                             linearized: method.linearized ?? false),
            steps: steps)
        for (parameter, value) in assignments {
            let number: Double
            switch value {
            case .number(let n): number = n
            case .text(let text):
                guard parameter == .lr, let rate = LearningRate(text: text) else {
                    throw NGDError(owner, "\(parameter.rawValue) cannot be \"\(text)\"", usage: true)
                }
                run.optimizer.learningRate = rate
                continue
            }
            switch parameter {
            case .width: run.model.width = Int(number)
            case .depth: run.model.depth = Int(number) == 1 ? nil : Int(number)
            case .lr: run.optimizer.learningRate = .fixed(number)
            case .damping: run.optimizer.damping = number
            case .steps: run.steps = Int(number)
            case .seed:
                run.model.seed = UInt64(number)
                if data.seed == nil { request.seed = UInt64(number) }
            case .n: request.count = Int(number)
            case .d: request.dimension = Int(number)
            case .epsilon: request.epsilon = number
            case .pairs: request.pairs = Int(number)
            case .initScale: run.model.initScale = number
            case .perClass: request.perClass = Int(number)
            case .targetNoise: request.targetNoise = number
            case .inputConditioning: run.inputConditioning = number
            }
            run.dataset = request
        }
        return run
    }
}

extension DatasetRequest {
    /// The request with a relative `path` taken relative to `directory` (the spec's directory) instead of the
    /// current one; unchanged when `directory` is nil or empty, or the path is absolute or absent.
    public func located(in directory: String?) -> DatasetRequest {
        guard let directory, !directory.isEmpty, let path, !path.isEmpty, !(path as NSString).isAbsolutePath,
              kind == .csv || kind == .digits || kind == .mnist else { return self }
        var located = self
        located.path = (directory as NSString).appendingPathComponent(path)
        return located
    }
}
