import Foundation
import NGD

/// The directory a Slurm run keeps on the shared filesystem: the two job scripts, the shared run cache the
/// shards write into, one log file per task and stream, and `done/shard-<i>` markers of the shards that
/// finished. By default `.NAME.slurm/` beside the report directory `NAME`.
///
/// It follows the output-location rule: ngd writes only into a directory that does not exist, is empty, or is
/// one it made (its `slurm.json`, written by ngd, says so) holding only what ngd writes there; it never follows
/// a symbolic link, and it may neither hold an input of the build nor the report itself.
public struct SlurmDirectory: Sendable, Equatable {
    /// Absolute, standardized path.
    public let path: String

    public init(path: String) {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        self.path = Self.lexicallyNormalized(absolute)
    }

    /// `.` and `..` removed by the text alone: Foundation's `standardizingPath` resolves symbolic links, and a
    /// link given as the directory must be seen (and refused), not followed.
    static func lexicallyNormalized(_ absolute: String) -> String {
        var parts: [Substring] = []
        for part in absolute.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `.NAME.slurm` beside the report directory `output`.
    public static func beside(output: String) -> SlurmDirectory {
        let absolute = output.hasPrefix("/") ? output : FileManager.default.currentDirectoryPath + "/" + output
        let standardized = lexicallyNormalized(absolute)
        let parent = PathText.parent(of: standardized)
        let name = PathText.lastComponent(of: standardized)
        return SlurmDirectory(path: ((parent.isEmpty ? "." : parent) as NSString).appendingPathComponent(".\(name).slurm"))
    }

    public var cache: String { join("cache") }
    public var logs: String { join("logs") }
    public var doneDirectory: String { join("done") }
    public var arrayScript: String { join("array.sh") }
    public var assembleScript: String { join("assemble.sh") }
    var recordPath: String { join(Self.recordName) }

    public func shardLog(_ index: Int) -> String { join("logs/shard-\(index).err") }
    func doneMarker(_ index: Int) -> String { join("done/shard-\(index)") }

    static let recordName = "slurm.json"
    private static let topFiles: Set<String> = [recordName, "array.sh", "assemble.sh"]
    private static let folders: Set<String> = ["cache", "logs", "done"]

    private func join(_ component: String) -> String { (path as NSString).appendingPathComponent(component) }

    /// What `slurm.json` records: that ngd made the directory, and for how many shards.
    struct Record: Codable, Equatable {
        var tool: String
        var shards: Int
    }

    // MARK: The output-location rule

    /// Refuses (before anything is written) a directory ngd may not write into: a link or a file, one holding
    /// something ngd did not write, one that is or lies around `output` or an input, or the working directory.
    public func check(output: String, inputs: [String], option: String) throws {
        let resolved = OutputLocation.resolvedPath(path)
        let workingDirectory = OutputLocation.resolvedPath(".", followingLast: true)
        if resolved == workingDirectory || OutputLocation.contains(resolved, workingDirectory) {
            throw OutputRefusal(path, "is the current directory or one of its parents; choose another \(option)")
        }
        let report = OutputLocation.resolvedPath(output)
        if report == resolved || OutputLocation.contains(resolved, report) || OutputLocation.contains(report, resolved) {
            throw OutputRefusal(path, "is or lies around the report directory \(output); choose another \(option)")
        }
        for input in inputs where !input.isEmpty {
            for place in [OutputLocation.resolvedPath(input), OutputLocation.resolvedPath(input, followingLast: true)]
            where place == resolved || OutputLocation.contains(resolved, place) {
                throw OutputRefusal(path, "contains \(input), which this command reads; choose another \(option)")
            }
        }
        switch EntryKind(at: path) {
        case .missing: return
        case .symbolicLink: throw OutputRefusal(path, "is a symbolic link; ngd does not write through links it did not "
            + "create")
        case .regularFile, .other: throw OutputRefusal(path, "is a file, not a directory ngd made for a Slurm run")
        case .directory:
            if let foreign = firstForeignEntry() { throw OutputRefusal(path, foreign) }
        }
    }

    /// Why the existing directory is not ngd's to write into, naming the first entry in the way; nil when it is.
    func firstForeignEntry() -> String? {
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
        guard !entries.isEmpty else { return nil }
        guard readRecord() != nil else {
            return "is not empty and was not made by ngd --slurm (no slurm.json written by ngd); "
                + "choose another --slurm-dir or an empty directory"
        }
        for entry in entries {
            let full = join(entry)
            switch EntryKind(at: full) {
            case .regularFile where Self.topFiles.contains(entry) || entry.contains(".tmp-"):
                continue
            case .directory where Self.folders.contains(entry):
                for inner in (try? FileManager.default.contentsOfDirectory(atPath: full)) ?? []
                where EntryKind(at: (full as NSString).appendingPathComponent(inner)) != .regularFile {
                    return "holds \(entry)/\(inner), which ngd did not write (not a plain file); move it out first"
                }
            default:
                return "holds \(entry), which ngd did not write there; move it out first"
            }
        }
        return nil
    }

    func readRecord() -> Record? {
        guard EntryKind(at: recordPath) == .regularFile, let data = FileManager.default.contents(atPath: recordPath),
              let record = try? JSONDecoder().decode(Record.self, from: data), record.tool == ToolInfo.name else { return nil }
        return record
    }

    // MARK: Writing

    /// Creates the directory and its folders, records it as ngd's, and proves the shared cache is writable by
    /// writing and removing a probe file, so that a job never starts against a cache it cannot fill.
    public func prepare(shards: Int) throws {
        let fileManager = FileManager.default
        for folder in [path, cache, logs, doneDirectory] {
            do {
                try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw ClusterError.io(path: folder, message: "cannot create the directory: \(Self.reason(error))")
            }
        }
        let probe = (cache as NSString).appendingPathComponent(".probe.tmp-\(getpid())")
        guard fileManager.createFile(atPath: probe, contents: Data()) else {
            throw ClusterError.io(path: cache, message: "the shared cache directory is not writable: "
                + "\(String(cString: strerror(errno)))")
        }
        try? fileManager.removeItem(atPath: probe)
        try write(CanonicalJSON.data(Record(tool: ToolInfo.name, shards: shards), pretty: true), to: recordPath)
    }

    /// Writes both scripts (executable) atomically.
    public func write(_ scripts: SlurmScripts) throws {
        try write(Data(scripts.arrayScript.utf8), to: arrayScript, executable: true)
        try write(Data(scripts.assembleScript.utf8), to: assembleScript, executable: true)
    }

    /// Forgets which shards finished (before a new submission): only the markers ngd's scripts wrote.
    public func clearDoneMarkers() {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: doneDirectory)) ?? [] where entry.hasPrefix("shard-") {
            try? FileManager.default.removeItem(atPath: (doneDirectory as NSString).appendingPathComponent(entry))
        }
    }

    private func write(_ data: Data, to target: String, executable: Bool = false) throws {
        do {
            try AtomicFile.write(data, to: target)
            if executable { chmod(target, 0o755) }
        } catch {
            throw ClusterError.io(path: target, message: "cannot write: \(Self.reason(error))")
        }
    }

    private static func reason(_ error: Error) -> String {
        (error as NSError).userInfo[NSUnderlyingErrorKey].map { "\($0)" } ?? error.localizedDescription
    }
}
