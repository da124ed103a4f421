/// `ngd report --dry-run`: the runs a build would execute, each with whether the cache would serve it, by the
/// same rule as the build (`RunCache.lookup`: checksum, tool version, key, settings, content digest).
public enum RunListing {
    /// Writes one line per run of `shard` as it goes (index, key prefix, `cached` or `to run`, the labels of the
    /// spec entries that share it), then a summary line. Linear in the number of members. Cache files that would
    /// be refused are reported through `warn`.
    public static func write(_ experiment: ResolvedExperiment, cache: RunCache, shard: Shard?,
                             line: (String) -> Void, warn: (String) -> Void) {
        var labels: [String: [String]] = [:]
        var distinct: [RunMember] = []   // first member of each run, in the order the build executes them
        for member in experiment.members {
            if labels[member.key] == nil { distinct.append(member) }
            labels[member.key, default: []].append(member.label)
        }
        var selected = 0, cached = 0
        for (index, member) in distinct.enumerated() where shard.map({ index % $0.count == $0.index }) ?? true {
            let key = member.key
            let lookup = cache.lookup(member.run, key: key)
            for (path, reason) in lookup.rejected { warn("\(path): \(reason); the run would be retrained") }
            selected += 1
            if lookup.result != nil { cached += 1 }
            line("\(index)\t\(key.prefix(12))\t\(lookup.result != nil ? "cached" : "to run")\t"
                 + (labels[key] ?? []).joined(separator: "; "))
        }
        line("\(selected) run(s), \(cached) cached, \(experiment.spec.figures?.count ?? 0) figure(s), "
             + "\(experiment.spec.claims?.count ?? 0) claim(s)")
    }
}
