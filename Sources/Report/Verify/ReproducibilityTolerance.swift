import Foundation

/// How far a re-computed number may be from the recorded one and still count as the same result:
/// |a − b| ≤ max(absolute, relative · max(|a|, |b|)). The absolute floor keeps values that should be 0 (a residual
/// at the rounding floor, a gap) from failing on a relative test they can never meet.
public struct NumericTolerance: Codable, Hashable, Sendable {
    public var relative: Double
    public var absolute: Double

    /// `ngd verify`'s default: far above what another BLAS kernel or thread count moves (about 1e-15 relative in
    /// well-conditioned numbers), far below any claim's own tolerance.
    public static let standard = NumericTolerance(relative: 1e-9, absolute: 1e-12)

    public init(relative: Double, absolute: Double) {
        self.relative = relative
        self.absolute = absolute
    }

    /// How much of the allowance the pair uses: ≤ 1 within tolerance. `printedUnit` widens the allowance for a
    /// number printed with few digits (report text): a re-computation may round its last digit the other way.
    /// `inherited` adds what the value inherits from the numbers it is computed from (`ResidualRatios`).
    func ratio(_ a: Double, _ b: Double, printedUnit: Double = 0, inherited: Double = 0) -> Double {
        let gap = abs(a - b)
        if gap == 0 { return 0 }
        let allowance = max(absolute, relative * max(abs(a), abs(b)), printedUnit) + inherited
        return allowance > 0 ? gap / allowance : .infinity
    }

    /// How far a value of size `value` may move: the larger of the floor and the relative allowance.
    func allowance(for value: Double) -> Double { max(absolute, relative * abs(value)) }
}

/// A tolerance a report declares for some of its own files, because the quantities in them are sensitive by nature
/// (a chaotic GD trace above its stability threshold, a diverging run): `ngd verify` applies it to those files
/// instead of its default, and says so. Recorded in manifest.json's `reproducibility` block.
public struct DeclaredTolerance: Codable, Hashable, Sendable {
    /// Report paths it covers: an exact path (`figures/catapult.csv`) or a prefix ending in `*` (`figures/catapult*`).
    public var files: [String]
    /// When set, only the values under these keys (a JSON member name such as `gram_lambda_min`, a CSV column)
    /// take this tolerance; the files' other values keep theirs. nil: every value of the files.
    public var keys: [String]?
    public var relative: Double
    public var absolute: Double
    /// Largest per-channel pixel difference (0–1) for the PNGs it covers; nil keeps `ngd verify`'s default.
    public var pixels: Double?
    /// Why these numbers are sensitive, in one sentence (printed by `ngd verify`).
    public var reason: String

    public init(files: [String], keys: [String]? = nil, relative: Double, absolute: Double, pixels: Double? = nil,
                reason: String) {
        self.files = files
        self.keys = keys
        self.relative = relative
        self.absolute = absolute
        self.pixels = pixels
        self.reason = reason
    }

    func covers(_ path: String) -> Bool {
        files.contains { pattern in
            pattern.hasSuffix("*") ? path.hasPrefix(String(pattern.dropLast())) : path == pattern
        }
    }

    var tolerance: NumericTolerance { NumericTolerance(relative: relative, absolute: absolute) }
}

/// manifest.json's `reproducibility` block: what a re-run elsewhere may change, as the report itself declares it.
public struct ReproducibilityRecord: Codable, Hashable, Sendable {
    public var tolerances: [DeclaredTolerance]

    public init(tolerances: [DeclaredTolerance]) { self.tolerances = tolerances }

    /// nil when nothing is declared, so manifests without declarations keep their bytes.
    static func of(_ tolerances: [DeclaredTolerance]) -> ReproducibilityRecord? {
        tolerances.isEmpty ? nil : ReproducibilityRecord(tolerances: tolerances)
    }
}

/// The tolerances `ngd verify` compares with: its defaults (`--rtol`, `--atol`, `--pixel-tolerance`) and what the
/// report declared for its sensitive files (the first declaration covering a path wins).
public struct ComparisonTolerances: Sendable {
    public var numbers: NumericTolerance
    /// Largest per-channel pixel difference (0–1) of two PNG figures of the same size.
    public var pixels: Double
    public var declared: [DeclaredTolerance]

    public static let defaultPixels = 2.0 / 255

    public init(numbers: NumericTolerance = .standard, pixels: Double = defaultPixels,
                declared: [DeclaredTolerance] = []) {
        self.numbers = numbers
        self.pixels = pixels
        self.declared = declared
    }

    /// The tolerance of a file's values: the first declaration covering the whole file, else the default.
    func numbers(for path: String) -> NumericTolerance {
        declared.first { $0.keys == nil && $0.covers(path) }?.tolerance ?? numbers
    }

    /// The tolerances declared for single keys of a file (the first declaration naming a key wins).
    func keyed(for path: String) -> [String: NumericTolerance] {
        var found: [String: NumericTolerance] = [:]
        for declaration in declared where declaration.covers(path) {
            for key in declaration.keys ?? [] where found[key] == nil { found[key] = declaration.tolerance }
        }
        return found
    }

    /// The declaration behind a file's largest deviation: one covering the whole file, else one declared for the
    /// key at `location`.
    func declaration(for path: String, at location: String?) -> DeclaredTolerance? {
        let key = location.map(DeviationTracker.key(of:))
        return declared.first { $0.keys == nil && $0.covers(path) }
            ?? declared.first { declaration in
                declaration.covers(path) && key.map { declaration.keys?.contains($0) == true } == true
            }
    }

    /// A tracker for the values of `path`, with its declared tolerances.
    func tracker(for path: String) -> DeviationTracker {
        DeviationTracker(tolerance: numbers(for: path), keyed: keyed(for: path))
    }

    func pixels(for path: String) -> Double {
        declared.first { $0.keys == nil && $0.covers(path) }?.pixels ?? pixels
    }
}
