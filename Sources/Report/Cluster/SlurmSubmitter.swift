import Foundation

/// Submits the scripts through `sbatch --parsable` and returns the job ids. Slurm is the scheduler; ngd only
/// hands it the scripts.
public struct SlurmSubmitter: Sendable {
    /// The `sbatch` executable found on PATH.
    public let sbatch: String

    /// Finds `sbatch` on `PATH`, or says that it is not there (a usage error of `--slurm`).
    public init(environment: [String: String]) throws {
        let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        guard let found = directories.map({ ($0 as NSString).appendingPathComponent("sbatch") })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw ClusterError.usage("--slurm", "sbatch is not on PATH; run on a Slurm login node, or add Slurm's bin "
                + "directory to PATH")
        }
        sbatch = found
    }

    /// Submits `script` (after `dependency` when given); returns the job id.
    public func submit(_ script: String, dependency: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sbatch)
        process.arguments = ["--parsable"] + (dependency.map { ["--dependency=afterany:\($0)"] } ?? []) + [script]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw ClusterError.submission("cannot start \(sbatch): "
            + "\(error.localizedDescription)") }
        let answer = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let line = complaint.split(whereSeparator: \.isNewline).first.map(String.init) ?? "exit "
                + "\(process.terminationStatus)"
            throw ClusterError.submission("refused \(script): \(line)")
        }
        // `--parsable` prints "id" or "id;cluster".
        let id = answer.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw ClusterError.submission("answered '\(answer.trimmingCharacters(in: .whitespacesAndNewlines))' for "
                + "\(script), not a job id")
        }
        return id
    }
}
