import Foundation

/// An exclusive advisory lock (flock) on a build's staging directory itself, held for one build, so two builds
/// never share a staging directory and no lock file is left behind. Released when the value is deinitialised
/// (or the process dies); the lock follows the directory when the finished staging is renamed into place.
final class DirectoryLock {
    private let descriptor: Int32

    /// Locks the staging directory `path` of the report `output`; a symbolic link there is refused, never followed.
    init(directory path: String, building output: String) throws {
        descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ELOOP || errno == ENOTDIR {
                throw OutputRefusal(path, "is not a directory ngd created (a symbolic link or a file); remove it")
            }
            throw ReportError.io(path: path, message: "cannot open the staging directory: "
                + "\(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw ReportError.io(path: output, message: "another ngd process is building this report directory")
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
