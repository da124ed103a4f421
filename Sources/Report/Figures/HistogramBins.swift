/// Equal-width bins over [lower, upper]: the one binner of figures from specs and of the paper studies.
struct HistogramBins: Equatable {
    var centres: [Double]
    var counts: [Double]
    /// `counts.count + 1` bin edges.
    var edges: [Double]

    /// Counts of the finite `values` in `bins` bins over [lower, upper]; values outside are clamped into the end
    /// bins, non-finite ones are skipped, and an empty range (lower ≥ upper) gets bins of width 1.
    init(_ values: [Double], bins: Int, lower: Double, upper: Double) {
        let bins = max(bins, 1)
        let width = upper > lower ? (upper - lower) / Double(bins) : 1
        var counts = [Double](repeating: 0, count: bins)
        for value in values where value.isFinite {
            let position = ((value - lower) / width).rounded(.down)
            // Compared as a Double first: a position beyond Int's range has no Int.
            let index = position <= 0 ? 0 : position >= Double(bins - 1) ? bins - 1 : Int(position)
            counts[index] += 1
        }
        self.counts = counts
        centres = (0..<bins).map { lower + (Double($0) + 0.5) * width }
        edges = (0...bins).map { lower + Double($0) * width }
    }
}
