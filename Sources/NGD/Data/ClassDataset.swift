extension Dataset {
    /// A regression data set from class-labelled images: keep `classes`, `perClass` images of each,
    /// scale pixels to [0, 1], project rows onto the unit sphere (unless `normalize` is false) and build targets.
    ///
    /// - Selection: with `perClass` = nil every image of each class is kept. Otherwise `perClass` images of
    ///   each class are drawn without replacement by a seeded partial Fisher–Yates shuffle of that class's
    ///   images, so different seeds give different subsets (useful for seed sweeps); the chosen images are
    ///   then put back in file order.
    /// - Row order: class by class in the order of `classes`, file order within a class.
    /// - Targets: `outputs == classes.count` gives the Figure-1 targets y_i = onehot(class_i) OP 0.5 +
    ///   `targetNoise`·ε_i with ε_i ~ N(0, I_k) drawn once per example; `outputs == 1` gives y = +1 for the
    ///   first listed class and −1 for the others (no noise). Any other value is an error naming --outputs.
    /// - Randomness: one `Xoshiro256StarStar(seed:)` stream, used first for the selection (class by class),
    ///   then for the target noise (row by row, output by output).
    public static func classification(from source: LabelledImages, classes: [Int], perClass: Int?, outputs: Int,
                                      normalize: Bool = true, seed: UInt64,
                                      targetOperator: DatasetRequest.TargetOperator = .minus,
                                      targetNoise: Double = 0.3) throws -> Dataset {
        try validate(classes: classes, outputs: outputs, perClass: perClass, targetNoise: targetNoise)
        guard source.labels.count == source.images.count else {
            throw NGDError(source.source, "\(source.labels.count) labels for \(source.images.count) images")
        }
        guard source.maximumPixelValue.isFinite, source.maximumPixelValue > 0 else {
            throw NGDError(source.source, "the maximum pixel value must be positive, got \(source.maximumPixelValue)")
        }

        // Indices of each wanted class in file order, in one pass.
        var slot = [Int: Int]()
        for (k, c) in classes.enumerated() { slot[c] = k }
        var members = [[Int]](repeating: [], count: classes.count)
        for (i, label) in source.labels.enumerated() {
            if let k = slot[label] { members[k].append(i) }
        }
        for (k, c) in classes.enumerated() where members[k].isEmpty {
            throw NGDError("--classes", "class \(c) does not occur in \(source.name) (\(source.source))", usage: true)
        }

        var rng = Xoshiro256StarStar(seed: seed)
        var chosen = [Int]()
        var chosenClass = [Int]()
        for (k, c) in classes.enumerated() {
            var pool = members[k]
            if let wanted = perClass {
                guard wanted <= pool.count else {
                    throw NGDError("--per-class", "asked for \(wanted) examples of class \(c), but \(source.name) has only "
                                                + "\(pool.count)", usage: true)
                }
                if wanted < pool.count {
                    for j in 0..<wanted { pool.swapAt(j, j + rng.nextInt(below: pool.count - j)) }
                    pool = pool[0..<wanted].sorted()
                }
            }
            chosen += pool
            chosenClass += [Int](repeating: k, count: pool.count)
        }

        let inputs = try scaledInputs(of: source, rows: chosen, normalize: normalize)
        let targets = classTargets(slots: chosenClass, classCount: classes.count, outputs: outputs,
                                   targetOperator: targetOperator, targetNoise: targetNoise, rng: &rng)
        let classNames = classes.map(String.init).joined(separator: " vs ")
        return Dataset(name: "\(source.name) \(classNames) (n=\(chosen.count))", inputs: inputs, targets: targets,
                       labels: chosenClass.map { classes[$0] }, rowOrigins: chosen.map { "\(source.source)#\($0)" })
    }

    private static func validate(classes: [Int], outputs: Int, perClass: Int?, targetNoise: Double) throws {
        guard classes.count >= 2 else {
            throw NGDError("--classes", "expected at least two classes, got \(classes.count)", usage: true)
        }
        if let bad = classes.first(where: { !(0...9).contains($0) }) {
            throw NGDError("--classes", "class \(bad) is not a digit 0–9", usage: true)
        }
        guard Set(classes).count == classes.count else {
            throw NGDError("--classes", "a class is listed twice in \(classes)", usage: true)
        }
        guard outputs == 1 || outputs == classes.count else {
            throw NGDError("--outputs", "class data needs --outputs \(classes.count) (one-hot Figure-1 targets) or "
                                      + "--outputs 1 (±1 targets), got \(outputs)", usage: true)
        }
        if let n = perClass, n <= 0 {
            throw NGDError("--per-class", "expected a positive number of examples per class, got \(n)", usage: true)
        }
        guard targetNoise.isFinite, targetNoise >= 0 else {
            throw NGDError("--target-noise", "expected a finite, non-negative standard deviation, got \(targetNoise)",
                           usage: true)
        }
    }

    /// The chosen images as a matrix of pixel/maximum values, each row scaled to unit ℓ2 norm when asked.
    private static func scaledInputs(of source: LabelledImages, rows chosen: [Int], normalize: Bool) throws -> Matrix {
        let d = source.images.pixelsPerImage
        var x = Matrix(rows: chosen.count, columns: d)
        let scale = 1 / source.maximumPixelValue
        try source.images.pixels.withUnsafeBufferPointer { pixels in
            try x.storage.withUnsafeMutableBufferPointer { out in
                for (row, image) in chosen.enumerated() {
                    let src = image * d, dst = row * d
                    var sumOfSquares = 0.0
                    for j in 0..<d {
                        let v = Double(pixels[src + j]) * scale
                        out[dst + j] = v
                        sumOfSquares += v * v
                    }
                    guard normalize else { continue }
                    guard sumOfSquares > 0 else {
                        throw NGDError(source.source, "image \(image) (class \(source.labels[image])) is blank, so it "
                                                    + "cannot be scaled to unit norm; pass --no-normalize to keep it")
                    }
                    let norm = sumOfSquares.squareRoot()
                    for j in 0..<d { out[dst + j] /= norm }
                }
            }
        }
        return x
    }

    /// Targets for class slots 0..<classCount (see `classification`); draws noise only for one-hot targets.
    private static func classTargets(slots: [Int], classCount: Int, outputs: Int,
                                     targetOperator: DatasetRequest.TargetOperator, targetNoise: Double,
                                     rng: inout Xoshiro256StarStar) -> Matrix {
        var y = Matrix(rows: slots.count, columns: outputs)
        if outputs == 1 {
            for (i, k) in slots.enumerated() { y.storage[i] = k == 0 ? 1 : -1 }
            return y
        }
        for (i, k) in slots.enumerated() {
            for c in 0..<outputs {
                let hot = c == k ? 1.0 : 0.0
                let centre = targetOperator == .minus ? hot - 0.5 : hot * 0.5
                y.storage[i * outputs + c] = centre + targetNoise * rng.nextNormal()
            }
        }
        return y
    }
}
