import Foundation
import NGD

/// Which entries of a report directory ngd wrote, so that replacing or cleaning one never deletes anything
/// else. A finished report is recognised by its manifest.json (written by ngd, listing every file it wrote
/// besides manifest.json and timing.json); a staging directory by the names ngd writes at its top.
/// Symbolic links are never followed and never ngd's.
enum ReportOwnership {
    /// An entry ngd did not write: its path relative to the directory checked, and why it is not ngd's.
    struct Foreign: Equatable {
        var path: String
        var reason: String
    }

    /// The first entry of the report directory `directory` that ngd did not write; nil when the directory is
    /// empty or an ngd report holding only what its manifest lists.
    static func firstForeignEntry(in directory: String) -> Foreign? {
        let entries = walk(directory)
        guard let first = entries.first else { return nil }
        guard let listed = filesListed(in: directory) else {
            return Foreign(path: first.path, reason: "is not empty (\(first.path)) and is not an ngd report (no "
                + "manifest.json "
                                                   + "written by ngd); ngd writes only into a new or empty directory "
                                                       + "or its own report")
        }
        for entry in entries {
            switch entry.kind {
            case .directory: continue
            case .regularFile where listed.contains(entry.path) || Manifest.unverifiedFiles.contains(entry.path): continue
            case .symbolicLink:
                return Foreign(path: entry.path, reason: "holds \(entry.path), a symbolic link ngd did not create; "
                    + "move it out first")
            default:
                return Foreign(path: entry.path, reason: "holds \(entry.path), which ngd did not write (its "
                    + "manifest.json does "
                                                        + "not list it); move it out first")
            }
        }
        return nil
    }

    /// The first entry of a staging directory that ngd would not have written there: anything but its
    /// top-level files and folders, half-written temporaries and plain files below figures/, data/ and runs/.
    static func firstForeignStagingEntry(in staging: String) -> Foreign? {
        for entry in walk(staging) {
            let top = entry.path.split(separator: "/").first.map(String.init) ?? entry.path
            let isTop = top == entry.path
            switch entry.kind {
            case .symbolicLink:
                return Foreign(path: entry.path, reason: "is a symbolic link, which ngd did not create and will not "
                    + "follow; remove it")
            case .directory where stagingFolders.contains(top):
                continue
            case .regularFile where isTop ? (stagingFiles.contains(top) || top.contains(".tmp-")) : stagingFolders.contains(top):
                continue
            default:
                return Foreign(path: entry.path, reason: "was not written by ngd; move it out of the staging directory")
            }
        }
        return nil
    }

    /// Deletes `directory` when everything in it is ngd's (an empty directory or an ngd report); otherwise
    /// refuses, naming the first entry that is not.
    static func removeOwnedReport(at directory: String) throws {
        guard EntryKind(at: directory) == .directory else {
            throw OutputRefusal(directory, "is not a directory ngd wrote; remove it")
        }
        if let foreign = firstForeignEntry(in: directory) { throw OutputRefusal(directory, foreign.reason) }
        do {
            try FileManager.default.removeItem(atPath: directory)
        } catch {
            throw ReportError.io(path: directory, message: "cannot remove the previous report: "
                + "\(error.localizedDescription)")
        }
    }

    /// Top-level files and folders a report build writes into its staging directory.
    static let stagingFiles: Set<String> = ["report.html", "report.pdf", Manifest.fileName, Manifest.timingFileName]
    static let stagingFolders: Set<String> = ["figures", "data", "runs"]

    /// The files the manifest written by ngd in `directory` lists; nil when there is none.
    private static func filesListed(in directory: String) -> Set<String>? {
        let path = (directory as NSString).appendingPathComponent(Manifest.fileName)
        guard EntryKind(at: path) == .regularFile, let data = FileManager.default.contents(atPath: path),
              let ownership = try? JSONDecoder().decode(Ownership.self, from: data), ownership.tool == ToolInfo.name else {
            return nil
        }
        return Set(ownership.files.keys)
    }

    /// The two manifest fields that say who wrote a report and what (decoded without key conversion, so the
    /// file paths stay as written).
    private struct Ownership: Decodable {
        var tool: String
        var files: [String: String]
    }

    /// Every entry below `root`, depth first in sorted order, as paths relative to `root`; links are listed, not
    /// followed.
    static func walk(_ root: String) -> [(path: String, kind: EntryKind)] {
        var entries: [(path: String, kind: EntryKind)] = []
        func visit(_ relative: String) {
            let directory = relative.isEmpty ? root : (root as NSString).appendingPathComponent(relative)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
            for name in names {
                let child = relative.isEmpty ? name : relative + "/" + name
                let kind = EntryKind(at: (root as NSString).appendingPathComponent(child))
                entries.append((child, kind))
                if kind == .directory { visit(child) }
            }
        }
        visit("")
        return entries
    }
}
