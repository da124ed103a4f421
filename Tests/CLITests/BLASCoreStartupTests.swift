import Foundation
import Testing

/// The start-up choice of OpenBLAS's kernel set, end to end. The suite runs every other child with
/// NGD_BLAS_CORE=keep (CLIRunner); these name a core explicitly, so the choice runs whatever OpenBLAS detected.
@Suite struct BLASCoreStartupTests {
    static let tinyBench = ["bench", "--sizes", "16,8,130", "--repeats", "1", "--json"]

    private func benchRecord(_ stdout: String) throws -> [String: Any] {
        let array = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [[String: Any]]
        return try #require(array?.first)
    }

    @Test("a core the library cannot load fails its proof in a child: one line, and the run goes on unchanged")
    func aFailedProofKeepsTheDetectedCore() throws {
        let plain = try CLIRunner.run(Self.tinyBench)
        let tried = try CLIRunner.run(Self.tinyBench, environment: ["NGD_BLAS_CORE": "NoSuchCore"])
        #expect(plain.status == 0 && tried.status == 0 && !tried.crashed)
        let line = tried.stderr.split(separator: "\n").first { $0.contains("BLAS:") }
        #expect(line?.hasPrefix("ngd: BLAS: OpenBLAS's NoSuchCore kernels failed a test product in a child process") == true)
        let (a, b) = (try benchRecord(plain.stdout), try benchRecord(tried.stdout))
        #expect(a["blas_core"] as? String == b["blas_core"] as? String)
        #expect(b["blas_core_choice"] == nil && b["openblas_coretype"] == nil)
        #expect(a["ngd_step_loss"] as? Double == b["ngd_step_loss"] as? Double)
    }

    @Test("keep turns the choice off: no line, no child, today's behaviour")
    func keepPrintsNothing() throws {
        let kept = try CLIRunner.run(Self.tinyBench, environment: ["NGD_BLAS_CORE": "keep"])
        #expect(kept.status == 0 && !kept.stderr.contains("BLAS:"))
    }

    @Test("help and version never start a child or print the BLAS line")
    func helpAndVersionSkipTheChoice() throws {
        for arguments in [["--help"], ["--version"], ["bench", "--help"]] {
            let outcome = try CLIRunner.run(arguments, environment: ["NGD_BLAS_CORE": "NoSuchCore"])
            #expect(outcome.status == 0 && !outcome.stderr.contains("BLAS:"), "\(arguments)")
        }
    }

    @Test("on an AVX2 CPU with a run-time dispatching OpenBLAS, a proved core is used, said once, and recorded")
    func aProvedCoreIsUsedAndRecorded() throws {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let flags = Set((cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? "").split(separator: " "))
        let plain = try benchRecord(try CLIRunner.run(Self.tinyBench).stdout)
        let dynamic = (plain["blas_config"] as? String)?.contains("DYNAMIC_ARCH") == true
        guard flags.contains("avx2") && flags.contains("fma") && dynamic && plain["blas_core"] as? String != "Haswell" else {
            return   // nothing to prove on this machine; the failure path above still runs
        }
        let chosen = try CLIRunner.run(Self.tinyBench, environment: ["NGD_BLAS_CORE": "Haswell"])
        #expect(chosen.status == 0)
        let lines = chosen.stderr.split(separator: "\n").filter { $0.contains("BLAS:") }
        #expect(lines.count == 1 && lines.first?.hasPrefix("ngd: BLAS: using OpenBLAS's Haswell kernels") == true)
        let record = try benchRecord(chosen.stdout)
        #expect(record["blas_core"] as? String == "Haswell" && record["openblas_coretype"] as? String == "Haswell")
        #expect((record["blas_core_choice"] as? String)?.hasPrefix("chosen by ngd over the detected") == true)
        let loss = try #require(record["ngd_step_loss"] as? Double), reference = try #require(plain["ngd_step_loss"] as? Double)
        #expect(abs(loss - reference) <= 1e-12 * abs(reference))
    }
}
