import Foundation

/// What an array task recorded in `done/shard-<i>` after its shard succeeded (the line the array script writes:
/// `job=… array_job=… node=…`).
public struct FinishedShard: Codable, Equatable, Sendable {
    public var index: Int
    public var jobID: String
    public var arrayJobID: String
    public var node: String

    init?(index: Int, line: String) {
        var fields: [String: String] = [:]
        for pair in line.split(whereSeparator: \.isWhitespace) {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        guard let job = fields["job"], let array = fields["array_job"], let node = fields["node"] else { return nil }
        self.index = index
        jobID = job
        arrayJobID = array
        self.node = node
    }
}

extension SlurmDirectory {
    /// The shard count ngd recorded when it wrote the scripts; a directory ngd did not make is refused.
    public func recordedShards() throws -> Int {
        guard EntryKind(at: path) == .directory else {
            throw ClusterError.usage("--assemble", "\(path) is not a directory written by ngd --slurm")
        }
        guard let record = readRecord(), record.shards >= 1 else {
            throw ClusterError.usage("--assemble", "\(path) holds no slurm.json written by ngd --slurm")
        }
        return record.shards
    }

    /// The shards that finished, by index (a marker that cannot be read counts as not finished).
    public func finishedShards(count: Int) -> [FinishedShard] {
        (0..<count).compactMap { index in
            guard EntryKind(at: doneMarker(index)) == .regularFile,
                  let data = FileManager.default.contents(atPath: doneMarker(index)) else { return nil }
            return FinishedShard(index: index, line: String(decoding: data, as: UTF8.self))
        }
    }

    /// Every shard's marker, or the error naming the shards that did not finish with their log files.
    public func requireAllShardsFinished() throws -> [FinishedShard] {
        let count = try recordedShards()
        let finished = finishedShards(count: count)
        let missing = Set(0..<count).subtracting(finished.map(\.index)).sorted()
        guard missing.isEmpty else {
            throw ClusterError.shardsMissing(directory: path, missing: missing, shards: count, logs: missing.map(shardLog))
        }
        return finished
    }
}

/// `cluster.json`: where an assembled report was computed — the scheduler, the job ids and the node names. Kept
/// beside manifest.json and timing.json and, like them, outside the hashed files, so that the assembled report
/// equals a single-machine run byte for byte.
public struct ClusterProvenance: Codable, Equatable, Sendable {
    public static let fileName = Manifest.clusterFileName

    public var scheduler: String
    public var arrayJobID: String?
    public var assemblyJobID: String?
    public var assemblyNode: String?
    public var shards: [FinishedShard]

    public init(finished: [FinishedShard], environment: [String: String]) {
        scheduler = "slurm"
        arrayJobID = finished.first?.arrayJobID
        assemblyJobID = environment["SLURM_JOB_ID"]
        assemblyNode = environment["SLURMD_NODENAME"] ?? ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init)
        shards = finished
    }

    /// Written into the finished report directory (after its swap; the file is not one the manifest hashes).
    public func write(into output: String) throws {
        let target = (output as NSString).appendingPathComponent(Self.fileName)
        do {
            try AtomicFile.write(CanonicalJSON.data(self, pretty: true), to: target)
        } catch {
            throw ClusterError.io(path: target, message: "cannot write: \(error.localizedDescription)")
        }
    }
}
