import Foundation
import NGD

/// One fully specified training run: every default filled in, nothing that names it (ids, labels) inside,
/// so two spec entries asking for the same computation share one key and one cached result.
public struct ResolvedRun: Codable, Hashable, Sendable {
    public var dataset: DatasetRequest
    /// κ(XᵀX) the inputs are stretched to, if the spec asks for it (K-FAC anisotropy sweeps).
    public var inputConditioning: Double?
    public var model: Model
    public var optimizer: Optimizer
    public var steps: Int

    public struct Model: Codable, Hashable, Sendable {
        public var width: Int
        public var outputs: Int
        public var initScale: Double
        public var trainOutputLayer: Bool
        /// Seed of the weight initialisation.
        public var seed: UInt64
        /// Hidden layers L when ≥ 2 (docs/DEEP.md); nil for the two-layer network, so its keys are unchanged.
        public var depth: Int? = nil

        /// L (1 when `depth` is nil).
        public var layers: Int { depth ?? 1 }
    }

    public struct Optimizer: Codable, Hashable, Sendable {
        public var kind: OptimizerSpec.Kind
        public var learningRate: LearningRate
        public var damping: Double
        public var linearized: Bool
    }

    /// SHA-256 (hex) of the run's canonical JSON and the tool version: the cache key and file name in `runs/`.
    public var key: String {
        // Canonical JSON of a value type with sorted keys: no Dictionary order, no dates, no process state.
        let json = (try? CanonicalJSON.data(self)) ?? Data()
        return SHA256Hex.of(json + Data("\n\(ToolInfo.name) \(ToolInfo.version)".utf8))
    }
}

/// A run as the spec names it: which run or sweep it belongs to, its sweep coordinates, and the computation.
public struct RunMember: Codable, Hashable, Sendable {
    /// The run or sweep id from the spec.
    public var group: String
    /// Human label: the run's label, or `sweep (width=100, seed=1)`.
    public var label: String
    /// Sweep coordinates (and the replicated seed), by parameter name.
    public var parameters: [String: SweepValue]
    public var run: ResolvedRun
    public var key: String
}

/// A spec resolved into runs: `members` in spec order (runs, then sweeps, each expanded), and `runs`,
/// the distinct computations in first-appearance order — the deterministic order shards split.
public struct ResolvedExperiment: Codable, Hashable, Sendable {
    public var spec: ExperimentSpec
    public var members: [RunMember]
    /// The spec file's directory, against which the runs' relative data paths are read (nil: the current one).
    public var dataDirectory: String? = nil

    /// `run` as the executor must load it: its data path located in `dataDirectory`.
    public func located(_ run: ResolvedRun) -> ResolvedRun {
        var located = run
        located.dataset = run.dataset.located(in: dataDirectory)
        return located
    }

    public var runs: [ResolvedRun] {
        var seen = Set<String>()
        return members.filter { seen.insert($0.key).inserted }.map(\.run)
    }

    public func members(of group: String) -> [RunMember] { members.filter { $0.group == group } }

    /// The runs shard `index` of `count` executes: every count-th distinct run, starting at `index`.
    public func runs(inShard shard: Shard?) -> [ResolvedRun] {
        guard let shard else { return runs }
        return runs.enumerated().filter { $0.offset % shard.count == shard.index }.map(\.element)
    }
}

/// `--shard i/N`: this process executes runs i, i+N, i+2N, … (0-based) of the deterministic run order.
public struct Shard: Hashable, Sendable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count > 0, index >= 0, index < count
        else { return nil }
        self.index = index
        self.count = count
    }

    public var description: String { "\(index)/\(count)" }
}
