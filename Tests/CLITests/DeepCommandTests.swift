import Foundation
import Testing

/// `--depth` on train, analyze, figure1 and bench (docs/DEEP.md).
@Suite("ngd commands at --depth L")
struct DeepCommandTests {
    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("train --depth 2 records the depth, per-layer arrays and the theorem's radius")
    func trainRecordsPerLayerDiagnostics() throws {
        let outcome = try CLIRunner.run(["train", "--depth", "2", "--n", "8", "--d", "4", "--width", "64", "--steps", "2"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let run = try json(outcome.stdout)
        #expect((run["config"] as? [String: Any])?["depth"] as? Int == 2)
        let steps = try #require(run["steps"] as? [[String: Any]])
        for key in ["layer_jacobian_drift", "layer_jacobian_distance", "layer_weight_drift", "layer_flip_fraction"] {
            #expect(steps.allSatisfy { ($0[key] as? [Double])?.count == 2 }, "\(key)")
        }
        let summary = try #require(run["summary"] as? [String: Any])
        #expect((summary["theorem_radius"] as? Double ?? 0) > 0 && (summary["lambda0"] as? Double ?? 0) > 0)
    }

    @Test("train without --depth writes no deep key")
    func twoLayerOutputHasNoDeepKeys() throws {
        let outcome = try CLIRunner.run(["train", "--n", "8", "--d", "4", "--width", "64", "--steps", "2"])
        #expect(outcome.status == 0 && !outcome.stdout.contains("depth") && !outcome.stdout.contains("layer_"))
    }

    @Test("analyze --depth 3 reports the deep λ₀, λ(G₀) and ‖G₀ − Θ‖₂")
    func analyzeReportsTheDeepLimit() throws {
        let outcome = try CLIRunner.run(["analyze", "--depth", "3", "--n", "10", "--d", "5", "--width", "512"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let analysis = try json(outcome.stdout)
        #expect(analysis["depth"] as? Int == 3)
        for key in ["lambda0", "gram_init_lambda_min", "gram_init_gap", "theorem_radius"] {
            #expect((analysis[key] as? Double).map { $0.isFinite && $0 > 0 } == true, "\(key)")
        }
    }

    @Test("figure1 --depth 2 draws the figure and its CSV")
    func figure1DrawsADeepNetwork() throws {
        let directory = try CLIRunner.temporaryDirectory("figure1-deep")
        defer { try? FileManager.default.removeItem(at: directory) }
        let figure = directory.appendingPathComponent("deep.svg")
        let outcome = try CLIRunner.run(["figure1", "--depth", "2", "--width", "128", "--per-class", "4",
                                         "--out", figure.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["deep.csv", "deep.svg"])
    }

    @Test("bench --depth 2 --dump-dir writes W1.bin and W2.bin with depth in meta.json")
    func benchDumpsEveryLayer() throws {
        let directory = try CLIRunner.temporaryDirectory("bench-deep")
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try CLIRunner.run(["bench", "--depth", "2", "--sizes", "16,8,64", "--repeats", "1", "--json",
                                         "--dump-dir", directory.path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == 1 && rows[0]["depth"] as? Int == 2)
        #expect((rows[0]["timings"] as? [String: Any])?.keys.sorted() == ["gd_step", "kfac_step", "ngd_step"])
        let folder = directory.appendingPathComponent("n16-d8-m64")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files == ["A.bin", "W1.bin", "W2.bin", "X.bin", "Y.bin", "meta.json"])
        let meta = try json(try String(contentsOf: folder.appendingPathComponent("meta.json"), encoding: .utf8))
        #expect(meta["depth"] as? Int == 2 && meta["kfac_damping"] as? Double == 0)
        let w2 = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("W2.bin").path)
        #expect((w2[.size] as? Int) == 64 * 64 * 8)
    }
}
