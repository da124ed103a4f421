import Foundation
import Testing

@Suite("Output locations from the command line")
struct OutputLocationCommandTests {
    private let spec = """
    title: Output locations
    datasets:
      sphere: {kind: synthetic, n: 6, d: 3, outputs: 1}
    models:
      small: {width: 32}
    optimizers:
      ngd: {kind: ngd, lr: 0.5}
    runs:
      - {id: ngd, dataset: sphere, model: small, optimizer: ngd, steps: 2}
    """

    @Test("a verify that fails leaves no ngd-verify-* scratch directory behind")
    func failedVerifyLeavesNoScratch() throws {
        let directory = try CLIRunner.temporaryDirectory("verify-scratch")
        defer { try? FileManager.default.removeItem(at: directory) }
        let specFile = directory.appendingPathComponent("spec.yaml")
        try Data(spec.utf8).write(to: specFile)
        let output = directory.appendingPathComponent("report")
        let made = try CLIRunner.run(["report", specFile.path, "--out", output.path, "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
        // An edited manifest (not hashed, compared whole with the re-run's) makes the re-run differ.
        let manifest = output.appendingPathComponent("manifest.json")
        var bytes = try Data(contentsOf: manifest)
        bytes.append(contentsOf: Array(" ".utf8))
        try bytes.write(to: manifest)
        let scratchRoot = directory.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: scratchRoot, withIntermediateDirectories: true)

        let verified = try CLIRunner.run(["verify", output.path, "--quiet"], environment: ["TMPDIR": scratchRoot.path])

        #expect(verified.status == 1)
        #expect(verified.stdout.contains("differs:    manifest.json: line "), "\(verified.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratchRoot.path).isEmpty)
    }

    @Test("verify names a symbolic link inside a report and does not verify it")
    func verifyNamesSymbolicLinks() throws {
        let directory = try CLIRunner.temporaryDirectory("verify-links")
        defer { try? FileManager.default.removeItem(at: directory) }
        let specFile = directory.appendingPathComponent("spec.yaml")
        try Data(spec.utf8).write(to: specFile)
        let output = directory.appendingPathComponent("report")
        let made = try CLIRunner.run(["report", specFile.path, "--out", output.path, "--quiet"])
        #expect(made.status == 0, "\(made.stderr)")
        try FileManager.default.createSymbolicLink(atPath: output.appendingPathComponent("data/elsewhere").path,
                                                   withDestinationPath: directory.path)

        let verified = try CLIRunner.run(["verify", output.path, "--files-only"])

        #expect(verified.status == 1)
        #expect(verified.stdout.contains("symlink:   data/elsewhere"))
        #expect(verified.stdout.contains("NOT verified"))
    }

    @Test("building a report twice leaves only the report: no lock, staging or previous directory")
    func rebuildLeavesOnlyTheReport() throws {
        let directory = try CLIRunner.temporaryDirectory("rebuild")
        defer { try? FileManager.default.removeItem(at: directory) }
        let specFile = directory.appendingPathComponent("spec.yaml")
        try Data(spec.utf8).write(to: specFile)
        let out = directory.appendingPathComponent("out")
        for _ in 0..<2 {
            let made = try CLIRunner.run(["report", specFile.path, "--out", out.appendingPathComponent("r").path, "--quiet"])
            #expect(made.status == 0, "\(made.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["r"])
    }

    @Test("one-character spec and output names build and rebuild (Foundation's path code traps on such names)")
    func oneCharacterNames() throws {
        let directory = try CLIRunner.temporaryDirectory("short-names")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(spec.utf8).write(to: directory.appendingPathComponent("s"))
        for out in ["o", "o/"] {
            let made = try CLIRunner.run(["report", "s", "--out", out, "--quiet"], currentDirectory: directory)
            #expect(made.status == 0, "\(made.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["o", "s"])
    }

    @Test("figure1 and plot replace the CSV they wrote beside their figure")
    func ownSidecarIsReplaced() throws {
        let directory = try CLIRunner.temporaryDirectory("sidecar")
        defer { try? FileManager.default.removeItem(at: directory) }
        let figure = directory.appendingPathComponent("f1.png").path
        for _ in 0..<2 {
            let drawn = try CLIRunner.run(["figure1", "--width", "64", "--per-class", "3", "--out", figure])
            #expect(drawn.status == 0, "\(drawn.stderr)")
        }
        let run = directory.appendingPathComponent("run.json").path
        let trained = try CLIRunner.run(["train", "--width", "16", "--steps", "2", "--out", run])
        #expect(trained.status == 0, "\(trained.stderr)")
        for _ in 0..<2 {
            let plotted = try CLIRunner.run(["plot", run, "--out", directory.appendingPathComponent("p.svg").path])
            #expect(plotted.status == 0, "\(plotted.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("f1.csv").path))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("p.csv").path))
    }
}
