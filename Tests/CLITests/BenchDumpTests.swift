import Foundation
import Testing

/// `ngd bench --dump-dir`: the peer's exchange files, written where ngd may write them.
@Suite struct BenchDumpTests {
    @Test("--dump-dir writes meta.json and the four matrices, and a second run refills its own folder")
    func dumpRefillsItsOwnFolder() throws {
        let directory = try CLIRunner.temporaryDirectory("bench-dump")
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = directory.appendingPathComponent("n6-d3-m10")
        func dump(seed: String) throws -> Data {
            let outcome = try CLIRunner.run(["bench", "--sizes", "6,3,10", "--repeats", "1", "--seed", seed, "--json",
                                             "--operations", "forward", "--dump-dir", directory.path])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            return try Data(contentsOf: folder.appendingPathComponent("W.bin"))
        }
        let first = try dump(seed: "1")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files == ["A.bin", "W.bin", "X.bin", "Y.bin", "meta.json"])
        #expect(first.count == 10 * 3 * 8)
        let meta = try String(contentsOf: folder.appendingPathComponent("meta.json"), encoding: .utf8)
        #expect(meta.hasPrefix("{\"d\": 3, \"format\": \"f64le-rowmajor\""))
        // ngd's meta.json vouches for the files beside it: the next run replaces them with its own data.
        let second = try dump(seed: "2")
        #expect(second.count == first.count && second != first)
    }
}
