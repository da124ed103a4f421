import Foundation
import Testing

@Suite("ngd train and ngd analyze")
struct TrainAndAnalyzeCommandTests {
    private func json(_ text: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    @Test("train --format json writes config, steps from step 0 with the contract's keys, and a summary")
    func trainJSONFollowsTheContract() throws {
        let outcome = try CLIRunner.run(["train", "--n", "12", "--d", "6", "--width", "256", "--steps", "3", "--seed", "5"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let run = try json(outcome.stdout)
        #expect(run["config"] is [String: Any])
        let steps = try #require(run["steps"] as? [[String: Any]])
        #expect(steps.count == 4)
        #expect(steps.first?["step"] as? Int == 0)
        for key in ["step", "loss", "residual_norm", "gram_lambda_min", "gram_lambda_max", "jacobian_drift",
                    "weight_drift", "max_neuron_move", "flip_fraction"] {
            #expect(steps.allSatisfy { $0[key] != nil }, "missing step key \(key)")
        }
        let summary = try #require(run["summary"] as? [String: Any])
        for key in ["final_loss", "diverged", "lambda0"] { #expect(summary[key] != nil, "missing summary key \(key)") }
    }

    @Test("the same command and seed give byte-identical output")
    func trainIsDeterministic() throws {
        let arguments = ["train", "--n", "10", "--d", "5", "--width", "128", "--steps", "4", "--optimizer", "kfac", "--seed", "3"]
        let first = try CLIRunner.run(arguments), second = try CLIRunner.run(arguments)
        #expect(first.status == 0 && second.status == 0)
        #expect(first.stdout == second.stdout)
        #expect(!first.stdout.isEmpty)
    }

    @Test("--out writes the file atomically and prints nothing on stdout")
    func trainWritesToFile() throws {
        let directory = try CLIRunner.temporaryDirectory("train-out")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("run.csv")
        let outcome = try CLIRunner.run(["train", "--n", "8", "--d", "4", "--width", "64", "--steps", "2",
                                         "--format", "csv", "--out", file.path])
        #expect(outcome.status == 0 && outcome.stdout.isEmpty)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.hasPrefix("step,loss,residual_norm"))
        #expect(text.split(separator: "\n").count == 4)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["run.csv"])
    }

    @Test("two identical rows: a warning that λ₀ = 0, and NGD still runs through the reported fallback")
    func duplicateRowsWarnAndRun() throws {
        let directory = try CLIRunner.temporaryDirectory("duplicates")
        defer { try? FileManager.default.removeItem(at: directory) }
        try BadInputFixtures.write(into: directory)
        let outcome = try CLIRunner.run(["train", "--dataset", "csv:\(directory.path)/duplicate-rows.csv",
                                         "--width", "64", "--steps", "2"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("warning") && outcome.stderr.contains("λ₀ = 0"))
        #expect(outcome.stderr.contains("pseudo-inverse"))
        let steps = try #require(try json(outcome.stdout)["steps"] as? [[String: Any]])
        #expect(steps.first?["solver_method"] as? String == "eigen-pinv")
    }

    @Test("analyze --format json reports the theory's quantities")
    func analyzeReportsTheory() throws {
        let outcome = try CLIRunner.run(["analyze", "--n", "12", "--d", "6", "--width", "512"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let analysis = try json(outcome.stdout)
        for key in ["n", "d", "width", "lambda0", "h_inf_lambda_max", "gram_init_lambda_min", "gram_init_lambda_max",
                    "gram_init_gap", "input_gram_lambda_max", "kfac_leverage_min"] {
            #expect(analysis[key] != nil, "missing \(key)")
        }
        let lambda0 = try #require(analysis["lambda0"] as? Double)
        #expect(lambda0 > 0 && lambda0 < 0.5)
    }
}

@Suite("ngd plot")
struct PlotCommandTests {
    @Test("plot overlays saved runs with theory lines and writes the CSV beside the figure")
    func plotWritesFigureAndCSV() throws {
        let directory = try CLIRunner.temporaryDirectory("plot")
        defer { try? FileManager.default.removeItem(at: directory) }
        for optimizer in ["ngd", "gd"] {
            let outcome = try CLIRunner.run(["train", "--n", "8", "--d", "4", "--width", "256", "--steps", "5",
                                             "--optimizer", optimizer, "--out", directory.appendingPathComponent("\(optimizer).json").path])
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        let figure = directory.appendingPathComponent("runs.svg")
        let outcome = try CLIRunner.run(["plot", directory.appendingPathComponent("ngd.json").path,
                                         directory.appendingPathComponent("gd.json").path, "--theory", "--out", figure.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let svg = try String(contentsOf: figure, encoding: .utf8)
        #expect(svg.contains("<svg"))
        let csv = try String(contentsOf: directory.appendingPathComponent("runs.csv"), encoding: .utf8)
        // Two runs and two theory lines, six points each.
        #expect(csv.split(separator: "\n").count == 1 + 4 * 6)
    }

    @Test("plot --out run.pgf writes PGF whose labels the LaTeX document typesets")
    func plotWritesPGF() throws {
        let directory = try CLIRunner.temporaryDirectory("plot-pgf")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = directory.appendingPathComponent("ngd.json").path
        _ = try CLIRunner.run(["train", "--n", "8", "--d", "4", "--width", "64", "--steps", "3", "--out", run])
        let figure = directory.appendingPathComponent("runs.pgf")
        let outcome = try CLIRunner.run(["plot", run, "--theory", "--out", figure.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let pgf = try String(contentsOf: figure, encoding: .utf8)
        #expect(pgf.contains("\\begin{pgfpicture}"))
        #expect(pgf.contains("\\pgftext"))
        #expect(pgf.contains("\\eta"), "the η of the run's label is set as LaTeX math")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("runs.csv").path))
    }

    @Test("plot --direct-labels names the lines at their ends instead of in a legend")
    func plotDirectLabels() throws {
        let directory = try CLIRunner.temporaryDirectory("plot-direct")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = directory.appendingPathComponent("ngd.json").path
        _ = try CLIRunner.run(["train", "--n", "8", "--d", "4", "--width", "64", "--steps", "3", "--out", run])
        var pictures: [String] = []
        for (name, flags) in [("legend", [String]()), ("direct", ["--direct-labels"])] {
            let figure = directory.appendingPathComponent("\(name).pgf")
            let outcome = try CLIRunner.run(["plot", run, "--out", figure.path] + flags)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            pictures.append(try String(contentsOf: figure, encoding: .utf8))
        }
        // the legend's frame is a filled white box with a grey outline; direct labels have none
        let frame = "{RGB}{204,204,204}"
        #expect(pictures[0].contains(frame) && !pictures[1].contains(frame))
    }

    @Test("--theory is refused for a metric the theory says nothing about")
    func theoryNeedsAResidualMetric() throws {
        let directory = try CLIRunner.temporaryDirectory("plot-theory")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = directory.appendingPathComponent("ngd.json").path
        _ = try CLIRunner.run(["train", "--n", "8", "--d", "4", "--width", "64", "--steps", "2", "--out", run])
        let outcome = try CLIRunner.run(["plot", run, "--metric", "jacobian_drift", "--theory", "--out",
                                         directory.appendingPathComponent("x.png").path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.hasPrefix("ngd: --theory: theory lines exist for residual_norm and loss"))
    }
}
