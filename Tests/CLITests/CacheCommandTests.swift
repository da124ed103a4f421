import Foundation
import Testing

/// The run cache seen from the command line: a changed input or an edited cached number is never reported.
@Suite("ngd report cache integrity")
struct CacheCommandTests {
    private let spec = """
    title: CSV cache
    datasets:
      table: {kind: csv, path: data.csv}
    models:
      small: {width: 16}
    optimizers:
      ngd: {kind: ngd, lr: 0.5}
    runs:
      - {id: fit, dataset: table, model: small, optimizer: ngd, steps: 2}

    """
    private let data = "y,a,b,c\n1,0.5,0.2,0.1\n-1,0.1,0.9,0.3\n0.5,0.3,0.3,0.9\n"

    /// A project directory holding spec.yaml and data.csv.
    private func project(in root: URL) throws -> URL {
        let project = root.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        try Data(spec.utf8).write(to: project.appendingPathComponent("spec.yaml"))
        try Data(data.utf8).write(to: project.appendingPathComponent("data.csv"))
        return project
    }

    private func onlyRunFile(in report: URL) throws -> URL {
        let runs = report.appendingPathComponent("runs")
        let names = try FileManager.default.contentsOfDirectory(atPath: runs.path)
        try #require(names.count == 1)
        return runs.appendingPathComponent(names[0])
    }

    /// Replaces the number after `"lambda_max" : ` by 4e-16, as a hand edit would.
    private func editCachedNumber(in file: URL) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        let range = try #require(text.range(of: #"(?<="lambda_max" : )[-0-9.eE+]+"#, options: .regularExpression))
        try text.replacingCharacters(in: range, with: "4e-16").write(to: file, atomically: true, encoding: .utf8)
    }

    private func warnings(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.hasPrefix("ngd: ") }
    }

    @Test("a CSV whose content changes under the same path is retrained")
    func changedCSVIsRetrained() throws {
        let root = try CLIRunner.temporaryDirectory("cache-csv")
        defer { try? FileManager.default.removeItem(at: root) }
        let project = try project(in: root)
        let output = root.appendingPathComponent("report").path
        let specPath = project.appendingPathComponent("spec.yaml").path
        let first = try CLIRunner.run(["report", specPath, "--out", output])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("1 run(s) trained, 0 cached"))
        let again = try CLIRunner.run(["report", specPath, "--out", output])
        #expect(again.stdout.contains("0 run(s) trained, 1 cached"))

        try Data(data.replacingOccurrences(of: "0.5,0.3,0.3,0.9", with: "0.9,0.3,0.3,0.9").utf8)
            .write(to: project.appendingPathComponent("data.csv"))
        let dry = try CLIRunner.run(["report", specPath, "--out", output, "--dry-run"])
        #expect(dry.stdout.contains("\tto run\tfit"), "\(dry.stdout)")
        let changed = try CLIRunner.run(["report", specPath, "--out", output])
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stdout.contains("1 run(s) trained, 0 cached"), "\(changed.stdout)")
    }

    @Test("an edited number in runs/<key>.json is warned about, retrained, and fails verify --files-only")
    func editedCachedNumberIsRefused() throws {
        let root = try CLIRunner.temporaryDirectory("cache-edit")
        defer { try? FileManager.default.removeItem(at: root) }
        let specPath = try project(in: root).appendingPathComponent("spec.yaml").path
        let output = root.appendingPathComponent("report")
        #expect(try CLIRunner.run(["report", specPath, "--out", output.path, "--quiet"]).status == 0)
        let entry = try onlyRunFile(in: output)
        try editCachedNumber(in: entry)

        let verified = try CLIRunner.run(["verify", output.path, "--files-only"])
        #expect(verified.status == 1)
        #expect(verified.stdout.contains("corrupt:   runs/\(entry.lastPathComponent) (cached result fails its checksum)"),
                "\(verified.stdout)")

        let rebuilt = try CLIRunner.run(["report", specPath, "--out", output.path])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(warnings(rebuilt.stderr) == [
            "ngd: warning: \(entry.path): cached result fails its checksum (edited or corrupt); retraining"[...],
        ])
        #expect(rebuilt.stdout.contains("1 run(s) trained, 0 cached"), "\(rebuilt.stdout)")
        #expect(try CLIRunner.run(["verify", output.path, "--files-only"]).status == 0)
    }

    @Test("a poisoned entry in a --cache directory is warned about and retrained")
    func poisonedShardIsRefused() throws {
        let root = try CLIRunner.temporaryDirectory("cache-shard")
        defer { try? FileManager.default.removeItem(at: root) }
        let specPath = try project(in: root).appendingPathComponent("spec.yaml").path
        let shardReport = root.appendingPathComponent("shard-report")
        #expect(try CLIRunner.run(["report", specPath, "--out", shardReport.path, "--quiet"]).status == 0)
        let poisoned = try onlyRunFile(in: shardReport)
        try editCachedNumber(in: poisoned)

        let output = root.appendingPathComponent("report").path
        let built = try CLIRunner.run(["report", specPath, "--out", output,
                                       "--cache", shardReport.appendingPathComponent("runs").path])
        #expect(built.status == 0, "\(built.stderr)")
        #expect(warnings(built.stderr) == [
            "ngd: warning: \(poisoned.path): cached result fails its checksum (edited or corrupt); retraining"[...],
        ])
        #expect(built.stdout.contains("1 run(s) trained, 0 cached"), "\(built.stdout)")
    }

    @Test("a spec with a relative CSV path gives the same report from another working directory, and verifies")
    func relativeDataPathsFollowTheSpec() throws {
        let root = try CLIRunner.temporaryDirectory("cache-relative")
        defer { try? FileManager.default.removeItem(at: root) }
        let project = try project(in: root)
        let inside = try CLIRunner.run(["report", "spec.yaml", "--out", "../from-inside", "--quiet"], currentDirectory: project)
        #expect(inside.status == 0, "\(inside.stderr)")
        let outside = try CLIRunner.run(["report", "project/spec.yaml", "--out", "from-outside", "--quiet"],
                                        currentDirectory: root)
        #expect(outside.status == 0, "\(outside.stderr)")
        for file in ["report.html", "data/claims.json"] {
            let a = FileManager.default.contents(atPath: root.appendingPathComponent("from-inside/\(file)").path)
            let b = FileManager.default.contents(atPath: root.appendingPathComponent("from-outside/\(file)").path)
            #expect(a != nil && a == b, "\(file) differs")
        }
        let insideRun = try onlyRunFile(in: root.appendingPathComponent("from-inside"))
        let outsideRun = try onlyRunFile(in: root.appendingPathComponent("from-outside"))
        #expect(insideRun.lastPathComponent == outsideRun.lastPathComponent)
        #expect(FileManager.default.contents(atPath: insideRun.path) == FileManager.default.contents(atPath: outsideRun.path))

        // Verified from where it was built, and from elsewhere when told where the data are.
        let here = try CLIRunner.run(["verify", "from-outside", "--quiet"], currentDirectory: root)
        #expect(here.status == 0, "\(here.stdout)\(here.stderr)")
        let elsewhere = try CLIRunner.run(["verify", root.appendingPathComponent("from-inside").path, "--quiet",
                                           "--data-dir", project.path], currentDirectory: FileManager.default.temporaryDirectory)
        #expect(elsewhere.status == 0, "\(elsewhere.stdout)\(elsewhere.stderr)")
    }
}
