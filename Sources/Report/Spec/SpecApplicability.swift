import NGD

/// Which spec keys and sweep parameters a data set or optimizer uses, and the checks that need a run's data set,
/// model and optimizer together. A key the run would ignore is refused, so that the report's run table and data/
/// never show a value that was written but not used; a combination `DatasetRequest.load` or the trainer would
/// reject is reported here, at the spec's key, before anything is trained.
extension DatasetRequest.Kind {
    var isClassData: Bool { self == .digits || self == .mnist }
    var isDrawnOnSphere: Bool { self == .synthetic || self == .lambda0 }

    /// Whether a data set of this kind uses `key` (a `DatasetSpec` key or a sweep parameter), and if not, which
    /// data sets do.
    func uses(_ key: String) -> (applies: Bool, usedBy: String) {
        switch key {
        case "n": return (!isClassData, "synthetic and lambda0 data (a cap on the rows for csv); class data has "
                                          + "classes × per_class examples")
        case "d": return (isDrawnOnSphere, "synthetic and lambda0 data; the file or the images decide d")
        case "epsilon", "pairs": return (self == .lambda0, "lambda0 data")
        case "classes", "per_class", "target_operator", "target_noise": return (isClassData, "class data (digits, "
            + "mnist)")
        case "path": return (self == .csv || isClassData, "csv, digits (a file in the embedded format) and mnist (a "
            + "directory)")
        case "normalize": return (!isDrawnOnSphere, "digits, mnist and csv data; synthetic and lambda0 points always "
            + "lie "
                                                    + "on the unit sphere")
        case "seed": return (self != .csv, "drawn data (synthetic, lambda0, digits, mnist); a CSV file has no draw")
        default: return (true, "")
        }
    }
}

extension SpecValidator {
    /// The keys written in a data set that its kind does not use.
    mutating func checkApplicability(of dataset: DatasetSpec, at path: String) {
        let written: [(String, Bool)] = [
            ("n", dataset.n != nil), ("d", dataset.d != nil), ("epsilon", dataset.epsilon != nil),
            ("pairs", dataset.pairs != nil), ("classes", dataset.classes != nil), ("per_class", dataset.perClass != nil),
            ("target_operator", dataset.targetOperator != nil), ("target_noise", dataset.targetNoise != nil),
            ("path", dataset.path != nil), ("normalize", dataset.normalize != nil), ("seed", dataset.seed != nil),
        ]
        for (key, isWritten) in written where isWritten {
            let use = dataset.kind.uses(key)
            if !use.applies {
                fail("\(path).\(key)", "does not apply to \(dataset.kind.rawValue) data: it is used by "
                    + "\(use.usedBy)", key: true)
            }
        }
    }

    /// Checks that need the run's data set, model and optimizer together (a run, or a sweep with its `over` values).
    mutating func checkCombination(dataset datasetName: String, model modelName: String, optimizer optimizerName: String,
                                   over: [String: [SweepValue]], at path: String) {
        guard let dataset = spec.datasets[datasetName], let model = spec.models[modelName],
              let optimizer = spec.optimizers[optimizerName] else { return }   // reported by checkReferences
        let datasetPath = "datasets.\(datasetName)"
        let outputs = model.outputs ?? dataset.outputs ?? 1

        for (parameter, _) in over.sorted(by: { $0.key < $1.key }) {
            let use = dataset.kind.uses(parameter)
            if !use.applies {
                fail("\(path).over.\(parameter)", "does not apply to data set \"\(datasetName)\" "
                    + "(\(dataset.kind.rawValue) "
                                                 + "data): it is used by \(use.usedBy)", key: true)
            }
            if parameter == SweepParameter.damping.rawValue, optimizer.kind == .gd {
                fail("\(path).over.\(parameter)", "does not apply to optimizer \"\(optimizerName)\" (gd): damping is "
                                                 + "used by ngd and kfac", key: true)
            }
        }

        if optimizer.kind == .kfac, model.trainOutputLayer == true {
            fail("\(path).optimizer", "kfac preconditions the hidden layers only, but model \"\(modelName)\" sets "
                                     + "train_output_layer; use gd or ngd")
        }

        if dataset.kind.isClassData {
            let classCount = (dataset.classes ?? DatasetRequest(kind: dataset.kind).classes).count
            if outputs != 1, outputs != classCount {
                fail("\(path).model", "class data set \"\(datasetName)\" has \(classCount) classes: the model needs "
                                     + "\(classCount) outputs (one-hot targets) or 1 (±1 targets), got \(outputs)")
            }
            if outputs == 1 {
                // ±1 targets: no one-hot vector to shift, no noise.
                for (key, isWritten) in [("target_operator", dataset.targetOperator != nil),
                                         ("target_noise", dataset.targetNoise != nil)] where isWritten {
                    fail("\(datasetPath).\(key)", "does not apply with 1 output (run \(path) trains on ±1 targets "
                                                 + "without noise); it is used by one-hot targets", key: true)
                }
                if over[SweepParameter.targetNoise.rawValue] != nil {
                    fail("\(path).over.target_noise", "does not apply with 1 output (±1 targets without "
                        + "noise)", key: true)
                }
            }
        }

        if dataset.kind == .lambda0 {
            if dataset.epsilon == nil, over[SweepParameter.epsilon.rawValue] == nil {
                fail(datasetPath, "lambda0 data needs epsilon, the angle in radians between the members of each "
                                + "near-duplicate pair (or a sweep over epsilon)")
            }
            checkPairsFit(dataset: dataset, datasetPath: datasetPath, over: over, at: path)
        }
    }

    /// lambda0: 2·pairs ≤ n for every combination a run or sweep makes (the largest pairs against the smallest n).
    private mutating func checkPairsFit(dataset: DatasetSpec, datasetPath: String, over: [String: [SweepValue]],
                                       at path: String) {
        let defaults = (n: 64.0, pairs: 1.0)
        func numbers(_ parameter: SweepParameter) -> [Double]? {
            over[parameter.rawValue].map { $0.compactMap { if case .number(let x) = $0 { return x } else { return nil } } }
        }
        let counts = numbers(.n) ?? [dataset.n.map(Double.init) ?? defaults.n]
        let pairs = numbers(.pairs) ?? [dataset.pairs.map(Double.init) ?? defaults.pairs]
        guard let fewest = counts.min(), let most = pairs.max(), 2 * most > fewest else { return }
        let location = over[SweepParameter.pairs.rawValue] != nil ? "\(path).over.pairs"
            : dataset.pairs != nil ? "\(datasetPath).pairs" : over[SweepParameter.n.rawValue] != nil ? "\(path).over.n" : "\(datasetPath).n"
        fail(location, "\(formatNumber(most)) pairs need 2·pairs ≤ n points, but n = \(formatNumber(fewest))")
    }
}
