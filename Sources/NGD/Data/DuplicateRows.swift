extension Dataset {
    /// Pairs of input rows that are exactly equal (after whatever scaling the loader applied).
    ///
    /// Exact duplicates make H∞ singular (λ₀ = 0), which the theory excludes; loaders do not reject them
    /// (MNIST-like data can contain them legitimately) but the CLI reports them through `warnings()`.
    /// Each repeated row is paired with its first occurrence: rows a < b < c all equal give (a, b) and (a, c).
    /// Cost: one hash and, on hash collision, one comparison per row — O(n·d).
    public func duplicateRowPairs() -> [(first: Int, second: Int)] {
        let d = inputs.columns
        var firstWithHash = [Int: [Int]]()  // hash → first occurrences of distinct rows with that hash
        var pairs = [(first: Int, second: Int)]()
        inputs.storage.withUnsafeBufferPointer { x in
            func equal(_ a: Int, _ b: Int) -> Bool {
                for j in 0..<d where x[a * d + j] != x[b * d + j] { return false }
                return true
            }
            for i in 0..<inputs.rows {
                var hasher = Hasher()
                // + 0 maps −0.0 to +0.0, so rows that compare equal also hash equal.
                for j in 0..<d { hasher.combine((x[i * d + j] + 0).bitPattern) }
                let key = hasher.finalize()
                if let earlier = firstWithHash[key]?.first(where: { equal($0, i) }) {
                    pairs.append((earlier, i))
                } else {
                    firstWithHash[key, default: []].append(i)
                }
            }
        }
        return pairs
    }

    /// Human-readable warnings about the data that do not stop a run (today: exactly duplicated inputs).
    public func warnings() -> [String] {
        let pairs = duplicateRowPairs()
        guard !pairs.isEmpty else { return [] }
        func place(_ row: Int) -> String { rowOrigins.map { $0[row] } ?? "row \(row)" }
        let shown = pairs.prefix(5).map { "\(place($0.first)) = \(place($0.second))" }.joined(separator: ", ")
        let more = pairs.count > 5 ? ", …" : ""
        return ["\(name): \(pairs.count) exactly duplicated input row pair(s) (\(shown)\(more)); "
                + "H∞ is singular (λ₀ = 0), outside the theory's assumption x_i ∦ x_j"]
    }
}
