import NGD

extension SpecValidator {
    /// Refuses a spec that would expand to more than `ResourceLimits.maximumRuns` runs, counting with overflow
    /// checks and before anything is expanded, so that a sweep of 10⁹ members is answered at once. The error is
    /// at the sweep (or run) that takes the count over the limit.
    mutating func checkRunCount() {
        let limit = ResourceLimits.maximumRuns
        let replicas = max(spec.seeds?.count ?? 1, 1)
        var total = 0
        func add(_ count: Int, at path: String, what: String) -> Bool {
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard !overflow, sum <= limit else {
                fail(path, "\(what) takes the spec to more than \(limit) runs, the limit (see Limits in the README)")
                return false
            }
            total = sum
            return true
        }
        for (index, run) in (spec.runs ?? []).enumerated() {
            guard add(run.seed == nil ? replicas : 1, at: "runs[\(index)]", what: "this run") else { return }
        }
        for (index, sweep) in (spec.sweeps ?? []).enumerated() {
            var members = sweep.seed == nil && sweep.over["seed"] == nil ? replicas : 1
            var overflow = false
            for values in sweep.over.values where !overflow {
                (members, overflow) = members.multipliedReportingOverflow(by: max(values.count, 1))
            }
            let what = overflow ? "this sweep (more members than a 64-bit count)" : "this sweep (\(members) members)"
            guard add(overflow ? Int.max : members, at: "sweeps[\(index)].over", what: what) else { return }
        }
    }
}
