/// What `ngd paper` was asked for. Every study derives its sizes from these, so the report can print them.
public struct PaperSettings: Codable, Hashable, Sendable {
    /// Smaller sizes and fewer seeds (≤ 60 s on 2 cores); claims that fail only because of the size say so.
    public var quick: Bool
    /// Number of seeds for the studies that average over seeds.
    public var seeds: Int
    /// MNIST directory for Figure 1 (nil ⇒ the embedded UCI digits).
    public var mnistDirectory: String?

    public init(quick: Bool = false, seeds: Int? = nil, mnistDirectory: String? = nil) {
        self.quick = quick
        self.seeds = seeds ?? (quick ? 2 : 3)
        self.mnistDirectory = mnistDirectory
    }

    /// The seeds 0..<seeds as UInt64, the order every study uses.
    public var seedList: [UInt64] { (0..<UInt64(seeds)).map { $0 } }

    /// Picks the full-size or the quick value.
    public func size<T>(full: T, quick quickValue: T) -> T { quick ? quickValue : full }
}
