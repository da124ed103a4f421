import Foundation

/// What comparing one file of the recorded report with the re-run's copy found.
public struct FileComparison: Codable, Hashable, Sendable {
    public enum Outcome: String, Codable, Sendable, Comparable {
        /// Byte for byte the same.
        case identical
        /// Same text and structure; every number within its tolerance (pixels within theirs).
        case equivalent
        /// Same text and structure, but some numbers (or pixels) moved beyond their tolerance.
        case moved
        /// Missing, extra, different text, fonts or structure, or a number non-finite on one side only.
        case differs

        private var rank: Int { [.identical: 0, .equivalent: 1, .moved: 2, .differs: 3][self] ?? 3 }
        public static func < (a: Outcome, b: Outcome) -> Bool { a.rank < b.rank }
    }

    public var path: String
    public var outcome: Outcome
    /// The number that used most of its tolerance (the worst one when the file moved).
    public var largest: Deviation?
    /// The largest relative deviation |a − b| / max(|a|, |b|) of any number in the file.
    public var largestRelative: Double?
    /// PNGs: the largest per-channel pixel difference (0–1).
    public var pixelDeviation: Double?
    /// Why the file differs, when it does.
    public var problem: String?
    /// The reason of the report's own tolerance for this file, when it declared one.
    public var declaredReason: String?
    /// A drawing (a figure, the report) whose picture moved while the data it draws stayed within tolerance: why it
    /// counts as equivalent, naming those data (`DrawnData`).
    public var drawnFrom: String?

    init(path: String, outcome: Outcome, problem: String? = nil) {
        self.path = path
        self.outcome = outcome
        self.problem = problem
    }
}

/// One number of a file, recorded and re-run, and where it is (JSON key path, CSV row and column, line).
public struct Deviation: Codable, Hashable, Sendable {
    public var location: String
    public var recorded: Double
    public var rerun: Double
    /// |a − b| / max(|a|, |b|).
    public var relative: Double
    /// The share of the tolerance it uses: > 1 is beyond it.
    public var toleranceUsed: Double
}

/// Collects the deviations of one file's numbers against one tolerance.
struct DeviationTracker {
    let tolerance: NumericTolerance
    /// Tolerances a report declared for single keys of the file (`DeclaredTolerance.keys`).
    let keyed: [String: NumericTolerance]
    /// What some values inherit from the numbers they are computed from, by location (`ResidualRatios`).
    var inherited: [String: Double] = [:]
    private(set) var worst: Deviation?
    private(set) var largestRelative = 0.0
    private(set) var numbers = 0
    /// The first non-finite mismatch, which makes the file differ whatever its size.
    private(set) var nonFinite: String?
    /// Set when a drawing's geometry changed shape (a path with more or fewer segments) while its words, the
    /// text and fonts, stayed the same: the picture moved, it did not change.
    var geometryMoved: String?

    init(tolerance: NumericTolerance, keyed: [String: NumericTolerance] = [:]) {
        self.tolerance = tolerance
        self.keyed = keyed
    }

    /// The tolerance of a key (a JSON member, a CSV column) of this file.
    func tolerance(forKey key: String) -> NumericTolerance { keyed[key] ?? tolerance }

    /// The key a location names: the last member of a JSON path without its index (`run.steps[3].loss` → `loss`,
    /// `result.series.loss[3]` → `loss`), or a CSV cell's column.
    static func key(of location: String) -> String {
        if let column = location.range(of: ", column ", options: .backwards) {
            return String(location[column.upperBound...])
        }
        let member = location.split(separator: ".").last.map(String.init) ?? location
        return String(member.prefix { $0 != "[" })
    }

    mutating func add(_ recorded: Double, _ rerun: Double, at location: @autoclosure () -> String,
                      printedUnit: Double = 0) {
        numbers += 1
        if recorded == rerun || (recorded.isNaN && rerun.isNaN) { return }
        guard recorded.isFinite && rerun.isFinite else {
            if nonFinite == nil {
                nonFinite = "\(location()): \(Self.describe(recorded)) recorded, \(Self.describe(rerun)) in the re-run"
            }
            return
        }
        let relative = abs(recorded - rerun) / max(abs(recorded), abs(rerun))
        largestRelative = max(largestRelative, relative)
        var used = tolerance.ratio(recorded, rerun, printedUnit: printedUnit)
        if !keyed.isEmpty || !inherited.isEmpty {
            let place = location()
            used = tolerance(forKey: Self.key(of: place))
                .ratio(recorded, rerun, printedUnit: printedUnit, inherited: inherited[place] ?? 0)
        }
        if used > (worst?.toleranceUsed ?? -1) {
            worst = Deviation(location: location(), recorded: recorded, rerun: rerun, relative: relative,
                              toleranceUsed: used)
        }
    }

    static func describe(_ value: Double) -> String { value.isNaN ? "NaN" : "\(value)" }

    /// The file's comparison once every number was added; `problem` is a structural difference found meanwhile.
    func comparison(path: String, problem: String?) -> FileComparison {
        if let problem = problem ?? nonFinite.map({ "not finite on one side only: \($0)" }) {
            var result = FileComparison(path: path, outcome: .differs, problem: problem)
            result.largest = worst
            return result
        }
        var result = FileComparison(path: path, outcome: (worst?.toleranceUsed ?? 0) > 1 || geometryMoved != nil
                                        ? .moved : .equivalent)
        result.problem = geometryMoved
        result.largest = worst
        result.largestRelative = largestRelative
        return result
    }
}
