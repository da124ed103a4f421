import Foundation
import Testing

@Suite("ngd verify of an edited manifest")
struct VerifyResourceLimitTests {
    /// The manifest's recorded spec is input like any other: widened to 10¹² hidden units it is refused by the
    /// resource check, in one line, before anything is allocated or trained.
    @Test func manifestEditedToAnImpossibleWidthIsRefused() throws {
        let directory = try CLIRunner.temporaryDirectory("verify-width")
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = """
        title: Verify a widened manifest
        datasets:
          sphere: {kind: synthetic, n: 4, d: 3}
        models:
          small: {width: 32}
        optimizers:
          ngd: {kind: ngd, lr: 0.5}
        runs:
          - {id: ngd, dataset: sphere, model: small, optimizer: ngd, steps: 1}

        """
        let specFile = directory.appendingPathComponent("spec.yaml")
        try Data(spec.utf8).write(to: specFile)
        let output = directory.appendingPathComponent("report").path
        let made = try CLIRunner.run(["report", specFile.path, "--out", output, "--quiet"])
        try #require(made.status == 0, "\(made.stderr)")

        let manifest = URL(fileURLWithPath: output).appendingPathComponent("manifest.json")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "{width: 32}", with: "{width: 1000000000000}")
        try #require(edited != text)
        try Data(edited.utf8).write(to: manifest)

        let started = Date()
        let verified = try CLIRunner.run(["verify", output, "--quiet"])
        #expect(verified.status == 2, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stderr.split(separator: "\n").count == 1)
        #expect(verified.stderr.contains("runs[0] \"ngd\": 1000000000000 is above the limit of 1000000000 hidden units"),
                "\(verified.stderr)")
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
