import Foundation
import NGD
import Testing
@testable import Report

/// A report made from MNIST names its files by SHA-256 and size, not by directory: `ngd verify` accepts the same
/// bytes anywhere and refuses other bytes before re-running anything.
@Suite struct VerifyDataIdentityTests {
    /// The MNIST test set in ../shared/data next to the package (never committed); nil when absent.
    static let mnist: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("shared/data/mnist").path
        return FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent("t10k-images-idx3-ubyte.gz"))
            ? path : nil
    }()

    static let spec = """
    title: MNIST data identity
    seed: 1
    datasets:
      digits: {kind: mnist, path: mnist, classes: [4, 9], per_class: 4, outputs: 1}
    models:
      small: {width: 64}
    optimizers:
      ngd: {kind: ngd, lr: 0.5}
    runs:
      - {id: ngd, dataset: digits, model: small, optimizer: ngd, steps: 2}
    """

    /// `directory/mnist` with the test set's two files, copied byte for byte.
    static func copyMNIST(into directory: String, from source: String) throws {
        let target = (directory as NSString).appendingPathComponent("mnist")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        for name in ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
            try FileManager.default.copyItem(atPath: (source as NSString).appendingPathComponent(name),
                                             toPath: (target as NSString).appendingPathComponent(name))
        }
    }

    @Test(.enabled(if: mnist != nil))
    func theSameBytesElsewhereVerifyAndOtherBytesAreRefused() throws {
        let source = try #require(Self.mnist)
        let directory = try TemporaryDirectory()
        let made = directory.appending("made"), moved = directory.appending("elsewhere"), other = directory.appending("other")
        try Self.copyMNIST(into: made, from: source)
        try Self.copyMNIST(into: moved, from: source)
        var configuration = ReportConfiguration.standard()
        configuration.environment = [:]
        let output = directory.appending("report")
        try ReportBuilder(configuration: configuration).build(specSource: Self.spec, specFile: "spec.yaml", into: output,
                                                              dataDirectory: made)
        let recorded = try #require(try ManifestHeader.read(from: output).dataFiles)
        #expect(recorded.map(\.role) == ["images", "labels"])
        #expect(recorded.map(\.name) == ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"])
        let images = try InputDigest.digest(ofFileAt: (source as NSString).appendingPathComponent("t10k-images-idx3-ubyte.gz"))
        #expect(recorded[0].sha256 == images)
        let manifest = try String(contentsOfFile: (output as NSString).appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(!manifest.contains(made))   // no machine path

        try FileManager.default.removeItem(atPath: made)
        let verified = try ReportVerifier(configuration: configuration)
            .verify(directory: output, scratchRoot: directory.path, dataDirectory: moved)
        #expect(verified.passed)
        #expect(verified.comparison?.level == .identical)

        // One pixel changed, written unpacked: other bytes, refused by name before anything is trained.
        try Self.copyMNIST(into: other, from: source)
        let packed = (other as NSString).appendingPathComponent("mnist/t10k-images-idx3-ubyte.gz")
        var pixels = try Gzip.contentsOfFile(atPath: packed)
        pixels[pixels.count - 1] ^= 0xFF
        try FileManager.default.removeItem(atPath: packed)
        let unpacked = (other as NSString).appendingPathComponent("mnist/t10k-images-idx3-ubyte")
        try pixels.write(to: URL(fileURLWithPath: unpacked))
        do {
            _ = try ReportVerifier(configuration: configuration)
                .verify(directory: output, scratchRoot: directory.path, dataDirectory: other)
            Issue.record("other bytes were accepted")
        } catch let error as ReportError {
            #expect("\(error)".contains("\(unpacked): is not the data the report was made from"), "\(error)")
            #expect("\(error)".contains(images))
        }
    }
}
