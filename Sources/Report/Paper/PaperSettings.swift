import Foundation
import NGD

/// What `ngd paper` was asked for. Every study derives its sizes from these, so the report can print them.
public struct PaperSettings: Codable, Hashable, Sendable {
    /// Smaller sizes and fewer seeds (≤ 60 s on 2 cores); claims that fail only because of the size say so.
    public var quick: Bool
    /// Number of seeds for the studies that average over seeds.
    public var seeds: Int
    /// MNIST directory for Figure 1 (nil ⇒ the embedded UCI digits), absolute: `ngd verify` elsewhere recognises
    /// it in the report's files as where the data were read, whatever directory the command ran in.
    public var mnistDirectory: String?

    public init(quick: Bool = false, seeds: Int? = nil, mnistDirectory: String? = nil) {
        self.quick = quick
        self.seeds = seeds ?? (quick ? 2 : 3)
        self.mnistDirectory = mnistDirectory.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    }

    /// The command line that asks for these settings, as the manifest records it: the MNIST directory is a
    /// placeholder (a path of this machine would make the manifest machine-dependent).
    public var invocation: String {
        var line = PaperSettings.command
        if quick { line += " --quick" }
        if seeds != (quick ? 2 : 3) { line += " --seeds \(seeds)" }
        if mnistDirectory != nil { line += " --mnist-dir <MNIST directory>" }
        return line
    }

    /// The manifest's `spec_file` of a paper report.
    public static let command = "ngd paper"

    /// The settings a recorded `invocation` asked for (`ngd verify` of a paper directory); the MNIST directory
    /// must be supplied again when the invocation used one. Errors name `manifestPath`.
    public init(invocation: String, mnistDirectory: String?, manifestPath: String) throws {
        func invalid(_ message: String) -> ReportError { .io(path: manifestPath, message: message) }
        var words = invocation.split(separator: " ").map(String.init)[...]
        guard words.prefix(2).joined(separator: " ") == Self.command else {
            throw invalid("spec_source: expected an `\(Self.command)` command line, got \"\(invocation)\"")
        }
        words = words.dropFirst(2)
        var quick = false, seeds: Int?, usesMNIST = false
        while let word = words.popFirst() {
            switch word {
            case "--quick": quick = true
            case "--seeds":
                guard let value = words.popFirst().flatMap(Int.init), value >= 1, value <= ResourceLimits.maximumSeeds else {
                    throw invalid("spec_source: --seeds needs a number from 1 to \(ResourceLimits.maximumSeeds) in "
                        + "\"\(invocation)\"")
                }
                seeds = value
            case "--mnist-dir":
                // The placeholder "<MNIST directory>" (or a path, from an older manifest): skip it whole.
                if let first = words.popFirst(), first.hasPrefix("<") {
                    var last = first
                    while !last.hasSuffix(">"), let next = words.popFirst() { last = next }
                }
                usesMNIST = true
            default:
                throw invalid("spec_source: unknown option \(word) in \"\(invocation)\"")
            }
        }
        if usesMNIST && mnistDirectory == nil {
            throw invalid("the report was made with --mnist-dir; give it again (--mnist-dir DIR or "
                + "NGD_MNIST_DIR) to verify it")
        }
        self.init(quick: quick, seeds: seeds, mnistDirectory: usesMNIST ? mnistDirectory : nil)
    }

    /// The seeds 0..<seeds as UInt64, the order every study uses.
    public var seedList: [UInt64] { (0..<UInt64(seeds)).map { $0 } }

    /// Picks the full-size or the quick value.
    public func size<T>(full: T, quick quickValue: T) -> T { quick ? quickValue : full }
}
