import Foundation
import NGD

/// An output location `ngd` will not write to. A usage error (exit 2): nothing has been trained or written yet.
public struct OutputRefusal: Error, CustomStringConvertible, Equatable, Sendable {
    /// The path at fault (or the option, when the path is empty).
    public var path: String
    /// Why, and what would be accepted.
    public var reason: String

    public init(_ path: String, _ reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }
}

/// The one rule for where `ngd` writes, the same for every command, checked before anything is trained so that
/// a refused output costs nothing and leaves nothing behind.
///
/// - A report directory (`ngd report`, `ngd paper`) must not exist yet, be empty, or be an `ngd` report (its
///   manifest.json names every file ngd wrote there) holding nothing else. It may not be a file or a symbolic
///   link, be the current directory or one of its parents, or contain an input of the build.
/// - A single file (`--out` of train, analyze, plot, figure1) may not be a directory, a symbolic link or one of
///   the command's inputs.
/// - A sidecar (the CSV beside a figure) is replaced only when ngd wrote it, recognised by its first line.
public enum OutputLocation {
    // MARK: Report directories

    /// Checks that `output` may receive a report built from `inputs` (files and directories the build reads).
    public static func checkReportDirectory(_ output: String, inputs: [String]) throws {
        guard !output.isEmpty else { throw OutputRefusal("--out", "expected a directory name, got ''") }
        if let last = output.split(separator: "/").last, last == "." || last == ".." {
            throw OutputRefusal(output, "ends in '\(last)', which names an existing directory, not a report directory "
                                      + "of its own; give the report a name")
        }
        let resolved = resolvedPath(output)
        let workingDirectory = resolvedPath(".", followingLast: true)
        if resolved == workingDirectory || contains(resolved, workingDirectory) {
            throw OutputRefusal(output, "is the current directory or one of its parents; a report there would replace "
                + "it")
        }
        let siblings = [resolved, ReportBuilder.stagingPath(resolved), ReportBuilder.retiredPath(resolved)]
        for input in inputs where !input.isEmpty {
            for place in [resolvedPath(input), resolvedPath(input, followingLast: true)]
            where siblings.contains(where: { $0 == place || contains($0, place) }) {
                throw OutputRefusal(output, "contains \(input), which this command reads; choose an output outside its "
                    + "inputs")
            }
        }
        switch EntryKind(at: output) {
        case .missing:
            return
        case .symbolicLink:
            throw OutputRefusal(output, "is a symbolic link; ngd does not write through links it did not create")
        case .regularFile, .other:
            throw OutputRefusal(output, "is a file, not a report directory")
        case .directory:
            if let foreign = ReportOwnership.firstForeignEntry(in: output) {
                throw OutputRefusal(output, foreign.reason)
            }
        }
    }

    /// Checks a sibling ngd keeps beside a report (`.NAME.staging`, `.NAME.previous`): absent, or a real
    /// directory (never a link or a file planted there).
    static func checkSibling(_ path: String) throws {
        switch EntryKind(at: path) {
        case .missing, .directory: return
        case .symbolicLink:
            throw OutputRefusal(path, "is a symbolic link, which ngd did not create and will not follow; remove it")
        case .regularFile, .other:
            throw OutputRefusal(path, "is a file, which ngd did not create; remove it")
        }
    }

    // MARK: Data directories

    /// Checks a directory ngd writes files of fixed names into (`ngd bench --dump-dir`): absent, or a real
    /// directory, never a file or a symbolic link.
    public static func checkDirectory(_ path: String, option: String) throws {
        guard !path.isEmpty else { throw OutputRefusal(option, "expected a directory name, got ''") }
        switch EntryKind(at: path) {
        case .missing, .directory: return
        case .symbolicLink: throw OutputRefusal(path, "is a symbolic link; ngd does not write through links it did not "
            + "create")
        case .regularFile, .other: throw OutputRefusal(path, "is a file; \(option) expects a directory")
        }
    }

    /// Checks a folder ngd fills with files of fixed names (`ngd bench --dump-dir`'s DIR/n…-d…-m…): a new or
    /// real directory, each name absent or a regular file, and where any of them exists, `marker` (one of the
    /// names) must be there with `markerSignature` in its first line, as ngd writes it: headerless data files are
    /// ngd's only when the marker beside them vouches for them, so a user's folder of the same name is never
    /// refilled.
    public static func checkDataFolder(_ folder: String, files names: [String], marker: String,
                                       markerSignature: String, option: String) throws {
        try checkDirectory(folder, option: option)
        let paths = names.map { (folder as NSString).appendingPathComponent($0) }
        for path in paths { try checkFile(path, option: option) }
        guard let existing = paths.first(where: { EntryKind(at: $0) != .missing }) else { return }
        let markerPath = (folder as NSString).appendingPathComponent(marker)
        guard EntryKind(at: markerPath) == .regularFile, firstLine(of: markerPath).contains(markerSignature) else {
            throw OutputRefusal(existing, "exists and was not written by ngd (no \(marker) of ngd's beside it); "
                + "move it away or choose another \(option)")
        }
    }

    // MARK: Single files

    /// Checks that the file `path` (named by `option`) may be replaced by a command that reads `inputs`.
    public static func checkFile(_ path: String, option: String = "--out", inputs: [String] = []) throws {
        guard !path.isEmpty else { throw OutputRefusal(option, "expected a file name, got ''") }
        switch EntryKind(at: path) {
        case .missing, .regularFile: break
        case .directory: throw OutputRefusal(path, "is a directory; \(option) expects a file name")
        case .symbolicLink: throw OutputRefusal(path, "is a symbolic link; ngd does not write through links it did not "
            + "create")
        case .other: throw OutputRefusal(path, "is not a regular file")
        }
        for input in inputs where isSameFile(path, input) {
            throw OutputRefusal(path, "is \(input), which this command reads; choose another \(option)")
        }
    }

    /// Checks the file ngd writes beside the output `owner` (the CSV beside a figure): it is replaced only when
    /// its first line starts with `header`, the line ngd writes there; a file of the user's is never clobbered.
    public static func checkSidecar(_ path: String, of owner: String, header: String, inputs: [String] = []) throws {
        try checkFile(path, inputs: inputs)
        guard EntryKind(at: path) == .regularFile else { return }
        guard firstLine(of: path).hasPrefix(header) else {
            throw OutputRefusal(path, "exists and was not written by ngd (it would be replaced by the data of "
                + "\(owner)); "
                                    + "move it away or choose another --out")
        }
    }

    // MARK: Paths

    /// The absolute path, with every existing directory on the way resolved (symbolic links, `.`, `..`) so that
    /// two spellings of one place compare equal. The last component is followed only with `followingLast`.
    static func resolvedPath(_ path: String, followingLast: Bool = false) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let components = absolute.split(separator: "/").map(String.init)
        var current = "/"
        for (index, component) in components.enumerated() {
            switch component {
            case ".": continue
            case "..": current = PathText.parent(of: current)
            default:
                let next = (current as NSString).appendingPathComponent(component)
                let isLast = index == components.count - 1
                current = (isLast && !followingLast) ? next : (realPath(next) ?? next)
            }
        }
        return current
    }

    /// true when `inner` lies strictly below `outer` (both resolved).
    static func contains(_ outer: String, _ inner: String) -> Bool {
        inner.hasPrefix(outer == "/" ? "/" : outer + "/") && inner != outer
    }

    static func isSameFile(_ a: String, _ b: String) -> Bool {
        var first = stat(), second = stat()
        if stat(a, &first) == 0, stat(b, &second) == 0 {
            return first.st_dev == second.st_dev && first.st_ino == second.st_ino
        }
        return resolvedPath(a, followingLast: true) == resolvedPath(b, followingLast: true)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func firstLine(of path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        return String(decoding: head.prefix { $0 != 0x0A }, as: UTF8.self)
    }
}

/// What a path is, without following a symbolic link (lstat).
enum EntryKind: Equatable {
    case missing, directory, regularFile, symbolicLink, other

    init(at path: String) {
        var info = stat()
        // Without trailing slashes: they would make lstat follow a link.
        guard lstat(PathText.withoutTrailingSlashes(path), &info) == 0 else { self = .missing; return }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: self = .directory
        case S_IFREG: self = .regularFile
        case S_IFLNK: self = .symbolicLink
        default: self = .other
        }
    }
}
