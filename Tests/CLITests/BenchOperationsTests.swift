import Foundation
import Testing

/// `ngd bench --operations`: a short run that times only what was named (the Gram with its parts).
@Suite struct BenchOperationsTests {
    @Test("--operations gram,ngd_step times the Gram, its parts and the NGD step, nothing else")
    func operationsSelectWhatIsTimed() throws {
        let outcome = try CLIRunner.run(["bench", "--sizes", "16,8,130", "--repeats", "1", "--operations", "gram,ngd_step",
                                         "--json"])
        #expect(outcome.status == 0)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        let timings = try #require(entries.first?["timings"] as? [String: Any])
        // n = 16 > 1.9·8: Z is recomputed in tiles, which make XXᵀ's rows too (inside gram_pattern: no dsyrk).
        #expect(Set(timings.keys) == ["gram", "gram_z", "gram_pattern", "gram_popcount", "ngd_solve", "ngd_step"])
        #expect(entries.first?["gd_step_ms"] as? String == "nan")
    }

    @Test("where Z is recomputed block by block (d = 100), the dsyrk of XXᵀ is timed as gram_inputs")
    func blockwiseGramTimesItsInputGram() throws {
        let outcome = try CLIRunner.run(["bench", "--sizes", "200,100,1024", "--repeats", "1", "--operations", "gram",
                                         "--json"])
        #expect(outcome.status == 0)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        let timings = try #require(entries.first?["timings"] as? [String: Any])
        #expect(Set(timings.keys) == ["gram", "gram_z", "gram_pattern", "gram_inputs", "gram_popcount", "ngd_solve"])
    }
}
