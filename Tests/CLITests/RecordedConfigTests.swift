import Foundation
import Testing

/// The `config` of `ngd train --format json` records what the run used: options that apply are recorded as given,
/// defaults as applied, and options that do not apply are refused (the corpus, Corpus/validation.txt, has one case
/// each) instead of being recorded unused.
@Suite("Recorded configuration")
struct RecordedConfigTests {
    private func config(_ arguments: [String]) throws -> [String: Any] {
        let outcome = try CLIRunner.run(["train", "--width", "16", "--steps", "0"] + arguments)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let run = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        return try #require(run["config"] as? [String: Any])
    }

    @Test("synthetic data: --n and --d are recorded as used, and the data set's draw has that shape")
    func syntheticShapeIsRecorded() throws {
        let recorded = try config(["--n", "7", "--d", "3"])
        let data = try #require(recorded["data"] as? [String: Any])
        #expect(data["count"] as? Int == 7 && data["dimension"] as? Int == 3)
    }

    @Test("class data: --classes, --per-class and the target options are recorded as given")
    func classOptionsAreRecorded() throws {
        let recorded = try config(["--dataset", "digits", "--classes", "1,7", "--per-class", "3", "--outputs", "2",
                                   "--target-operator", "times", "--target-noise", "0.1"])
        let data = try #require(recorded["data"] as? [String: Any])
        #expect(data["classes"] as? [Int] == [1, 7] && data["per_class"] as? Int == 3)
        #expect(data["target_operator"] as? String == "times" && data["target_noise"] as? Double == 0.1)
        #expect(data["count"] == nil && data["dimension"] == nil)
    }

    @Test("class data without the target options records the defaults that were applied")
    func classDefaultsAreRecorded() throws {
        let data = try #require(try config(["--dataset", "digits", "--per-class", "3", "--outputs", "2"])["data"]
            as? [String: Any])
        #expect(data["classes"] as? [Int] == [4, 9] && data["target_operator"] as? String == "minus"
                && data["target_noise"] as? Double == 0.3)
    }

    @Test("--damping with NGD and K-FAC is recorded; GD, which has none, records none")
    func dampingIsRecordedWhereItApplies() throws {
        #expect(try config(["--optimizer", "ngd", "--damping", "0.25"])["damping"] as? Double == 0.25)
        #expect(try config(["--optimizer", "kfac", "--damping", "0.5"])["damping"] as? Double == 0.5)
        #expect(try config(["--optimizer", "gd"])["damping"] == nil)
        let refused = try CLIRunner.run(["train", "--optimizer", "gd", "--damping", "5", "--width", "16", "--steps", "0"])
        #expect(refused.status == 2 && refused.stdout.isEmpty && refused.stderr.hasPrefix("ngd: --damping: does not apply to gd"))
    }

    @Test("--huber-delta is recorded with the pseudo-Huber loss and refused with the squared loss")
    func huberDeltaOnlyWithPseudoHuber() throws {
        #expect(try config(["--loss", "pseudo-huber", "--huber-delta", "2"])["huber_delta"] as? Double == 2)
        let refused = try CLIRunner.run(["train", "--huber-delta", "2", "--width", "16", "--steps", "0"])
        #expect(refused.status == 2 && refused.stderr.hasPrefix("ngd: --huber-delta: applies only with --loss pseudo-huber"))
    }

    @Test("lambda0: --epsilon and --pairs are recorded; the same options on synthetic data are refused")
    func lambdaZeroOptionsAreRecorded() throws {
        let data = try #require(try config(["--dataset", "lambda0", "--epsilon", "0.2", "--pairs", "2", "--n", "8",
                                            "--d", "4"])["data"] as? [String: Any])
        #expect(data["epsilon"] as? Double == 0.2 && data["pairs"] as? Int == 2)
        for option in [["--epsilon", "0.2"], ["--pairs", "2"]] {
            let refused = try CLIRunner.run(["train", "--width", "16", "--steps", "0"] + option)
            #expect(refused.status == 2 && refused.stderr.hasPrefix("ngd: \(option[0]): does not apply to synthetic data"))
        }
    }

    @Test("csv: --n caps the rows and is recorded; --d is refused (the file decides d)")
    func csvRowCapIsRecorded() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ngd-recorded-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let csv = directory.appendingPathComponent("d.csv")
        try Data("y,a,b\n1,0.5,0.2\n-1,0.1,0.9\n0.5,0.3,0.3\n".utf8).write(to: csv)
        let outcome = try CLIRunner.run(["train", "--dataset", "csv:\(csv.path)", "--n", "2", "--width", "16", "--steps", "0",
                                         "--record-outputs"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let run = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let data = try #require((run["config"] as? [String: Any])?["data"] as? [String: Any])
        #expect(data["count"] as? Int == 2 && data["dimension"] == nil)
        let outputs = try #require((run["steps"] as? [[String: Any]])?.first?["outputs"] as? [String: Any])
        #expect(outputs["rows"] as? Int == 2, "the cap is what was used: two rows")
        let refused = try CLIRunner.run(["train", "--dataset", "csv:\(csv.path)", "--d", "3", "--width", "16"])
        #expect(refused.status == 2 && refused.stderr.hasPrefix("ngd: --d: does not apply to csv data"))
    }

    @Test("--help still shows the defaults of the options that became optional")
    func helpShowsDefaults() throws {
        // Help wraps lines: compare with runs of whitespace collapsed.
        let help = try CLIRunner.run(["train", "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for text in ["default 4,9", "default minus", "default 0.3", "default 0 = the theory", "default 1; only with --loss pseudo-huber"] {
            #expect(help.contains(text), "missing \(text)")
        }
    }
}

/// Control characters from file names, spec text or data reach the terminal as visible escapes, never raw.
@Suite("Control characters on stderr")
struct ControlCharacterStderrTests {
    private func hasRawControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) }
    }

    @Test("an option value with ESC, BEL and a C1 CSI is echoed with \\u{..} escapes")
    func optionValueIsEscaped() throws {
        let outcome = try CLIRunner.run(["train", "--dataset", "x\u{1B}[31mred\u{07}\u{9B}2J"])
        #expect(outcome.status == 2)
        #expect(!hasRawControl(outcome.stderr))
        #expect(outcome.stderr.hasPrefix(#"ngd: --dataset: unknown data set 'x\u{1B}[31mred\u{7}\u{9B}2J'"#))
    }

    @Test("a file name with a terminal title escape is escaped in the error (and in ArgumentParser's own errors)")
    func fileNameIsEscaped() throws {
        let name = "/nonexistent/\u{1B}]0;owned\u{07}.csv"
        let missing = try CLIRunner.run(["train", "--dataset", "csv:\(name)", "--width", "16"])
        #expect(missing.status == 1 && !hasRawControl(missing.stderr) && missing.stderr.contains(#"\u{1B}]0;owned\u{7}"#))
        let parser = try CLIRunner.run(["train", "--width", "1\u{1B}[2J"])
        #expect(parser.status == 2 && !hasRawControl(parser.stderr) && parser.stderr.contains(#"1\u{1B}[2J"#))
    }

    @Test("a file name with a newline gives a one-line error, the newline shown as \\u{A}")
    func fileNameWithNewlineStaysOnOneLine() throws {
        let outcome = try CLIRunner.run(["train", "--width", "8", "--steps", "1", "--out", "/nonexistent\nfolder/r.json"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.split(separator: "\n").count == 1)
        #expect(outcome.stderr.hasPrefix(#"ngd: /nonexistent\u{A}folder/r.json: the directory /nonexistent\u{A}folder"#))
    }

    @Test("a spec with two problems lists them on two lines, each at its line:column")
    func specProblemsArePrintedOnePerLine() throws {
        let (outcome, spec, _) = try reportOnSpec("""
        title: t
        datasets: {s: {kind: synthetic, n: 8, d: 4}}
        models: {m: {width: -10}}
        optimizers: {o: {kind: ngd, lr: -0.5}}
        runs:
          - {id: r, dataset: s, model: m, optimizer: o, steps: 1}

        """)
        #expect(outcome.status == 2)
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("ngd: \(spec):3:") == true && lines.last?.hasPrefix("\(spec):4:") == true)
    }

    @Test("a spec whose text holds an escape is refused at its line:column, and the error shows it escaped")
    func specTextIsRefused() throws {
        let (outcome, spec, wroteOutput) = try reportOnSpec(#"""
        title: t
        datasets: {s: {kind: synthetic, n: 8, d: 4}}
        models: {m: {width: 10}}
        optimizers: {o: {kind: ngd, lr: 0.5}}
        runs:
          - {id: r, label: "\e[1;31mred", dataset: s, model: m, optimizer: o, steps: 1}

        """#)
        #expect(outcome.status == 2 && !hasRawControl(outcome.stderr))
        #expect(outcome.stderr.hasPrefix("ngd: \(spec):6:20: runs[0].label: the text contains the control character \\u{1B}"))
        #expect(!wroteOutput)
    }

    /// `ngd report` on a spec with `text`, written to s.yaml in a fresh directory (removed afterwards): the
    /// outcome, the spec's path and whether the command's --out exists after it.
    private func reportOnSpec(_ text: String) throws -> (CLIRunner.Outcome, spec: String, wroteOutput: Bool) {
        let directory = try CLIRunner.temporaryDirectory("spec")
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = directory.appendingPathComponent("s.yaml"), out = directory.appendingPathComponent("out")
        try Data(text.utf8).write(to: spec)
        let outcome = try CLIRunner.run(["report", spec.path, "--out", out.path])
        return (outcome, spec.path, FileManager.default.fileExists(atPath: out.path))
    }
}
