import Foundation
import Testing

/// `ngd bench --operations`: a short run that times only what was named (the Gram with its parts).
@Suite struct BenchOperationsTests {
    @Test("--operations gram,ngd_step times the Gram, its parts and the NGD step, nothing else")
    func operationsSelectWhatIsTimed() throws {
        let entry = try benchEntry(sizes: "16,8,130", operations: "gram,ngd_step")
        // n = 16 > 1.9·8: Z is recomputed in tiles, which make XXᵀ's rows too (inside gram_pattern: no dsyrk).
        #expect(try timingKeys(of: entry) == ["gram", "gram_z", "gram_pattern", "gram_popcount", "ngd_solve", "ngd_step"])
        #expect(entry["gd_step_ms"] as? String == "nan")
    }

    @Test("where Z is recomputed block by block (d = 100), the dsyrk of XXᵀ is timed as gram_inputs")
    func blockwiseGramTimesItsInputGram() throws {
        let entry = try benchEntry(sizes: "200,100,1024", operations: "gram")
        #expect(try timingKeys(of: entry) == ["gram", "gram_z", "gram_pattern", "gram_inputs", "gram_popcount",
                                              "ngd_solve"])
    }

    /// The JSON object of a one-repeat `ngd bench --json` run of one size, times only `operations`.
    private func benchEntry(sizes: String, operations: String) throws -> [String: Any] {
        let outcome = try CLIRunner.run(["bench", "--sizes", sizes, "--repeats", "1", "--operations", operations, "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        return try #require(entries.first)
    }

    private func timingKeys(of entry: [String: Any]) throws -> Set<String> {
        Set(try #require(entry["timings"] as? [String: Any]).keys)
    }
}
