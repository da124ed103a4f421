import Foundation
import Testing

@Suite("ngd verify")
struct VerifyCommandTests {
    private let spec = """
    title: Verify with a recorded date
    seed: 3
    datasets:
      sphere: {kind: synthetic, n: 6, d: 3, outputs: 1}
    models:
      small: {width: 128}
    optimizers:
      ngd: {kind: ngd, lr: 0.5}
    runs:
      - id: ngd
        dataset: sphere
        model: small
        optimizer: ngd
        steps: 3
    figures:
      - id: residual
        kind: convergence
        runs: [ngd]
        metric: residual_norm
        caption: Residual per step.
    """

    @Test("a report made with SOURCE_DATE_EPOCH verifies in a shell without it (the PDF dates are re-created)")
    func recordedSourceDateIsUsedForTheRerun() throws {
        let directory = try CLIRunner.temporaryDirectory("verify-date")
        defer { try? FileManager.default.removeItem(at: directory) }
        let specFile = directory.appendingPathComponent("spec.yaml")
        try Data(spec.utf8).write(to: specFile)
        let output = directory.appendingPathComponent("report").path
        let made = try CLIRunner.run(["report", specFile.path, "--out", output, "--quiet"],
                                     environment: ["SOURCE_DATE_EPOCH": "1000000000"])
        #expect(made.status == 0, "\(made.stderr)")
        let verified = try CLIRunner.run(["verify", output, "--quiet"], environment: ["SOURCE_DATE_EPOCH": ""])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }

    @Test("verify --json gives tools the level, the comparison and the provenance changes")
    func jsonOutputCarriesTheLevel() throws {
        let directory = try CLIRunner.temporaryDirectory("verify-json")
        defer { try? FileManager.default.removeItem(at: directory) }
        let specFile = directory.appendingPathComponent("spec.yaml")
        try Data(spec.utf8).write(to: specFile)
        let output = directory.appendingPathComponent("report").path
        let made = try CLIRunner.run(["report", specFile.path, "--out", output, "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
        let verified = try CLIRunner.run(["verify", output, "--quiet", "--json", "--strict"])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(verified.stdout.utf8)) as? [String: Any]
        #expect(object?["level"] as? String == "identical")
        #expect(object?["passed"] as? Bool == true && object?["strict"] as? Bool == true)
        let comparison = object?["comparison"] as? [String: Any]
        #expect((comparison?["identical_files"] as? Int ?? 0) > 5)
        #expect(comparison?["provenance"] as? [String] == [])
    }

    @Test("a negative --rtol is a usage error")
    func negativeToleranceIsRefused() throws {
        let refused = try CLIRunner.run(["verify", "/nonexistent", "--rtol=-1"])
        #expect(refused.status == 2)
        #expect(refused.stderr == "ngd: --rtol: expected a finite tolerance ≥ 0, got -1.0\n", "\(refused.stderr)")
    }
}
