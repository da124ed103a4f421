import Foundation
import Testing

/// `ngd bench --threads`: every size at each thread count, with the scaling table in the table and the JSON.
@Suite struct BenchThreadsTests {
    @Test("--threads 1,2 runs each size at both counts and records the same scaling table with both")
    func threadsListGivesAScalingTable() throws {
        let outcome = try CLIRunner.run(["bench", "--sizes", "16,8,130", "--repeats", "1", "--threads", "1,2", "--json"])
        #expect(outcome.status == 0)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["blas_threads"] as? Int } == [1, 2])
        let scaling = try #require(entries.first?["thread_scaling"] as? [[String: Any]])
        let gram = scaling.filter { $0["operation"] as? String == "gram" }
        #expect(gram.map { $0["threads"] as? Int } == [1, 2])
        #expect(gram.first?["speedup"] as? Double == 1 && gram.first?["efficiency"] as? Double == 1)
        #expect(scaling.count == (entries.last?["thread_scaling"] as? [[String: Any]])?.count)
        let table = try CLIRunner.run(["bench", "--sizes", "16,8,130", "--repeats", "1", "--threads", "2,1"])
        #expect(table.status == 0 && table.stdout.contains("thread scaling, n=16 d=8 m=130 (speed-up and efficiency against 2 threads)"))
    }

    @Test("a bad --threads list is a usage error naming the option", arguments: ["0", "1,,2", "2,2", "x", "2000"])
    func badThreadListsAreUsageErrors(list: String) throws {
        let outcome = try CLIRunner.run(["bench", "--sizes", "16,8,130", "--repeats", "1", "--threads", list])
        #expect(outcome.status == 2 && !outcome.crashed)
        #expect(outcome.stderr.hasPrefix("ngd: --threads: ") && outcome.stderr.split(separator: "\n").count == 1)
    }
}
