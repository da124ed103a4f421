import Foundation
import NGD
import Yams

extension ResolvedExperiment {
    /// Refuses, before the first run is trained, any run of `shard` that would not fit `limits` (counts over their
    /// caps, memory over the budget). CSV files are read once per file and row cap, only as far as their header and
    /// row count. The error is located at the spec's run or sweep: `spec.yaml:12:5: sweeps[0] "wide (width=…)": …`.
    public func checkResources(limits: ResourceLimits, shard: Shard? = nil, specSource: String, specFile: String) throws {
        let wanted = Set(runs(inShard: shard).map(\.key))
        var checked = Set<String>()
        var csvShapes: [String: CSVShape] = [:]
        let locations = SpecRunLocations(yaml: specSource, file: specFile)
        for member in members where wanted.contains(member.key) && checked.insert(member.key).inserted {
            let place = locations.location(ofGroup: member.group, in: spec)
            do {
                try Self.check(located(member.run), limits: limits, names: .init(all: place.location), csvShapes: &csvShapes)
            } catch let error as NGDError where error.isUsageError && error.source == place.location {
                throw NGDError(place.location, "\(place.path) \"\(member.label)\": \(error.message)", usage: true)
            }
        }
    }

    private static func check(_ run: ResolvedRun, limits: ResourceLimits, names: DatasetRequest.CountNames,
                              csvShapes: inout [String: CSVShape]) throws {
        let config = TrainingConfig(width: run.model.width, outputs: run.model.outputs, initScale: run.model.initScale,
                                    seed: run.model.seed, trainOutputLayer: run.model.trainOutputLayer,
                                    steps: run.steps, recordOutputs: true, data: run.dataset, depth: run.model.layers)
        try ResourceLimits.checkLimit(config.width, option: names.width, maximum: ResourceLimits.maximumWidth, what: "hidden units")
        try ResourceLimits.checkLimit(config.outputs, option: names.outputs, maximum: ResourceLimits.maximumOutputs,
                                      what: "outputs")
        try ResourceLimits.checkLimit(config.steps, option: names.steps, maximum: ResourceLimits.maximumSteps, what: "steps")
        try run.dataset.checkCounts(names: names)
        let examples: Int, dimension: Int
        var examplesCause: ResourceLimits.Cause?
        if let planned = run.dataset.plannedShape {
            (examples, dimension) = planned
        } else if run.dataset.kind == .csv, let path = run.dataset.path {
            let key = "\(run.dataset.count ?? 0) \(path)"
            let shape = try csvShapes[key] ?? csvShape(atPath: path, limit: run.dataset.count)
            csvShapes[key] = shape
            (examples, dimension) = (shape.rows, shape.features)
            examplesCause = .init(source: names.examples, subject: "the \(shape.rows) rows of \(path)")
        } else {
            return   // class data without a per-class count: the loaded set is checked when the run starts
        }
        var shape = ResourceLimits.RunShape(config: config, examples: examples, dimension: dimension, analyzes: true,
                                            examplesCause: examplesCause
                                                ?? .init(source: names.examples, subject: "\(examples) examples"),
                                            dimensionCause: .init(source: names.dimension,
                                                                  subject: "\(dimension) input dimensions"))
        shape.widthCause = .init(source: names.width, subject: "\(config.width) hidden units")
        shape.stepsCause = .init(source: names.steps, subject: "\(config.steps) steps")
        try limits.check(shape)
    }

    /// The header and row count of a CSV file, without parsing a number: the reader is stopped at its final check.
    private static func csvShape(atPath path: String, limit: Int?) throws -> CSVShape {
        struct Counted: Error { var shape: CSVShape }
        var last: CSVShape?
        do {
            _ = try Dataset.csv(atPath: path, limit: limit, admit: { shape in
                last = shape
                throw Counted(shape: shape)
            })
        } catch is Counted {
            if let last { return last }
        }
        guard let last else { throw NGDError(path, "the header is not followed by any data rows") }
        return last
    }
}

/// Where each run and sweep of a spec starts, for messages about a run as a whole.
struct SpecRunLocations {
    private var marks: [String: (path: String, line: Int, column: Int)] = [:]
    let file: String

    init(yaml: String, file: String) {
        self.file = file
        guard let root = try? Yams.compose(yaml: yaml), case .mapping(let mapping) = root else { return }
        for section in ["runs", "sweeps"] {
            guard let list = mapping[section], case .sequence(let items) = list else { continue }
            for (index, item) in items.enumerated() {
                guard case .mapping(let entry) = item, let id = entry["id"]?.string, let mark = item.mark else { continue }
                if marks[id] == nil { marks[id] = ("\(section)[\(index)]", mark.line, mark.column) }
            }
        }
    }

    /// `file:line:column` and key path of the run or sweep `group`; the file alone when it cannot be found.
    func location(ofGroup group: String, in spec: ExperimentSpec) -> (location: String, path: String) {
        guard let mark = marks[group] else { return (file, group) }
        return ("\(file):\(mark.line):\(mark.column)", mark.path)
    }
}
