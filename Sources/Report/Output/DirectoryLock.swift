import Foundation

/// An exclusive advisory lock (flock) on `.NAME.lock` beside a report directory, held for one build, so two
/// builds never share a staging directory. Released when the value is deinitialised (or the process dies).
final class DirectoryLock {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ReportError.io(path: path, message: "cannot create the lock file: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw ReportError.io(path: path, message: "another ngd process is building this report directory")
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
