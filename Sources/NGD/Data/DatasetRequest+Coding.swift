/// A request's JSON says what the data set used: a field that the kind does not read (classes of synthetic data,
/// epsilon of a CSV, the target options of one-output class data) is left out while it holds its default, so a
/// recorded config never lists a setting that played no part. Missing keys decode to the defaults of `init`, so the
/// round trip is exact; a non-default value is always written, even where it does not apply (validation refuses
/// those before a run, and a record must never hide a difference).
extension DatasetRequest {
    private enum CodingKeys: String, CodingKey {
        case kind, count, dimension, outputs, classes, perClass, path, normalize, seed, epsilon, pairs,
             targetOperator, targetNoise, contentDigest
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decode(Kind.self, forKey: .kind)
        let d = DatasetRequest(kind: kind)
        self.init(kind: kind,
                  count: try c.decodeIfPresent(Int.self, forKey: .count),
                  dimension: try c.decodeIfPresent(Int.self, forKey: .dimension),
                  outputs: try c.decodeIfPresent(Int.self, forKey: .outputs) ?? d.outputs,
                  classes: try c.decodeIfPresent([Int].self, forKey: .classes) ?? d.classes,
                  perClass: try c.decodeIfPresent(Int.self, forKey: .perClass),
                  path: try c.decodeIfPresent(String.self, forKey: .path),
                  normalize: try c.decodeIfPresent(Bool.self, forKey: .normalize) ?? d.normalize,
                  seed: try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed,
                  epsilon: try c.decodeIfPresent(Double.self, forKey: .epsilon),
                  pairs: try c.decodeIfPresent(Int.self, forKey: .pairs),
                  targetOperator: try c.decodeIfPresent(TargetOperator.self, forKey: .targetOperator) ?? d.targetOperator,
                  targetNoise: try c.decodeIfPresent(Double.self, forKey: .targetNoise) ?? d.targetNoise,
                  contentDigest: try c.decodeIfPresent(String.self, forKey: .contentDigest))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let d = DatasetRequest(kind: kind)
        let isClassData = kind == .digits || kind == .mnist
        // Figure-1 targets (one output per class) use the operator and the noise; ±1 targets use neither.
        let usesTargetOptions = isClassData && outputs == classes.count
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(count, forKey: .count)
        try c.encodeIfPresent(dimension, forKey: .dimension)
        if kind != .csv || outputs != d.outputs { try c.encode(outputs, forKey: .outputs) }   // a CSV's columns decide k
        if isClassData || classes != d.classes { try c.encode(classes, forKey: .classes) }
        try c.encodeIfPresent(perClass, forKey: .perClass)
        try c.encodeIfPresent(path, forKey: .path)
        if kind == .csv || isClassData || normalize != d.normalize { try c.encode(normalize, forKey: .normalize) }
        if kind != .csv || seed != d.seed { try c.encode(seed, forKey: .seed) }   // a file has no draw
        try c.encodeIfPresent(epsilon, forKey: .epsilon)
        try c.encodeIfPresent(pairs, forKey: .pairs)
        if usesTargetOptions || targetOperator != d.targetOperator { try c.encode(targetOperator, forKey: .targetOperator) }
        if usesTargetOptions || targetNoise != d.targetNoise { try c.encode(targetNoise, forKey: .targetNoise) }
        try c.encodeIfPresent(contentDigest, forKey: .contentDigest)
    }
}
