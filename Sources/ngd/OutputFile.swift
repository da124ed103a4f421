import Foundation
import NGD

/// Writes command output to stdout, or atomically to a file: the bytes go to a temporary file in the same
/// directory, which is then renamed over the destination, so readers never see a half-written file.
enum OutputFile {
    static func write(_ data: Data, to path: String?) throws {
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(data)
            return
        }
        let destination = URL(fileURLWithPath: path)
        let directory = destination.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw NGDError(path, "the directory \(directory.path) does not exist")
        }
        let temporary = directory.appendingPathComponent(".\(destination.lastPathComponent).tmp-\(getpid())")
        do {
            try data.write(to: temporary)
            if rename(temporary.path, destination.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw NGDError(path, "cannot move the output into place: \(reason)")
            }
        } catch let error as NGDError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw NGDError(path, "cannot write the output: \(error.localizedDescription)")
        }
    }
}
